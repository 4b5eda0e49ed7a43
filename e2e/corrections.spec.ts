import { expect, test } from "@playwright/test";
import { formNotice, signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

test("a correction keeps the earlier version with who entered it", async ({ page }) => {
  await signIn(page, world.clinician);
  await page.goto(`/patients/${world.patientIds.fingerstick}`);
  await page.getByLabel("Glucose value").fill("412");
  await page.getByLabel("Meal").selectOption("after-meal");
  await page.getByLabel("Note (optional)").fill("typed in clinic");
  await page.getByRole("button", { name: "Add reading" }).click();
  await expect(formNotice(page)).toHaveText("Reading saved.");

  const row = page.getByRole("row").filter({ hasText: "typed in clinic" });
  await expect(row).toContainText("After a meal");
  await row.getByRole("link", { name: /Correct the reading/ }).click();

  await expect(page.getByLabel("Glucose value")).toHaveValue("412");
  await page.getByLabel("Glucose value").fill("142");
  await page.getByLabel("Note (optional)").fill("typo: 142, not 412");
  await page.getByRole("button", { name: "Save correction" }).click();
  await expect(formNotice(page)).toContainText("Correction saved as version 2");

  const earlier = page.getByRole("region", { name: "Earlier versions" });
  await expect(earlier.getByRole("row").nth(1)).toContainText("412 mg/dL");
  await expect(earlier.getByRole("row").nth(1)).toContainText("Dr Sam Okafor");

  await page.getByRole("link", { name: "Readings" }).click();
  const corrected = page.getByRole("row").filter({ hasText: "typo: 142, not 412" });
  await expect(corrected).toContainText("142");
  await expect(corrected).toContainText("corrected, v2");
});

test("readings from meters cannot be corrected by hand", async ({ page }) => {
  await signIn(page, world.cgmPatient);
  const meterRow = page.getByRole("row").filter({ hasText: "Connected meter" }).first();
  await expect(meterRow).toBeVisible();
  await expect(meterRow.getByRole("link", { name: /Correct/ })).toHaveCount(0);
});
