import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

async function expectNotFound(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
}

test.describe("what an actor may not see answers 404", () => {
  test("a patient cannot open another patient's page", async ({ page }) => {
    await signIn(page, world.fingerstickPatient);
    await expectNotFound(page, `/patients/${world.patientIds.cgm}`);
    await expect(page.getByText("James")).toHaveCount(0);
    await expectNotFound(page, "/patients/00000000-0000-4000-8000-000000000000");
    await expectNotFound(page, "/patients/not-an-id");
  });

  test("a clinician cannot open a patient outside their care teams", async ({ page }) => {
    await signIn(page, world.clinician);
    await expectNotFound(page, `/patients/${world.patientIds.outsider}`);
    await expectNotFound(page, `/patients/${world.patientIds.child}`);
    const own = await page.goto(`/patients/${world.patientIds.cgm}`);
    expect(own?.status()).toBe(200);
  });

  test("a guardian cannot open a patient they are not linked to", async ({ page }) => {
    await signIn(page, world.guardian);
    await expectNotFound(page, `/patients/${world.patientIds.fingerstick}`);
  });

  test("role pages answer 404 to other roles", async ({ page }) => {
    await signIn(page, world.cgmPatient);
    await expectNotFound(page, "/admin");
    await expectNotFound(page, "/clinician");
    await expectNotFound(page, "/guardian");
  });

  test("an admin sees who a patient is but not their glucose values", async ({ page }) => {
    await signIn(page, world.admin);
    await page.goto(`/patients/${world.patientIds.cgm}`);
    await expect(page.getByRole("heading", { name: "James Chen" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Latest readings" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Add reading" })).toHaveCount(0);
  });
});
