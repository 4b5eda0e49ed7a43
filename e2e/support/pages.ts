import { expect, type Page } from "@playwright/test";
import type { SeededAccount } from "@/lib/demo/seed";

/** Signs in through the real form and waits for the role's home page. */
export async function signIn(page: Page, account: Pick<SeededAccount, "email" | "password">, landing: RegExp = /\/(patients\/|clinician|guardian|admin|privacy-officer)/) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(landing);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** The form's own message, not Next's route announcer (which also has role="alert"). */
export function formNotice(page: Page) {
  return page.locator("form .notice");
}
