import { expect, test } from "@playwright/test";
import { formNotice, signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

test("on a phone-sized screen the patient page fits the width and the form works", async ({ page }) => {
  await signIn(page, world.outsiderPatient);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByLabel("Glucose value").fill("142");
  await page.getByRole("button", { name: "Add reading" }).click();
  await expect(formNotice(page)).toHaveText("Reading saved.");
  await expect(page.getByRole("row").filter({ hasText: "142 mg/dL" }).filter({ hasText: "Entered by hand" })).toHaveCount(1);
});
