import { expect, type APIRequestContext, type Page, test } from "@playwright/test";
import { enterSignInCode, formNotice, setUpAuthenticator, signIn, signOut } from "./support/pages";
import { freshTotpCode, withAccountTurn } from "./support/totp";
import { loadWorld } from "./support/world";

const world = loadWorld();

async function signInWithPassword(page: Page, account: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** next-auth's credentials sign-in in one request, as a script does it; true when a session cookie came back. */
async function scriptSignIn(request: APIRequestContext, fields: Record<string, string>): Promise<{ session: boolean; location: string }> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const answer = await request.post("/api/auth/callback/credentials", { form: { csrfToken, callbackUrl: "/", ...fields }, maxRedirects: 0 });
  const setCookies = answer.headersArray().filter((header) => header.name.toLowerCase() === "set-cookie").map((header) => header.value);
  return { session: setCookies.some((cookie) => /authjs\.session-token=[^;]+/.test(cookie)), location: answer.headers().location ?? "" };
}

test.describe("two-step sign-in", () => {
  test("a clinician's first sign-in: confined to setting up an authenticator with a QR code, then signs in with a code", async ({ page }) => {
    test.setTimeout(150_000);
    const account = world.newcomerClinician;
    await signInWithPassword(page, account);
    await expect(page).toHaveURL(/\/account\/two-step$/);
    await expect(page.getByRole("heading", { name: "Two-step sign-in", level: 1 })).toBeVisible();
    await expect(page.getByRole("img", { name: "QR code to scan with your authenticator app" })).toBeVisible();
    await expect(page.locator(".qr-code svg")).toBeVisible();
    await expect(page.getByText(/Key: [A-Z2-7]{4} /)).toBeVisible();

    // Nothing else opens until it is set up: pages send back here, the APIs refuse.
    await page.goto("/clinician");
    await expect(page).toHaveURL(/\/account\/two-step$/);
    await page.goto(`/patients/${world.patientIds.fingerstick}`);
    await expect(page).toHaveURL(/\/account\/two-step$/);
    expect((await page.request.get(`/api/patients/${world.patientIds.fingerstick}/glucose-report`)).status()).toBe(403);
    expect(await (await page.request.get("/api/auth/session")).json()).toBeNull();
    await expect(page.getByRole("link", { name: "Home" })).toHaveCount(0);

    await page.getByLabel("Code from the app").fill("000000");
    await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
    await expect(formNotice(page)).toContainText("That code is not the one your authenticator app shows now");

    const { recoveryCodes } = await setUpAuthenticator(page, account.email);
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    await page.getByRole("link", { name: /I have saved my recovery codes/ }).click();
    await expect(page).toHaveURL("/clinician");
    // Now the API answers as the clinician: this patient is not on their care team, so it does not exist for them.
    expect((await page.request.get(`/api/patients/${world.patientIds.fingerstick}/glucose-report`)).status()).toBe(404);

    // Next time: password, then the code page.
    await signOut(page);
    await signIn(page, account, /\/clinician/);
    await page.goto("/account/two-step");
    await expect(page.getByText("Two-step sign-in is on. You have 10 unused recovery codes.")).toBeVisible();
  });

  test("a wrong code is refused, and a recovery code signs in exactly once", async ({ page }) => {
    // Each sign-in waits for a TOTP step not used yet.
    test.setTimeout(240_000);
    const account = world.twoStepClinician;
    await signIn(page, account, /\/clinician/);
    // Staff cannot turn it off; moving to another phone needs the password and a current code.
    await page.goto("/account/two-step");
    await expect(page.getByRole("heading", { name: "Turn off two-step sign-in" })).toHaveCount(0);
    await page.getByLabel("Your password").fill(account.password);
    await page.getByLabel("Current code or a recovery code").fill("000000");
    await page.getByRole("button", { name: "Set up a new authenticator" }).click();
    await expect(formNotice(page).first()).toContainText("Your password or code is not right");
    await signOut(page);

    await signInWithPassword(page, account);
    await expect(page).toHaveURL(/\/sign-in\/code/);
    const right = await freshTotpCode(account.email, account.totpSecret!);
    await enterSignInCode(page, right === "123456" ? "654321" : "123456");
    await expect(formNotice(page)).toContainText("That code is not right");
    await expect(page).toHaveURL(/\/sign-in\/code/);
    // The right code after a wrong one.
    await enterSignInCode(page, right);
    await expect(page).toHaveURL("/clinician");

    // A recovery code, shown when the authenticator was set up anew (password and current code first).
    await page.goto("/account/two-step");
    await page.getByLabel("Your password").fill(account.password);
    await page.getByLabel("Current code or a recovery code").fill(await freshTotpCode(account.email, account.totpSecret!));
    await page.getByRole("button", { name: "Set up a new authenticator" }).click();
    await expect(page.getByRole("heading", { name: "Set up your new authenticator" })).toBeVisible();
    const { recoveryCodes, secret } = await setUpAuthenticator(page, account.email);
    expect(secret).not.toBe(account.totpSecret);
    await page.getByRole("link", { name: /I have saved my recovery codes/ }).click();
    await signOut(page);

    for (const attempt of ["first", "second"] as const) {
      await signInWithPassword(page, account);
      await expect(page).toHaveURL(/\/sign-in\/code/);
      await enterSignInCode(page, recoveryCodes[0]!.toLowerCase());
      if (attempt === "first") {
        await expect(page).toHaveURL("/clinician");
        await signOut(page);
      } else {
        await expect(formNotice(page)).toContainText("That code is not right, or it was already used");
      }
    }
  });

  test("scripts send the code as `otp` in the same credentials request; the password alone gets no session", async ({ playwright, baseURL }) => {
    const account = world.clinician;
    const request = await playwright.request.newContext({ baseURL });
    const withoutCode = await scriptSignIn(request, { email: account.email, password: account.password });
    expect(withoutCode.session).toBe(false);
    expect(withoutCode.location).toContain("code=second-factor-required");

    // Other workers sign in as this clinician too: take a turn, so codes reach the server in the order of their steps.
    const withCode = await withAccountTurn(account.email, async () =>
      scriptSignIn(request, { email: account.email, password: account.password, otp: await freshTotpCode(account.email, account.totpSecret!) }),
    );
    expect(withCode.session).toBe(true);
    expect(((await (await request.get("/api/auth/session")).json()) as { user?: { id?: string } }).user?.id).toBe(account.userId);
    await request.dispose();
  });
});
