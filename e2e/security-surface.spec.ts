import { request as httpRequest } from "node:http";
import { expect, test, type APIResponse, type Page } from "@playwright/test";
import { signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();
const port = Number(process.env.E2E_PORT ?? 3100);

function expectSecurityHeaders(headers: Record<string, string>) {
  expect(headers["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["x-content-type-options"]).toBe("nosniff");
}

/** Collects Content-Security-Policy violations the page reports, from the console and the DOM event. */
async function watchPolicyViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample} ${location.pathname}`));
  });
  return violations;
}

test.describe("response headers", () => {
  test("pages carry a nonce-based policy without inline scripts, work under it, and keep patient pages out of caches", async ({ page }) => {
    const violations = await watchPolicyViolations(page);
    const signInPage = await page.goto("/sign-in");
    const headers = signInPage!.headers();
    expectSecurityHeaders(headers);
    const scripts = headers["content-security-policy"]!.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src"))!;
    expect(scripts).toMatch(/'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(scripts).not.toContain("unsafe-inline");
    expect(scripts).not.toContain("unsafe-eval");
    // A fresh nonce per response.
    const again = (await page.request.get("/sign-in")).headers()["content-security-policy"];
    expect(again).not.toBe(headers["content-security-policy"]);

    await signIn(page, world.fingerstickPatient);
    const patientPage = await page.goto(`/patients/${world.patientIds.fingerstick}`);
    expectSecurityHeaders(patientPage!.headers());
    expect(patientPage!.headers()["cache-control"]).toContain("no-store");
    await expect(page.getByRole("heading", { name: "My glucose" })).toBeVisible();
    expect(violations).toEqual([]);

    const session = (await page.context().cookies()).find((cookie) => cookie.name.endsWith("authjs.session-token"))!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  });

  test("FHIR and API answers carry the non-page policy and no-store", async ({ request }) => {
    const answers: APIResponse[] = [
      await request.get("/fhir/metadata"),
      await request.get("/fhir/Observation"),
      await request.post("/api/devices/readings", { data: { readings: [] } }),
      await request.get("/api/v1/entries.json"),
    ];
    for (const answer of answers) {
      const headers = answer.headers();
      expectSecurityHeaders(headers);
      expect(headers["content-security-policy"]).toContain("default-src 'none'");
      expect(headers["cache-control"]).toContain("no-store");
    }
  });
});

test.describe("public endpoints", () => {
  test("security.txt names the contact and an expiry; healthz and readyz answer without data", async ({ request }) => {
    const securityTxt = await request.get("/.well-known/security.txt");
    expect(securityTxt.status()).toBe(200);
    const text = await securityTxt.text();
    expect(text).toContain("Contact: mailto:security@lantern.example");
    const expires = new Date(/^Expires: (.+)$/m.exec(text)![1]!);
    expect(expires.getTime()).toBeGreaterThan(Date.now());
    expect(expires.getTime()).toBeLessThan(Date.now() + 366 * 86_400_000);

    expect(await (await request.get("/healthz")).json()).toEqual({ status: "ok" });
    const ready = await request.get("/readyz");
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });
});

/** A request over a socket bound to `localAddress` (127.0.0.0/8 is all loopback): the server sees that address. */
function rawRequest(localAddress: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, localAddress, method, path, headers: { ...headers, ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Auth.js's credentials sign-in, as a script would do it, from `localAddress` claiming `forwardedFor`. */
async function credentialsSignIn(localAddress: string, forwardedFor: string, email: string, password: string): Promise<boolean> {
  const csrf = await rawRequest(localAddress, "GET", "/api/auth/csrf", { "x-forwarded-for": forwardedFor });
  const cookie = ([] as string[]).concat(csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email, password, callbackUrl: "/" }).toString();
  const answer = await rawRequest(localAddress, "POST", "/api/auth/callback/credentials", { cookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": forwardedFor }, form);
  return ([] as string[]).concat(answer.headers["set-cookie"] ?? []).some((c) => /authjs\.session-token=[^;]+/.test(c));
}

test.describe("the per-address sign-in limit", () => {
  test("holds against a rotating X-Forwarded-For, and only for that address", async () => {
    test.setTimeout(180_000);
    const flooder = `127.0.0.${10 + Math.floor(Math.random() * 200)}`;
    for (let attempt = 0; attempt < 50; attempt++) {
      expect(await credentialsSignIn(flooder, `198.51.100.${attempt}`, `nobody-${attempt}@lantern.example`, "a wrong guess")).toBe(false);
    }
    // The right password, from the same socket address claiming yet another client: refused.
    expect(await credentialsSignIn(flooder, "203.0.113.99", world.outsiderPatient.email, world.outsiderPatient.password)).toBe(false);
    // Another address is not affected.
    expect(await credentialsSignIn("127.0.0.1", "198.51.100.1", world.outsiderPatient.email, world.outsiderPatient.password)).toBe(true);
  });
});

test.describe("signing out revokes the session on the server", () => {
  test("Auth.js's own /api/auth/signout: the copied cookie no longer signs in, and /api/auth/session says so", async ({ page, playwright, baseURL }) => {
    await signIn(page, world.guardian, /\/guardian/);
    const session = (await page.context().cookies()).find((cookie) => cookie.name.endsWith("authjs.session-token"))!;
    const copy = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: `${session.name}=${session.value}` } });
    expect(((await (await copy.get("/api/auth/session")).json()) as { user?: unknown } | null)?.user).toBeTruthy();

    const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await page.request.post("/api/auth/signout", { form: { csrfToken, callbackUrl: "/sign-in" } });

    expect(await (await copy.get("/api/auth/session")).json()).toBeNull();
    const home = await copy.get("/guardian");
    expect(home.url()).toContain("/sign-in");
    await copy.dispose();
  });
});
