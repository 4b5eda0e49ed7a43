import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { formNotice, signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

/** What a hospital system does for each token: sign a fresh assertion and post it to the token URL. */
async function requestToken(request: APIRequestContext, tokenUrl: string, clientId: string, kid: string, privateKey: CryptoKey) {
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: "ES384", kid, typ: "JWT" })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenUrl)
    .setExpirationTime("4m")
    .sign(privateKey);
  return request.post(tokenUrl, {
    form: {
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
      scope: "system/Patient.read system/Observation.rs system/Device.rs",
    },
  });
}

test("an admin registers a hospital system, which gets a token with its key until the admin revokes it", async ({ page, request, baseURL }) => {
  const { publicKey, privateKey } = await generateKeyPair("ES384");
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const name = `Riverside EHR ${randomUUID().slice(0, 8)}`;

  await signIn(page, world.admin);
  await page.goto("/admin");
  await page.getByRole("link", { name: /register and revoke hospital systems/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Hospital systems (FHIR API)" })).toBeVisible();
  const tokenUrl = `${baseURL}/fhir/auth/token`;
  await expect(page.getByText(tokenUrl, { exact: true })).toBeVisible();

  const form = page.locator("form", { has: page.getByRole("button", { name: "Register the system" }) });
  await form.getByLabel("Name of the hospital system").fill(name);
  await form.getByLabel("Public key set (JWKS)").fill(JSON.stringify({ keys: [{ ...publicJwk, kid, use: "sig", alg: "ES384" }] }, null, 2));
  await form.getByLabel(/system\/Patient\.rs/).check();
  await form.getByLabel(/system\/Observation\.rs/).check();
  await form.getByRole("button", { name: "Register the system" }).click();
  const notice = formNotice(page).filter({ hasText: "is registered" });
  await expect(notice).toBeVisible();
  const clientId = /client_id is ([0-9a-f-]{36})/.exec(await notice.innerText())?.[1];
  expect(clientId).toBeTruthy();
  await expect(page.getByRole("row", { name: new RegExp(`${name}.*${clientId}.*Active`) })).toBeVisible();

  const granted = await requestToken(request, tokenUrl, clientId!, kid, privateKey);
  expect(granted.status()).toBe(200);
  expect(granted.headers()["cache-control"]).toBe("no-store");
  const token = (await granted.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
  expect(token).toMatchObject({ token_type: "bearer", expires_in: 300, scope: "system/Patient.rs system/Observation.rs" });
  const search = await request.get("/fhir/Patient?_count=1", { headers: { authorization: `Bearer ${token.access_token}` } });
  expect(search.status()).toBe(200);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("row", { name: new RegExp(name) }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row", { name: new RegExp(`${name}.*Revoked`) })).toBeVisible();

  const refused = await requestToken(request, tokenUrl, clientId!, kid, privateKey);
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({ error: "invalid_client" });
  const afterRevocation = await request.get("/fhir/Patient?_count=1", { headers: { authorization: `Bearer ${token.access_token}` } });
  expect(afterRevocation.status()).toBe(401);
});

test("the registration form explains a pasted private key", async ({ page }) => {
  const { privateKey } = await generateKeyPair("ES384", { extractable: true });
  await signIn(page, world.admin);
  await page.goto("/admin/clients");
  const form = page.locator("form", { has: page.getByRole("button", { name: "Register the system" }) });
  await form.getByLabel("Name of the hospital system").fill("Careless EHR");
  await form.getByLabel("Public key set (JWKS)").fill(JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: "k1" }] }));
  await form.getByRole("button", { name: "Register the system" }).click();
  await expect(form.getByLabel("Public key set (JWKS)")).toHaveAccessibleDescription(/private key material/);
  await expect(form.getByText("Choose at least one scope")).toBeVisible();
  await expect(form.getByLabel("Name of the hospital system")).toHaveValue("Careless EHR");
});

test("the SMART configuration names the token endpoint", async ({ request, baseURL }) => {
  const response = await request.get("/fhir/.well-known/smart-configuration");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ token_endpoint: `${baseURL}/fhir/auth/token`, capabilities: expect.arrayContaining(["client-confidential-asymmetric"]) });
});
