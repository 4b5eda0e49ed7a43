import { createHash } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

const minute = 60_000;

test("a patient creates a follower token, sees the apps' status and upload problems, and their treatments and trend arrows", async ({ page, request }) => {
  await signIn(page, world.nightscoutPatient);
  await page.getByRole("link", { name: "Meters and apps" }).click();

  await page.getByRole("button", { name: "Create an API secret" }).click();
  const secretNotice = page.locator("form .notice").filter({ hasText: "API secret" });
  await expect(secretNotice).toBeVisible();
  const secret = /no longer works\): (\S+)/.exec(await secretNotice.innerText())?.[1];
  expect(secret).toBeTruthy();
  const apiSecret = createHash("sha1").update(secret!).digest("hex");

  await page.getByLabel("Token name").fill("Nightguard e2e");
  await page.getByLabel("What the token may do").selectOption("read");
  await page.getByRole("button", { name: "Create an access token" }).click();
  const tokenNotice = page.locator("form .notice").filter({ hasText: "Access token" });
  await expect(tokenNotice).toBeVisible();
  const token = /(lnt_ns_\S+)/.exec(await tokenNotice.innerText())?.[1];
  expect(token).toBeTruthy();

  // An uploader app (AndroidAPS) sends a reading, one from a phone whose clock is a day ahead, its status and a meal.
  const date = Date.now() - 7 * minute;
  const entries = await request.post("/api/v1/entries", {
    headers: { "api-secret": apiSecret },
    data: [
      { type: "sgv", sgv: 187, date, direction: "FortyFiveDown", device: "AndroidAPS-DexcomG6" },
      { type: "sgv", sgv: 190, date: Date.now() + 24 * 60 * minute, device: "AndroidAPS-DexcomG6" },
    ],
  });
  expect(entries.status()).toBe(200);
  expect(await entries.json()).toEqual([expect.objectContaining({ sgv: 187, trend: 5 }), expect.objectContaining({ stored: false })]);
  const status = await request.post("/api/v1/devicestatus", {
    headers: { "api-secret": apiSecret },
    data: { device: "openaps://Pixel e2e", created_at: new Date().toISOString(), uploaderBattery: 78, pump: { reservoir: 123.4, battery: { percent: 65 } }, openaps: { iob: { iob: 1.25 }, suggested: { COB: 12 } } },
  });
  expect(status.status()).toBe(200);
  const treatments = await request.post("/api/v1/treatments", {
    headers: { "api-secret": apiSecret },
    data: [{ eventType: "Meal Bolus", created_at: new Date(Date.now() - 30 * minute).toISOString(), carbs: 45, insulin: 4.5, enteredBy: "AndroidAPS" }],
  });
  expect(treatments.status()).toBe(200);

  // The follower reads with its token, and cannot write.
  const read = await request.get(`/api/v1/entries.json?count=1&token=${token}`);
  expect(await read.json()).toEqual([expect.objectContaining({ sgv: 187, direction: "FortyFiveDown" })]);
  const written = await request.post(`/api/v1/entries?token=${token}`, { data: [{ type: "sgv", sgv: 100, date }] });
  expect(written.status()).toBe(403);

  await page.reload();
  await expect(page.getByRole("row", { name: /openaps:\/\/Pixel e2e/ })).toContainText("78%");
  await expect(page.getByRole("row", { name: /openaps:\/\/Pixel e2e/ })).toContainText("reservoir 123.4 U");
  const problem = page.getByRole("row").filter({ hasText: "AndroidAPS-DexcomG6" }).filter({ hasText: "dated in the future" });
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText("1");
  const tokenRow = page.getByRole("row", { name: /Nightguard e2e/ });
  await expect(tokenRow).toContainText("Read only (followers)");
  await expectNoViolations(page);

  page.once("dialog", (dialog) => void dialog.accept());
  await tokenRow.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row", { name: /Nightguard e2e/ })).toContainText("Revoked");
  expect((await request.get(`/api/v1/entries.json?token=${token}`)).status()).toBe(401);

  await page.getByRole("link", { name: "Readings" }).click();
  const reading = page.getByRole("row").filter({ hasText: "Uploader app" }).filter({ hasText: "187" });
  await expect(reading).toContainText("↘");
  await expect(reading.locator(".visually-hidden")).toHaveText("falling slowly");
  const meal = page.getByRole("row").filter({ hasText: "Meal Bolus" });
  await expect(meal).toContainText("45 g");
  await expect(meal).toContainText("4.5 U");
  await expectNoViolations(page);

  // On a phone the wide tables scroll inside their frame; the page itself keeps its width (once the
  // chart has followed the new width: it measures its frame after the resize, not during it).
  await page.setViewportSize({ width: 412, height: 915 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
});

test("the Nightscout paths answer JSON through the server's router, errors and unserved methods included", async ({ request }) => {
  const put = await request.put("/api/v1/entries", { data: [] });
  expect(put.status()).toBe(405);
  expect(await put.json()).toMatchObject({ error: "method_not_allowed" });
  expect(put.headers().allow).toBe("GET, POST");

  const version = await request.get("/api/v3/version");
  expect(await version.json()).toMatchObject({ status: 200, result: { apiVersion: "3.0.3-alpha" } });
  // Static paths before the dynamic collection: /api/v3/status is the status, /api/v3/food a collection.
  for (const path of ["/api/v3/status", "/api/v3/food", "/api/v3/entries/history/0"]) {
    const response = await request.get(path, { headers: { authorization: "Bearer " } });
    expect(response.status()).toBe(401);
    expect(await response.json()).toMatchObject({ status: 401, message: expect.stringContaining("Missing or bad access token or JWT") });
  }
  const token = await request.get("/api/v2/authorization/request/lnt_ns_unknown");
  expect(token.status()).toBe(401);
  expect(await token.json()).toMatchObject({ error: "unauthenticated" });
});
