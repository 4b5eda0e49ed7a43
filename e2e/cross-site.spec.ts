import { expect, test } from "@playwright/test";
import { signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

test.describe("a page on another site cannot write with the user's session", () => {
  test("a cross-origin text/plain POST (what a form on another site can send) is refused with 403 and imports nothing", async ({ page }) => {
    await signIn(page, world.fingerstickPatient);
    const csv = "time,value,unit\n2026-10-01T08:00:00+00:00,123,mg/dL\n";
    const endpoint = `/api/patients/${world.patientIds.fingerstick}/imports?mode=commit`;
    // The browser context carries the session cookie, as a victim's browser would.
    const forged = await page.request.post(endpoint, { headers: { "content-type": "text/plain", origin: "https://evil.example" }, data: csv });
    expect(forged.status()).toBe(403);
    expect(await forged.json()).toMatchObject({ error: "forbidden" });

    // Same site, but text/plain (the only body type a form can forge besides urlencoded/multipart): refused too.
    const plain = await page.request.post(endpoint.replace("commit", "preview"), { headers: { "content-type": "text/plain" }, data: csv });
    expect(plain.status()).toBe(400);

    const fhir = await page.request.post("/fhir/Observation", { headers: { "content-type": "text/plain", origin: "https://evil.example" }, data: "{}" });
    expect(fhir.status()).toBe(403);
    expect(await fhir.json()).toMatchObject({ resourceType: "OperationOutcome" });
  });
});
