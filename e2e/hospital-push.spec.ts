import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { formNotice, signIn, signOut } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

test("an admin adds a hospital FHIR endpoint, and a new reading reaches it as a transaction Bundle", async ({ page }) => {
  const received: { type: string; entry: { resource: { valueQuantity: { value: number } } }[] }[] = [];
  const hospital = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      response.writeHead(200, { "content-type": "application/fhir+json" }).end(JSON.stringify({ resourceType: "Bundle", type: "transaction-response", entry: [] }));
    });
  });
  await new Promise<void>((resolve) => hospital.listen(0, "127.0.0.1", () => resolve()));
  const port = (hospital.address() as AddressInfo).port;
  try {
    await signIn(page, world.admin);
    await page.goto("/admin/hospital-pushes");
    await page.getByLabel("Hospital system").fill("Stand-in hospital");
    await page.getByLabel("FHIR base URL").fill(`http://127.0.0.1:${port}/fhir`);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(formNotice(page)).toContainText("Endpoint added");
    await expect(page.getByRole("row", { name: /Stand-in hospital/ })).toBeVisible();
    await signOut(page);

    await signIn(page, world.fingerstickPatient);
    await page.getByLabel("Glucose value").fill("333");
    await page.getByRole("button", { name: "Add reading" }).click();
    await expect(formNotice(page)).toHaveText("Reading saved.");

    await expect
      .poll(() => received.some((bundle) => bundle.type === "transaction" && bundle.entry.some((entry) => entry.resource.valueQuantity.value === 333)), { timeout: 15_000 })
      .toBe(true);
  } finally {
    await new Promise<void>((resolve) => hospital.close(() => resolve()));
  }
});
