import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { accountTokens, users, type AccountTokenPurpose } from "@/db/schema";
import { environment } from "@/lib/config";
import { logUnexpected } from "@/lib/log";
import { sendMail, type MailMessage } from "@/lib/mail/send";
import { generateToken, sha256Hex } from "@/lib/security/tokens";

/**
 * Emailed one-time links for an existing account (a password reset, the confirmation of a new
 * account's email): 256 random bits, stored only as their SHA-256, usable once before they expire.
 */

const LINK_PATHS: Record<AccountTokenPurpose, string> = { "password-reset": "/reset-password", "email-verification": "/verify-email" };
const TOKEN_PREFIXES: Record<AccountTokenPurpose, string> = { "password-reset": "rst", "email-verification": "vfy" };

export function accountLinkLifetimeMs(purpose: AccountTokenPurpose): number {
  const { LANTERN_PASSWORD_RESET_MINUTES, LANTERN_EMAIL_VERIFICATION_HOURS } = environment();
  return purpose === "password-reset" ? LANTERN_PASSWORD_RESET_MINUTES * 60_000 : LANTERN_EMAIL_VERIFICATION_HOURS * 3_600_000;
}

/** Stores a new link for the account and returns its address (the token appears only there). */
export async function issueAccountLink(tx: Transaction, userId: string, purpose: AccountTokenPurpose, siteOrigin: string, now: Date): Promise<string> {
  const token = generateToken(TOKEN_PREFIXES[purpose]);
  await tx.insert(accountTokens).values({ userId, purpose, tokenHash: sha256Hex(token), expiresAt: new Date(now.getTime() + accountLinkLifetimeMs(purpose)), createdAt: now });
  return `${siteOrigin}${LINK_PATHS[purpose]}/${token}`;
}

export interface OpenAccountLink {
  tokenId: string;
  userId: string;
  email: string;
  displayName: string;
  organizationId: string;
  role: (typeof users.$inferSelect)["role"];
}

/** The account a link is for, while the link is unused and unexpired and the account not disabled. */
export async function openAccountLink(db: Database | Transaction, token: string, purpose: AccountTokenPurpose, now: Date): Promise<OpenAccountLink | undefined> {
  const [row] = await db
    .select({ tokenId: accountTokens.id, userId: users.id, email: users.email, displayName: users.displayName, organizationId: users.organizationId, role: users.role })
    .from(accountTokens)
    .innerJoin(users, eq(users.id, accountTokens.userId))
    .where(and(eq(accountTokens.tokenHash, sha256Hex(token)), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now), isNull(users.disabledAt)));
  return row;
}

/**
 * Uses up a link, and with it every other open link of the same purpose for the account (an older
 * reset email stops working once a newer one was used). False when another request used it first.
 */
export async function useAccountLink(tx: Transaction, link: OpenAccountLink, purpose: AccountTokenPurpose, now: Date): Promise<boolean> {
  const used = await tx
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.id, link.tokenId), isNull(accountTokens.usedAt)))
    .returning({ id: accountTokens.id });
  if (used.length === 0) return false;
  await tx.update(accountTokens).set({ usedAt: now }).where(and(eq(accountTokens.userId, link.userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
  return true;
}

/**
 * Sends a message without making the request wait for the mail server, so an answer that must not
 * tell whether an account exists also takes the same time either way. A refused message is logged
 * (never its address or text); the person can ask again.
 */
export function sendWithoutWaiting(message: MailMessage): void {
  sendMail(message).catch((error: unknown) => logUnexpected("mail", null, error));
}
