import { expect, test } from "@playwright/test";
import { formNotice, signIn, signOut } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

test.describe("signing in", () => {
  test("anonymous visitors are sent to sign in", async ({ page }) => {
    await page.goto("/clinician");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
    await expect(page.getByRole("heading", { name: "Sign in to Lantern" })).toBeVisible();
  });

  test("a patient lands on their own glucose page", async ({ page }) => {
    await signIn(page, world.fingerstickPatient);
    await expect(page).toHaveURL(`/patients/${world.patientIds.fingerstick}`);
    await expect(page.getByRole("heading", { name: "My glucose" })).toBeVisible();
    await expect(page.getByText("Maria Lopez · Patient")).toBeVisible();
  });

  test("a clinician lands on their patients with last readings", async ({ page }) => {
    await signIn(page, world.clinician);
    await expect(page).toHaveURL("/clinician");
    const table = page.getByRole("table");
    await expect(table.getByRole("link", { name: "Lopez, Maria" })).toBeVisible();
    await expect(table.getByRole("link", { name: "Chen, James" })).toBeVisible();
    await expect(table.getByRole("link", { name: "Outside, Olga" })).toHaveCount(0);
    // The triage list shows every patient in the clinician's unit (mg/dL unless they choose mmol/L).
    await expect(table.getByText(/\d mg\/dL/).first()).toBeVisible();
  });

  test("a guardian lands on the people they care for", async ({ page }) => {
    await signIn(page, world.guardian);
    await expect(page).toHaveURL("/guardian");
    await page.getByRole("link", { name: "Parent, Kit" }).click();
    await expect(page.getByText("You are viewing as guardian of Kit Parent.")).toBeVisible();
  });

  test("an admin lands on the organization page", async ({ page }) => {
    await signIn(page, world.admin);
    await expect(page).toHaveURL("/admin");
    await expect(page.getByRole("heading", { name: "Organization" })).toBeVisible();
  });

  test("a wrong password gets one message that does not say which part was wrong", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(world.cgmPatient.email);
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(formNotice(page)).toHaveText("Email or password is incorrect.");

    await page.getByLabel("Email").fill("nobody@lantern.example");
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(formNotice(page)).toHaveText("Email or password is incorrect.");
  });

  test("signing out ends the session on the server, even for a copy of its cookie", async ({ page, context }) => {
    await signIn(page, world.cgmPatient);
    const cookiesWhileSignedIn = await context.cookies();
    await signOut(page);
    await page.goto(`/patients/${world.patientIds.cgm}`);
    await expect(page).toHaveURL(/\/sign-in/);

    await context.addCookies(cookiesWhileSignedIn);
    await page.goto(`/patients/${world.patientIds.cgm}`);
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByText("James Chen")).toHaveCount(0);
  });
});
