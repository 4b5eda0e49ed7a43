import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signIn } from "./support/pages";
import { loadWorld, serverLogFile } from "./support/world";

const world = loadWorld();

/**
 * Runs after every other spec (its project depends on theirs): it drives the paths that once put
 * health data in the log (database errors with their parameters), then reads everything the
 * server printed and fails on any seeded name, email, password, hash, token, note or the glucose
 * values it sent (PRIVACY-SECURITY.md D2).
 */
const DISTINCT_VALUE = "271.828";
const DISTINCT_NOTE = "quokka-meridian-5523";

test("the server log holds no names, notes, glucose values, password hashes or tokens", async ({ page, request }) => {
  await signIn(page, world.outsiderPatient);
  await page.getByRole("link", { name: "Meters and apps" }).click();
  await page.getByLabel("Kind of meter").selectOption("cgm");
  await page.getByLabel("Model").fill("Log CGM");
  await page.getByLabel("Serial number").fill("LOG-CGM-1");
  await page.getByRole("button", { name: "Register and get a pairing code" }).click();
  const code = /Pairing code: (\S{4}-\S{4})/.exec(await page.locator("form .notice").filter({ hasText: "Pairing code:" }).innerText())?.[1];
  const paired = await request.post("/api/devices/pair", { data: { code, serialNumber: "LOG-CGM-1", model: "Log CGM" } });
  const { token } = (await paired.json()) as { token: string };

  // Stored, refused for a bad time, and refused for text PostgreSQL cannot store.
  const time = new Date(Date.now() - 600_000).toISOString();
  const stored = await request.post("/api/devices/readings", { headers: { authorization: `Bearer ${token}` }, data: { readings: [{ time, value: Number(DISTINCT_VALUE), unit: "mg/dL" }] } });
  expect(stored.status()).toBe(200);
  const badTime = await request.post("/api/devices/readings", { headers: { authorization: `Bearer ${token}` }, data: { readings: [{ time: "yesterday", value: Number(DISTINCT_VALUE), unit: "mg/dL" }] } });
  expect(await badTime.json()).toMatchObject({ accepted: 0, rejected: [expect.objectContaining({ index: 0 })] });
  const nul = await request.post("/api/devices/readings", { headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, data: `{"readings":[],"firmwareVersion":"${DISTINCT_NOTE}\\u0000"}` });
  expect(nul.status()).toBe(400);

  // A reading note with a NUL byte, through the form's server action as a script would send it.
  await page.getByRole("link", { name: "Readings" }).click();
  await page.getByLabel("Glucose value").fill(DISTINCT_VALUE);
  await page.getByLabel("Note").fill(`${DISTINCT_NOTE}`);
  await page.evaluate(() => {
    const note = document.querySelector<HTMLTextAreaElement | HTMLInputElement>("[name=note]")!;
    note.value = `${note.value}\u0000`;
  });
  await page.getByRole("button", { name: "Add reading" }).click();
  await expect(page.locator("#note-error")).toBeVisible();

  // FHIR errors: a malformed cursor and an identifier with a NUL.
  const search = await page.request.get(`/fhir/Observation?patient=${world.patientIds.outsider}&_cursor=${Buffer.from('{"v":1}').toString("base64url")}`);
  expect(search.status()).toBe(400);

  const log = readFileSync(serverLogFile, "utf8");
  expect(log.length).toBeGreaterThan(0);
  const accounts = [world.admin, world.clinician, world.fingerstickPatient, world.cgmPatient, world.guardian, world.outsiderPatient];
  const forbidden = [
    ...accounts.flatMap((account) => [account.name, account.email, account.password]),
    "Kit Parent",
    "$argon2id$",
    "lnt_dev_",
    "lnt_at_",
    // Nightscout access tokens (e2e/nightscout.spec.ts creates one).
    "lnt_ns_",
    token,
    world.backendClient.privateJwk.d!,
    DISTINCT_VALUE,
    DISTINCT_NOTE,
  ];
  for (const text of forbidden) expect(log.includes(text), `the server log contains ${JSON.stringify(text.slice(0, 12))}…`).toBe(false);
});
