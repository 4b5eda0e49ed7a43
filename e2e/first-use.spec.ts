import { expect, test, type Page } from "@playwright/test";
import { formNotice, signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test("on a 1366 px laptop screen the meter's Revoke button is in view, not cut off by the table", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, world.cgmPatient);
  await page.getByRole("link", { name: "Meters and apps" }).click();
  const row = page.getByRole("row", { name: /Dexcom G7/ });
  await expect(row).toContainText("CGM sensor");
  const tableWrap = page.locator(".table-wrap").first();
  const overflow = await tableWrap.evaluate((element) => element.scrollWidth - element.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const revoke = (await row.getByRole("button", { name: "Revoke" }).boundingBox())!;
  const wrap = (await tableWrap.boundingBox())!;
  expect(revoke.x + revoke.width).toBeLessThanOrEqual(wrap.x + wrap.width);
});

test("on a phone the admin page does not scroll sideways and its drop-downs stay inside their panels", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, world.admin);
  await expect(page.getByRole("heading", { name: "Organization" })).toBeVisible();
  await expect.poll(() => horizontalOverflow(page)).toBeLessThanOrEqual(0);
  const escaping = await page.locator("select").evaluateAll((selects) =>
    selects.filter((select) => {
      const panel = select.closest(".panel")!.getBoundingClientRect();
      const box = select.getBoundingClientRect();
      return box.right > panel.right || box.left < panel.left;
    }).length,
  );
  expect(escaping).toBe(0);
});

test("the patient chart's labels are whole local hours and its top label is not clipped", async ({ page }) => {
  await signIn(page, world.fingerstickPatient);
  const chart = page.locator("figure.chart svg").first();
  await expect(chart.locator(".recharts-line path").first()).toBeVisible();
  const xLabels = await page.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value").allTextContents();
  expect(xLabels.length).toBeGreaterThan(1);
  for (const label of xLabels) expect(label).toMatch(/\b\d\d:00$/);
  const svgTop = (await chart.boundingBox())!.y;
  const yLabels = page.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value");
  for (const box of await Promise.all((await yLabels.all()).map((label) => label.boundingBox()))) expect(box!.y).toBeGreaterThanOrEqual(svgTop);
});

test("an empty glucose value asks for the value, and a decimal comma is read as a decimal point", async ({ page }) => {
  await signIn(page, world.outsiderPatient);
  await page.getByRole("button", { name: "Add reading" }).click();
  await expect(page.locator("#value-error")).toHaveText(/Enter the glucose value your meter shows/);
  await expect(page.locator("#value-error")).not.toContainText("No meter reports");
  await page.getByLabel("Glucose value").fill("5,4");
  await page.getByLabel("Unit").selectOption("mmol/L");
  await page.getByRole("button", { name: "Add reading" }).click();
  await expect(formNotice(page)).toHaveText("Reading saved.");
  await expect(page.getByRole("row").filter({ hasText: "5.4 mmol/L" }).first()).toBeVisible();
});

test("an administrator opening a patient gets no empty Readings tab, but a sentence saying why", async ({ page }) => {
  await signIn(page, world.admin);
  await page.goto(`/patients/${world.patientIds.cgm}`);
  await expect(page.getByRole("heading", { name: "About" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Readings" })).toHaveCount(0);
  await expect(page.getByText("Glucose readings and reports are not shown to administrators")).toBeVisible();
});

test("every page has a favicon, served without signing in", async ({ page, request }) => {
  await page.goto("/sign-in");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toBeTruthy();
  const icon = await request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
});

test("every reading of a CGM fortnight is reachable: a date range and paging through older readings", async ({ page }) => {
  await signIn(page, world.clinician);
  await page.goto(`/patients/${world.patientIds.cgm}`);
  await page.getByRole("link", { name: "All readings, by date" }).click();
  await expect(page.getByRole("table").locator("caption")).toHaveText("100 readings, newest first");
  const firstPageTop = (await page.getByRole("row").nth(1).textContent())!;
  await page.getByRole("link", { name: "Older readings" }).click();
  await expect(page.getByRole("table").locator("caption")).toHaveText("100 readings (older page)");
  await expect(page.getByRole("row").nth(1)).not.toHaveText(firstPageTop);
  await page.getByRole("link", { name: "Newest readings" }).click();
  await expect(page.getByRole("table").locator("caption")).toHaveText("100 readings, newest first");
  await expect(page.getByRole("row").nth(1)).toHaveText(firstPageTop);

  await page.getByLabel("From (local date)").fill("2026-02-01");
  await page.getByLabel("To (local date, included)").fill("2026-01-01");
  await page.getByRole("button", { name: "Show readings" }).click();
  await expect(page.locator("#range-to-error")).toHaveText("The end date is before the start date; swap them.");
});
