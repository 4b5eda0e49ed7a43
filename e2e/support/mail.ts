import { existsSync, readFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";
import type { ReceivedMail } from "@/test/smtp-receiver";
import { mailboxFile } from "./world";

/** Every email the e2e server has sent so far, in order (e2e/support/server.ts keeps them). */
export function mailbox(): ReceivedMail[] {
  if (!existsSync(mailboxFile)) return [];
  return readFileSync(mailboxFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReceivedMail);
}

function messagesTo(email: string): ReceivedMail[] {
  return mailbox().filter((message) => message.to.includes(email.toLowerCase()) || message.to.includes(email));
}

/** The path of the invitation link in the latest email the e2e server sent to `email`. */
export async function invitationPath(email: string): Promise<string> {
  await expect.poll(() => messagesTo(email).length, { message: `an invitation reaches ${email}` }).toBeGreaterThan(0);
  const latest = messagesTo(email).at(-1)!;
  expect(latest.subject).toBe("Set your Lantern password");
  return new URL(/https?:\/\/\S+\/invitation\/\S+/.exec(latest.text)![0]).pathname;
}

/**
 * The path of the link in the `nth` email (1 = the first) with this subject sent to `email`, waiting
 * for it: a password-reset or email-confirmation link, as its recipient would open it.
 */
export async function emailedLinkPath(email: string, subject: string, nth = 1): Promise<string> {
  const withSubject = () => messagesTo(email).filter((message) => message.subject === subject);
  await expect.poll(() => withSubject().length, { message: `email ${nth} "${subject}" reaches ${email}` }).toBeGreaterThanOrEqual(nth);
  return new URL(/https?:\/\/\S+\/(reset-password|verify-email)\/\S+/.exec(withSubject()[nth - 1]!.text)![0]).pathname;
}

/** Opens the emailed link and chooses a password, as the invited person would. */
export async function acceptInvitation(page: Page, email: string, password: string): Promise<void> {
  await page.goto(await invitationPath(email));
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Type it again").fill(password);
  await page.getByRole("button", { name: "Set my password" }).click();
  await expect(page.getByText("Your password is set.")).toBeVisible();
}
