import { expect, test } from "@playwright/test";
import { formNotice, signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

test.describe("adding a reading by hand", () => {
  test("a patient adds a reading and sees it in the table and the chart", async ({ page }) => {
    await signIn(page, world.fingerstickPatient);
    const lineBefore = await page.locator(".recharts-line-curve").getAttribute("d");

    await page.getByLabel("Glucose value").fill("287");
    await page.getByRole("button", { name: "Add reading" }).click();
    await expect(formNotice(page)).toHaveText("Reading saved.");

    // Other specs add readings to this patient too: find the new one by its content.
    await expect(page.getByRole("row").filter({ hasText: "287 mg/dL" }).filter({ hasText: "Entered by hand" })).toHaveCount(1);
    const lineAfter = page.locator(".recharts-line-curve");
    await expect(lineAfter).toHaveAttribute("d", /.+/);
    expect(await lineAfter.getAttribute("d")).not.toBe(lineBefore);
  });

  test("a value in mmol/L is kept as received and shown in the patient's unit", async ({ page }) => {
    await signIn(page, world.cgmPatient);
    await page.getByLabel("Glucose value").fill("4.4");
    await page.getByLabel("Unit").selectOption("mmol/L");
    await page.getByRole("button", { name: "Add reading" }).click();
    await expect(formNotice(page)).toHaveText("Reading saved.");
    // The demo CGM trace runs up to the seed time, so the new reading is found by content, not position.
    await expect(page.getByRole("row").filter({ hasText: "Entered by hand" }).filter({ hasText: "4.4 mmol/L" })).toHaveCount(1);
  });

  test("an impossible value is refused with a reason next to the field", async ({ page }) => {
    await signIn(page, world.fingerstickPatient);
    await page.getByLabel("Glucose value").fill("5");
    await page.getByRole("button", { name: "Add reading" }).click();
    const value = page.getByLabel("Glucose value");
    await expect(value).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#value-error")).toHaveText("No meter reports 5 mg/dL; enter a value between 10 and 1000 mg/dL.");
    await expect(value).toHaveValue("5");
  });

  test("a guardian adds a reading for their child", async ({ page }) => {
    await signIn(page, world.guardian);
    await page.goto(`/patients/${world.patientIds.child}`);
    await page.getByLabel("Glucose value").fill("6.1");
    await page.getByLabel("Unit").selectOption("mmol/L");
    await page.getByRole("button", { name: "Add reading" }).click();
    await expect(formNotice(page)).toHaveText("Reading saved.");
    await expect(page.getByRole("row").filter({ hasText: "6.1 mmol/L" }).filter({ hasText: "Entered by hand" })).toHaveCount(1);
  });
});
