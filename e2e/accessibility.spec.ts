import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

test.describe("every page passes an axe check", () => {
  test("public pages", async ({ page }) => {
    for (const path of ["/sign-in", "/register", "/forgot-password"]) {
      await page.goto(path);
      await expectNoViolations(page);
    }
  });

  test("patient page, with a form error showing", async ({ page }) => {
    await signIn(page, world.cgmPatient);
    await expectNoViolations(page);
    await page.getByLabel("Glucose value").fill("abc");
    await page.getByRole("button", { name: "Add reading" }).click();
    await expect(page.locator("#value-error")).toBeVisible();
    await expectNoViolations(page);
  });

  test("meters and apps, correction and import pages", async ({ page }) => {
    await signIn(page, world.fingerstickPatient);
    await page.goto(`/patients/${world.patientIds.fingerstick}/devices`);
    await expectNoViolations(page);
    await page.goto(`/patients/${world.patientIds.fingerstick}/import`);
    await expectNoViolations(page);
    await page.goto(`/patients/${world.patientIds.fingerstick}`);
    await page.getByLabel("Glucose value").fill("99");
    await page.getByRole("button", { name: "Add reading" }).click();
    await page.getByRole("row").filter({ hasText: "Entered by hand" }).first().getByRole("link", { name: /Correct/ }).click();
    await expect(page.getByRole("heading", { name: "Earlier versions" })).toBeVisible();
    await expectNoViolations(page);
  });

  test("clinician home", async ({ page }) => {
    await signIn(page, world.clinician);
    await expectNoViolations(page);
  });

  test("guardian home and child page", async ({ page }) => {
    await signIn(page, world.guardian);
    await expectNoViolations(page);
    await page.goto(`/patients/${world.patientIds.child}`);
    await expectNoViolations(page);
  });

  test("admin page and not-found page", async ({ page }) => {
    await signIn(page, world.admin);
    await expectNoViolations(page);
    await page.goto("/admin/hospital-pushes");
    await expectNoViolations(page);
    await page.goto("/admin/clients");
    await expectNoViolations(page);
    await page.getByRole("button", { name: "Register the system" }).click();
    await expect(page.locator("#jwks-error")).toBeVisible();
    await expectNoViolations(page);
    await page.goto("/patients/not-an-id");
    await expectNoViolations(page);
  });
});
