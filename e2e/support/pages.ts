import { expect, type Page } from "@playwright/test";
import type { SeededAccount } from "@/lib/demo/seed";
import { freshTotpCode, rememberedTotpSecret, rememberTotpSecret, withAccountTurn } from "./totp";

type Credentials = Pick<SeededAccount, "email" | "password"> & { totpSecret?: string };

/**
 * Signs in through the real form and waits for the role's home page. An account with an
 * authenticator types its current code on the code page; a clinician, admin or privacy officer
 * signing in for the first time sets up an authenticator on the way (the key read from the page,
 * as a person would type it into an app).
 */
export async function signIn(page: Page, account: Credentials, landing: RegExp = /\/(patients\/|clinician|guardian|admin|privacy-officer)/) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`${landing.source}|/sign-in/code|/account/two-step`));
  const { pathname } = new URL(page.url());
  if (pathname === "/sign-in/code") {
    const secret = account.totpSecret ?? rememberedTotpSecret(account.email);
    if (!secret) throw new Error(`${account.email} has an authenticator but the test knows no TOTP secret for it.`);
    await withAccountTurn(account.email, async () => {
      await enterSignInCode(page, await freshTotpCode(account.email, secret));
      await expect(page).toHaveURL(landing, { timeout: 30_000 });
    });
  } else if (pathname === "/account/two-step") {
    await setUpAuthenticator(page, account.email);
    await page.getByRole("link", { name: /I have saved my recovery codes/ }).click();
  }
  await expect(page).toHaveURL(landing);
}

export async function enterSignInCode(page: Page, code: string) {
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
}

/** On the set-up page: reads the key, confirms with its code; returns the key and the recovery codes shown. */
export async function setUpAuthenticator(page: Page, email: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const keyText = await page.locator("code.secret").first().innerText();
  const secret = keyText.replace(/\s+/g, "");
  rememberTotpSecret(email, secret);
  await page.getByLabel("Code from the app").fill(await freshTotpCode(email, secret));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  return { secret, recoveryCodes: await codes.allInnerTexts() };
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** The form's own message, not Next's route announcer (which also has role="alert"). */
export function formNotice(page: Page) {
  return page.locator("form .notice");
}
