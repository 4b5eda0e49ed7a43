import { expect, test } from "@playwright/test";
import { emailedLinkPath } from "./support/mail";
import { signIn } from "./support/pages";

test.describe("patient self-registration", () => {
  test("an adult registers, is told why a weak password is refused, confirms their email, and lands on their page", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("First name").fill("Rosa");
    await page.getByLabel("Last name").fill("Nguyen");
    await page.getByLabel("Email").fill("rosa.nguyen@example.org");
    await page.getByLabel("Date of birth").fill("1985-07-09");
    await page.getByLabel("Time zone").selectOption("Europe/Paris");
    await page.getByLabel("Glucose unit").selectOption("mmol/L");
    await page.getByLabel("Password").fill("passwordpassword");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#password-error")).toHaveText("This password appears in lists of commonly used passwords. Choose one that is not.");
    await expect(page.getByLabel("First name")).toHaveValue("Rosa");
    await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Paris");
    await expect(page.getByLabel("Glucose unit")).toHaveValue("mmol/L");

    await page.getByLabel("Password").fill("harbour violet tractor sonnet");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Check your email: we sent a link to confirm your address.")).toBeVisible();

    await page.goto(await emailedLinkPath("rosa.nguyen@example.org", "Confirm your email for Lantern"));
    await page.getByRole("button", { name: "Confirm my email" }).click();
    await expect(page.getByText("Your email is confirmed.")).toBeVisible();
    await signIn(page, { email: "rosa.nguyen@example.org", password: "harbour violet tractor sonnet" });
    await expect(page.getByRole("heading", { name: "My glucose" })).toBeVisible();
    const about = page.getByRole("region", { name: "About" });
    await expect(about.getByRole("definition").filter({ hasText: "Europe/Paris" })).toBeVisible();
    await expect(about.getByRole("definition").filter({ hasText: "mmol/L" })).toBeVisible();
  });

  test("a child cannot register themself", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("First name").fill("Tom");
    await page.getByLabel("Last name").fill("Young");
    await page.getByLabel("Email").fill("tom.young@example.org");
    const fifteenYearsAgo = `${new Date().getUTCFullYear() - 15}-01-01`;
    await page.getByLabel("Date of birth").fill(fifteenYearsAgo);
    await page.getByLabel("Password").fill("harbour violet tractor sonnet");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#birthDate-error")).toContainText("You can register yourself from age 18");
  });
});
