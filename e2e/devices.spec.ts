import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

test("a patient registers a meter, the meter pairs and uploads, and the patient sees it, rotates and revokes it", async ({ page, request }) => {
  await signIn(page, world.outsiderPatient);
  await page.getByRole("link", { name: "Meters and apps" }).click();

  await page.getByLabel("Kind of meter").selectOption("fingerstick-meter");
  await page.getByLabel("Model").fill("Contour Next One");
  await page.getByLabel("Serial number").fill("E2E-METER-1");
  await page.getByRole("button", { name: "Register and get a pairing code" }).click();
  const pairingNotice = page.locator("form .notice").filter({ hasText: "Pairing code:" });
  await expect(pairingNotice).toBeVisible();
  const code = /Pairing code: (\S{4}-\S{4})/.exec(await pairingNotice.innerText())?.[1];
  expect(code).toBeTruthy();
  await expect(page.getByRole("row", { name: /Contour Next One.*Waiting to pair/ })).toBeVisible();

  const paired = await request.post("/api/devices/pair", { data: { code, serialNumber: "E2E-METER-1", model: "Contour Next One", firmwareVersion: "2.0.0" } });
  expect(paired.status()).toBe(201);
  const { token } = (await paired.json()) as { token: string };

  const upload = await request.post("/api/devices/readings", {
    headers: { authorization: `Bearer ${token}` },
    data: { readings: [{ time: new Date(Date.now() - 3_600_000).toISOString(), value: 7.2, unit: "mmol/L", seq: 1, mealContext: "after-meal" }], firmwareVersion: "2.1.0", battery: 64 },
  });
  expect(await upload.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

  await page.reload();
  const row = page.getByRole("row", { name: /Contour Next One/ });
  await expect(row).toContainText("Active");
  await expect(row).toContainText("2.1.0");
  await expect(row).toContainText("64%");

  await page.getByRole("link", { name: "Readings" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Connected meter" }).filter({ hasText: "7.2 mmol/L" })).toHaveCount(1);

  await page.getByRole("link", { name: "Meters and apps" }).click();
  // Replacing a token asks first; declining changes nothing.
  page.once("dialog", (dialog) => void dialog.dismiss());
  await page.getByRole("row", { name: /Contour Next One/ }).getByRole("button", { name: "New token" }).click();
  expect((await request.post("/api/devices/readings", { headers: { authorization: `Bearer ${token}` }, data: { readings: [] } })).status()).not.toBe(401);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("row", { name: /Contour Next One/ }).getByRole("button", { name: "New token" }).click();
  // The once-shown token sits in a full-width block above the table, whole, with a copy button.
  const tokenBlock = page.locator("#device-action-result .secret-block");
  await expect(tokenBlock).toContainText("New device token");
  await expect(tokenBlock.getByRole("button", { name: "Copy" })).toBeVisible();
  const shownToken = await tokenBlock.locator(".secret-value").innerText();
  expect(shownToken).toMatch(/^lnt_dev_[A-Za-z0-9_-]{43}$/);
  const blockBox = (await tokenBlock.boundingBox())!;
  const tableBox = (await page.getByRole("table").first().boundingBox())!;
  expect(blockBox.width).toBeGreaterThanOrEqual(tableBox.width - 1);
  const newTokenUpload = await request.post("/api/devices/readings", { headers: { authorization: `Bearer ${shownToken}` }, data: { readings: [] } });
  expect(newTokenUpload.status()).not.toBe(401);
  const oldTokenUpload = await request.post("/api/devices/readings", { headers: { authorization: `Bearer ${token}` }, data: { readings: [] } });
  expect(oldTokenUpload.status()).toBe(401);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("row", { name: /Contour Next One/ }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row", { name: /Contour Next One.*Revoked/ })).toBeVisible();
});

test("an uploader app sends entries with the patient's API secret", async ({ page, request }) => {
  await signIn(page, world.guardian);
  await page.goto(`/patients/${world.patientIds.child}/devices`);
  await page.getByRole("button", { name: "Create an API secret" }).click();
  const notice = page.locator("form .notice").filter({ hasText: "API secret" });
  await expect(notice).toBeVisible();
  const secret = /shown once; any earlier secret no longer works\): (\S+)/.exec(await notice.innerText())?.[1];
  expect(secret).toBeTruthy();
  const apiSecret = createHash("sha1").update(secret!).digest("hex");

  const date = Date.now() - 10 * 60_000;
  const posted = await request.post("/api/v1/entries", { headers: { "api-secret": apiSecret }, data: [{ type: "sgv", sgv: 144, date, dateString: new Date(date).toISOString(), direction: "Flat", device: "xDrip-DexcomG6" }] });
  expect(posted.status()).toBe(200);
  const refused = await request.post("/api/v1/entries", { headers: { "api-secret": "0".repeat(40) }, data: [{ type: "sgv", sgv: 150, date }] });
  expect(refused.status()).toBe(401);

  const latest = await request.get("/api/v1/entries.json?count=1", { headers: { "api-secret": apiSecret } });
  expect(await latest.json()).toEqual([expect.objectContaining({ type: "sgv", sgv: 144, date })]);

  await page.goto(`/patients/${world.patientIds.child}`);
  await expect(page.getByRole("row").filter({ hasText: "Uploader app" })).toContainText("8.0");
});
