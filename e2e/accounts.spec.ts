import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { emailedLinkPath } from "./support/mail";
import { formNotice } from "./support/pages";

/**
 * One self-registered patient's account from start to end: email confirmation, a password change
 * that signs out the other browser, "sign out everywhere", and a reset by the emailed link. Its own
 * account, so other specs' sessions are untouched.
 */
const EMAIL = "rita.reset@example.org";
const FIRST = "meadow harbour lantern pebble";
const SECOND = "copper tractor sonnet violin";
const THIRD = "orchid granite whistle tugboat";

async function register(page: Page) {
  await page.goto("/register");
  await page.getByLabel("First name").fill("Rita");
  await page.getByLabel("Last name").fill("Reset");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Date of birth").fill("1979-05-04");
  await page.getByLabel("Password").fill(FIRST);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Check your email: we sent a link to confirm your address.")).toBeVisible();
}

/** Signs in through the form and waits for the patient's own page (a heavy first render on a loaded machine). */
async function signIn(page: Page, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "My glucose" })).toBeVisible({ timeout: 20_000 });
}

async function signedInElsewhere(browser: Browser, password: string): Promise<Page> {
  const other = await (await browser.newContext()).newPage();
  await signIn(other, password);
  return other;
}

/** The other browser's next request finds its session ended. */
async function expectSignedOut(page: Page) {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in/);
}

test("a patient confirms their email, changes their password, signs out everywhere and resets a forgotten password by email", async ({ page, browser }) => {
  // One account's whole life in four browsers: several times one ordinary spec's budget.
  test.setTimeout(240_000);
  await register(page);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(FIRST);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(formNotice(page)).toContainText("Confirm your email address first");

  await page.goto(await emailedLinkPath(EMAIL, "Confirm your email for Lantern"));
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await expect(page.getByText("Your email is confirmed.")).toBeVisible();

  // Change the password: the other browser is signed out, this one stays.
  await signIn(page, FIRST);
  const phone = await signedInElsewhere(browser, FIRST);
  await page.getByRole("link", { name: "Account" }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await page.getByLabel("Current password", { exact: true }).fill("not my password at all");
  await page.getByLabel("New password", { exact: true }).fill(SECOND);
  await page.getByLabel("Type the new password again").fill(SECOND);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#currentPassword-error")).toContainText("This is not your current password");
  await page.getByLabel("Current password", { exact: true }).fill(FIRST);
  await page.getByLabel("New password", { exact: true }).fill(SECOND);
  await page.getByLabel("Type the new password again").fill(SECOND);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(formNotice(page)).toContainText("Your password is changed. Every other session of your account has ended");
  await expectSignedOut(phone);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // Sign out everywhere: this browser and the other one.
  const laptop = await signedInElsewhere(browser, SECOND);
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expectSignedOut(laptop);
  await expectSignedOut(page);

  // Forgot the password: an unknown email gets the same answer; the link works once and ends every session.
  const tablet = await signedInElsewhere(browser, SECOND);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.getByLabel("Email").fill("nobody.here@example.org");
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.locator(".notice")).toBeVisible();
  const unknownAnswer = await page.locator(".notice").textContent();
  await page.goto("/forgot-password");
  await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByText("If an account uses this email, we have sent it a link")).toBeVisible();
  expect(await page.locator(".notice").textContent()).toBe(unknownAnswer);

  const resetPath = await emailedLinkPath(EMAIL, "Reset your Lantern password");
  await page.goto(resetPath);
  await page.getByLabel("New password").fill(THIRD);
  await page.getByLabel("Type it again").fill(THIRD);
  await page.getByRole("button", { name: "Set my new password" }).click();
  await expect(page.getByText("Your new password is set and every session of your account has ended.")).toBeVisible();
  await expectSignedOut(tablet);

  await page.goto(resetPath);
  await expect(page.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(SECOND);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(formNotice(page)).toHaveText("Email or password is incorrect.");
  await signIn(page, THIRD);
});
