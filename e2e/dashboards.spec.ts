import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

/** The AGP drew its bands and median, its legend and its hour labels. */
async function expectAgpRendered(page: Page) {
  const agp = page.locator("figure.agp-chart");
  await expect(agp.locator(".recharts-area-area").first()).toBeVisible();
  expect(await agp.locator(".recharts-area-area").count()).toBe(2);
  await expect(agp.locator(".recharts-line-curve")).toHaveAttribute("d", /^M[\d.]+,[\d.]+L/);
  await expect(agp.locator(".recharts-legend-wrapper")).toContainText("Median");
  await expect(agp.locator(".recharts-legend-wrapper")).toContainText("25-75% of readings");
  const hourLabels = await agp.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value").allTextContents();
  // Whole hours only; recharts drops alternate labels when the axis is narrow.
  expect(hourLabels.length).toBeGreaterThanOrEqual(4);
  for (const label of hourLabels) expect(label).toMatch(/^\d\d:00$/);
  await expect(agp).toHaveAttribute("aria-label", /Ambulatory glucose profile over 14 days/);
}

test("the clinician's triage list: priority order with reasons, search, and a 390 px screen without sideways scroll", async ({ page }, testInfo) => {
  await page.setViewportSize(DESKTOP);
  await signIn(page, world.clinician);
  await expect(page).toHaveURL("/clinician");
  const table = page.getByRole("table");
  // The demo care team's five patients (other specs may register more onto it while this runs).
  await expect(table.locator("caption")).toContainText(/\d+ patients/);
  const rows = table.locator("tbody tr");
  expect(await rows.count()).toBeGreaterThanOrEqual(5);
  for (const row of await rows.all()) await expect(row.locator("td.priority")).not.toBeEmpty();
  await expect(table.getByRole("link", { name: "Chen, James" })).toBeVisible();
  await expect(rows.filter({ hasText: "Chen, James" })).toContainText(/Enough|Not enough/);
  await expect(rows.filter({ hasText: "Lopez, Maria" })).toContainText("Fingersticks:");
  await expectNoViolations(page);
  await keepScreenshot(page, testInfo, "triage-desktop");

  await page.getByLabel("Name or record number").fill("DEMO-0002");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Chen, James");

  await page.getByRole("link", { name: /^Patient/ }).click();
  await expect(page).toHaveURL(/sort=name/);

  await page.setViewportSize(PHONE);
  await page.goto("/clinician");
  await expectNoSidewaysScroll(page);
  await keepScreenshot(page, testInfo, "triage-phone");
});

test("a 14-day CGM report: metrics with targets, time-in-ranges bar, AGP and daily traces, at desktop and phone widths", async ({ page }, testInfo) => {
  await page.setViewportSize(DESKTOP);
  await signIn(page, world.clinician);
  await page.getByRole("link", { name: "Chen, James" }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${world.patientIds.cgm}/report\\?days=14$`), { timeout: 20_000 });
  await expect(page.getByRole("heading", { name: /Glucose report \(AGP\): James Chen/ })).toBeVisible();
  const metrics = page.getByRole("table").filter({ has: page.locator("caption", { hasText: "CGM:" }) });
  await expect(metrics.getByRole("row", { name: /Time in range/ })).toContainText(/more than 70%/);
  await expect(metrics.getByRole("row", { name: /Time in range/ })).toContainText(/(Meets target|Outside target)/);
  await expect(metrics.getByRole("row", { name: /Glucose variability/ })).toContainText("36% or less");
  await expect(page.locator(".tir-bar")).toHaveAttribute("aria-label", /Time in ranges: very high .*%, high .*%, in range .*%, low .*%, very low .*%\./);
  await expect(page.locator(".tir-legend")).toContainText("▼▼ Very low");
  await expectAgpRendered(page);
  const traces = page.locator("figure.day-trace");
  await expect(traces).toHaveCount(14);
  await expect(traces.first().locator(".recharts-line-curve")).toHaveAttribute("d", /^M/);
  await expect(traces.nth(5).locator(".day-trace-plot")).toHaveAttribute("aria-label", /CGM from .* mmol\/L/);
  await expect(page.getByRole("heading", { name: "Devices and last contact" })).toBeVisible();
  await expect(page.getByText(/Dexcom G7 \(CGM sensor, DEMO-CGM-0002\): last contact/)).toBeVisible();
  await expectNoViolations(page);
  await keepScreenshot(page, testInfo, "cgm-report-desktop");

  await page.setViewportSize(PHONE);
  await page.reload();
  await expectAgpRendered(page);
  await expectNoSidewaysScroll(page);
  await keepScreenshot(page, testInfo, "cgm-report-phone");
});

test("the patient's own fingerstick report in plain words, with the logbook by meal, and its print view", async ({ page }, testInfo) => {
  await page.setViewportSize(DESKTOP);
  await signIn(page, world.fingerstickPatient);
  await page.getByRole("link", { name: "Glucose report" }).click();
  await expect(page.getByRole("heading", { name: /^Glucose report: Maria Lopez/ })).toBeVisible();
  await expect(page.getByText("No CGM readings in this period.")).toBeVisible();
  await expect(page.getByRole("row", { name: /Checks a day/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Fingerstick diary" })).toBeVisible();
  const logbook = page.locator("table.logbook");
  expect(await logbook.locator("tbody tr").count()).toBeGreaterThanOrEqual(13);
  await expect(logbook.locator("caption")).toContainText("mg/dL");
  const traces = page.locator("figure.day-trace");
  await expect(traces).toHaveCount(14);
  await expect(traces.nth(3).locator(".recharts-scatter-symbol").first()).toBeVisible();
  await expect(traces.nth(3).locator(".day-trace-plot")).toHaveAttribute("aria-label", /fingersticks?: \d+/);
  await expectNoViolations(page);
  await keepScreenshot(page, testInfo, "fingerstick-report");

  await page.getByRole("link", { name: "Show in mmol/L" }).click();
  await expect(logbook.locator("caption")).toContainText("mmol/L");

  await page.getByRole("link", { name: "Print view" }).click();
  await expect(page.getByRole("button", { name: "Print this report" })).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("button", { name: "Print this report" })).toBeHidden();
  // A4 is 210 mm wide, Letter 8.5 in: at 96 px per inch, less 12 mm margins each side, about 703 and 725 px.
  for (const width of [703, 725]) {
    await page.setViewportSize({ width, height: 1000 });
    await expectNoSidewaysScroll(page);
  }
  await keepScreenshot(page, testInfo, "print-view");
  const pdf = await page.pdf({ format: "A4" });
  expect(pdf.byteLength).toBeGreaterThan(10_000);
  await page.pdf({ format: "Letter" });
});

test("a guardian sees their child's report; a clinician outside the patient's teams and an admin get 404", async ({ page, browser }) => {
  await signIn(page, world.guardian);
  const own = await page.goto(`/patients/${world.patientIds.child}/report`);
  expect(own?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "How the period went" })).toBeVisible();

  const clinicianPage = await browser.newPage();
  await signIn(clinicianPage, world.clinician);
  expect((await clinicianPage.goto(`/patients/${world.patientIds.outsider}/report`))?.status()).toBe(404);
  expect((await clinicianPage.request.get(`/api/patients/${world.patientIds.outsider}/glucose-report`)).status()).toBe(404);
  await clinicianPage.close();

  const adminPage = await browser.newPage();
  await signIn(adminPage, world.admin);
  expect((await adminPage.goto(`/patients/${world.patientIds.cgm}/report`))?.status()).toBe(404);
  await adminPage.close();
});

test("the browser's time to a rendered 14-day CGM report, printed for the benchmark record", async ({ page }) => {
  await signIn(page, world.cgmPatient);
  const started = Date.now();
  await page.goto(`/patients/${world.patientIds.cgm}/report?days=14`);
  await expect(page.locator("figure.agp-chart .recharts-line-curve")).toBeVisible();
  await expect(page.locator("figure.day-trace .recharts-line-curve").last()).toBeVisible();
  const navigation = await page.evaluate(() => {
    const [entry] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    return { responseEnd: entry!.responseEnd, domContentLoaded: entry!.domContentLoadedEventEnd };
  });
  console.log(`[dashboards bench] 14-day CGM report rendered in the browser in ${Date.now() - started} ms (server response ${Math.round(navigation.responseEnd)} ms, DOM ready ${Math.round(navigation.domContentLoaded)} ms)`);
});
