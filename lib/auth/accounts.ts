import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { accountTokens, users } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { hitRateLimit, RateLimited, rateLimitReached } from "@/lib/access/rate-limits";
import { audited, recordAudit, type AnonymousCaller } from "@/lib/audit/record";
import { AccessDenied, AppError } from "@/lib/errors";
import { accountLinkLifetimeMs, issueAccountLink, openAccountLink, sendWithoutWaiting, useAccountLink } from "@/lib/people/account-links";
import { hashPassword, verifyPassword } from "@/lib/security/password-hashing";
import { checkPassword } from "@/lib/security/password-policy";
import { sha256Hex } from "@/lib/security/tokens";
import { invalidFields, parseInput } from "@/lib/validation";
import type { GlucoseUnit } from "@/db/schema/readings-enums";
import { accountStatusSchema, changePasswordSchema, passwordResetRequestSchema, resetPasswordSchema, unitPreferenceSchema } from "./account-schemas";
import { endSessionsOf } from "./session";

/**
 * What a person does with their own account (change the password, reset it by email, confirm
 * their email, sign out everywhere) and an admin's disable. Every event is in the audit trail
 * (purpose `administration`), in the transaction that makes it.
 */

const MINUTE = 60_000;
/** Wrong current passwords while changing it, per account: the change form is no guessing oracle. */
export const PASSWORD_CHANGE_FAILURES = { limit: 5, windowMs: 15 * MINUTE } as const;
/** Reset emails asked for from one client address, whatever the email. */
export const RESET_REQUESTS_PER_ADDRESS = { limit: 10, windowMs: 15 * MINUTE } as const;
/** Reset emails sent to one address: nobody can flood a mailbox through Lantern. */
export const RESET_EMAILS_PER_ACCOUNT = { limit: 3, windowMs: 60 * MINUTE } as const;

const AUDIT_PASSWORD = { action: "update", resourceType: "Password", purpose: "administration" } as const;

function passwordChangedNotice(email: string): { to: string; subject: string; text: string } {
  return {
    to: email,
    subject: "Your Lantern password was changed",
    text: [
      "The password of your Lantern account was just changed, and every other session of the account was signed out.",
      "",
      "If you did not do this, choose a new password at once with \"Forgot your password?\" on the sign-in page, and tell your clinic.",
    ].join("\n"),
  };
}

async function accountOf(userId: string) {
  const [user] = await getDb()
    .select({ email: users.email, displayName: users.displayName, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new AccessDenied("account");
  return user;
}

function assertAcceptable(password: string, account: { email: string; displayName: string }): void {
  const verdict = checkPassword(password, { email: account.email, name: account.displayName });
  if (!verdict.ok) throw invalidFields({ password: [verdict.reason] });
}

/**
 * A signed-in person changes their password: the current one first (re-authentication, ASVS
 * V6.2.3), the new one through the password policy. Every other session of the account ends; the
 * one that made the change stays signed in. Open reset links stop working.
 */
export async function changePassword(actor: UserActor, input: unknown, currentSessionId: string | null, now = new Date()): Promise<void> {
  const form = parseInput(changePasswordSchema, input);
  const account = await accountOf(actor.userId);
  const failuresKey = `password-change:user:${actor.userId}`;
  const throttle = await rateLimitReached(failuresKey, PASSWORD_CHANGE_FAILURES, now);
  if (!throttle.allowed) {
    throw new RateLimited(`Too many wrong current passwords. Try again in ${Math.ceil(throttle.retryAfterSeconds / 60)} minutes.`, throttle.retryAfterSeconds);
  }
  if (!(await verifyPassword(account.passwordHash, form.currentPassword))) {
    await hitRateLimit(failuresKey, PASSWORD_CHANGE_FAILURES, now);
    await recordAudit(getDb(), actor, { ...AUDIT_PASSWORD, resourceId: actor.userId, outcome: "failure" });
    throw invalidFields({ currentPassword: ["This is not your current password. Type the one you signed in with."] });
  }
  if (form.password === form.currentPassword) throw invalidFields({ password: ["Choose a password different from your current one."] });
  assertAcceptable(form.password, account);
  const passwordHash = await hashPassword(form.password);
  await audited(actor, AUDIT_PASSWORD, async (tx, trail) => {
    trail.resourceId = actor.userId;
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.userId));
    await tx.update(accountTokens).set({ usedAt: now }).where(and(eq(accountTokens.userId, actor.userId), eq(accountTokens.purpose, "password-reset"), isNull(accountTokens.usedAt)));
    await endSessionsOf(tx, actor.userId, currentSessionId);
  });
  sendWithoutWaiting(passwordChangedNotice(account.email));
}

/** "Sign out everywhere": every session of the account ends, this one included. */
export async function signOutEverywhere(actor: UserActor): Promise<{ ended: number }> {
  return audited(actor, { action: "sign-out", resourceType: "Session", purpose: "administration" }, async (tx, trail) => {
    trail.resourceId = actor.userId;
    return { ended: await endSessionsOf(tx, actor.userId) };
  });
}

/**
 * The unit a person reads glucose in on every patient's report and on the triage list; null:
 * each patient's own preferred unit (the default). Anyone signed in sets their own, audited.
 */
export async function setPreferredUnit(actor: UserActor, input: unknown): Promise<GlucoseUnit | null> {
  const { unit } = parseInput(unitPreferenceSchema, input);
  const preferredUnit = unit === "patient" ? null : unit;
  return audited(actor, { action: "update", resourceType: "Preference", purpose: "administration" }, async (tx, trail) => {
    trail.resourceId = actor.userId;
    await tx.update(users).set({ preferredUnit }).where(eq(users.id, actor.userId));
    return preferredUnit;
  });
}

/** The signed-in person's own unit preference (null: each patient's own). Their own account only: no audit. */
export async function preferredUnitOf(actor: UserActor): Promise<GlucoseUnit | null> {
  const [row] = await getDb().select({ preferredUnit: users.preferredUnit }).from(users).where(eq(users.id, actor.userId));
  return row?.preferredUnit ?? null;
}

export const RESET_REQUESTED =
  "If an account uses this email, we have sent it a link to choose a new password. Check your inbox (and spam folder); the link works once.";

/**
 * Someone who forgot their password asks for a reset link. The answer is the same sentence whether
 * or not the email has an account (and the email is sent without waiting, so the timing matches):
 * only the mailbox's owner learns anything. Limited per client address (a refusal says when to
 * retry) and per account (extra requests are answered the same, and sent nothing).
 */
export async function requestPasswordReset(caller: AnonymousCaller, input: unknown, siteOrigin: string, now = new Date()): Promise<string> {
  const form = parseInput(passwordResetRequestSchema, input);
  const address = caller.origin.sourceAddress;
  if (address) {
    const verdict = await hitRateLimit(`password-reset:address:${address}`, RESET_REQUESTS_PER_ADDRESS, now);
    if (!verdict.allowed) {
      throw new RateLimited(`Too many reset requests from your network. Try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} minutes.`, verdict.retryAfterSeconds);
    }
  }
  const email = form.email.trim().toLowerCase();
  const [account] = await getDb()
    .select({ id: users.id, email: users.email, organizationId: users.organizationId })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email}`, isNull(users.disabledAt)));
  // Keyed by the email's hash: the rate-limit table never holds an address in clear.
  const perAccount = await hitRateLimit(`password-reset:email:${sha256Hex(email)}`, RESET_EMAILS_PER_ACCOUNT, now);
  const event = { action: "create", resourceType: "PasswordReset", purpose: "administration" } as const;
  if (!account || !perAccount.allowed) {
    await recordAudit(getDb(), { ...caller, organizationId: account?.organizationId ?? null, claimedId: account?.id ?? null }, { ...event, resourceId: account?.id ?? null, outcome: "failure" });
    return RESET_REQUESTED;
  }
  const link = await audited({ ...caller, organizationId: account.organizationId, claimedId: account.id }, event, async (tx, trail) => {
    trail.resourceId = account.id;
    return issueAccountLink(tx, account.id, "password-reset", siteOrigin, now);
  });
  const minutes = Math.round(accountLinkLifetimeMs("password-reset") / MINUTE);
  sendWithoutWaiting({
    to: account.email,
    subject: "Reset your Lantern password",
    text: [
      "Someone, we hope you, asked to reset the password of your Lantern account.",
      "",
      `Open this link within ${minutes} minutes to choose a new password (it works once):`,
      link,
      "",
      "Choosing a new password signs your account out everywhere. If you did not ask for this, ignore this email: your password stays as it is.",
    ].join("\n"),
  });
  return RESET_REQUESTED;
}

const RESET_LINK_UNUSABLE = "This link has expired or was already used. Ask for a new one with \"Forgot your password?\" on the sign-in page.";

/** The account a reset link is for, while the link works; null otherwise. */
export async function describePasswordReset(token: string, now = new Date()): Promise<{ email: string } | null> {
  const link = await openAccountLink(getDb(), token, "password-reset", now);
  return link ? { email: link.email } : null;
}

/**
 * The emailed link's holder chooses a new password (the policy applies). The link is used up with
 * every other open reset link of the account, and every session of the account ends. Opening the
 * link proves the email is theirs, so a self-registered account waiting for confirmation is
 * confirmed too. A second factor, when the account has one, is still asked at the next sign-in.
 */
export async function resetPassword(caller: AnonymousCaller, token: string, input: unknown, now = new Date()): Promise<{ email: string }> {
  const form = parseInput(resetPasswordSchema, input);
  const link = await openAccountLink(getDb(), token, "password-reset", now);
  if (!link) throw new AppError("conflict", RESET_LINK_UNUSABLE);
  assertAcceptable(form.password, link);
  const passwordHash = await hashPassword(form.password);
  const subject = { ...caller, organizationId: link.organizationId, claimedId: link.userId };
  await audited(subject, AUDIT_PASSWORD, async (tx, trail) => {
    trail.resourceId = link.userId;
    if (!(await useAccountLink(tx, link, "password-reset", now))) throw new AppError("conflict", RESET_LINK_UNUSABLE);
    await tx
      .update(users)
      .set({ passwordHash, failedSignInCount: 0, lastFailedSignInAt: null, emailVerificationPendingSince: null })
      .where(eq(users.id, link.userId));
    await endSessionsOf(tx, link.userId);
  });
  sendWithoutWaiting(passwordChangedNotice(link.email));
  return { email: link.email };
}

const VERIFICATION_LINK_UNUSABLE = "This link has expired or was already used. If you cannot sign in yet, register again with the same email to get a new link.";

/** The account an email-confirmation link is for, while the link works; null otherwise. */
export async function describeEmailVerification(token: string, now = new Date()): Promise<{ email: string } | null> {
  const link = await openAccountLink(getDb(), token, "email-verification", now);
  return link ? { email: link.email } : null;
}

/** The owner of a self-registered account confirms their email from the emailed link; they can then sign in. */
export async function verifyEmail(caller: AnonymousCaller, token: string, now = new Date()): Promise<{ email: string }> {
  const link = await openAccountLink(getDb(), token, "email-verification", now);
  if (!link) throw new AppError("conflict", VERIFICATION_LINK_UNUSABLE);
  const subject = { ...caller, organizationId: link.organizationId, claimedId: link.userId };
  await audited(subject, { action: "update", resourceType: "EmailVerification", purpose: "administration" }, async (tx, trail) => {
    trail.resourceId = link.userId;
    if (!(await useAccountLink(tx, link, "email-verification", now))) throw new AppError("conflict", VERIFICATION_LINK_UNUSABLE);
    await tx.update(users).set({ emailVerificationPendingSince: null }).where(eq(users.id, link.userId));
  });
  return { email: link.email };
}

/**
 * An admin disables a staff account of their organization (it cannot sign in, and every session
 * of it ends at once) or enables it again. Not their own account: an organization keeps an admin
 * who can undo it. Another organization's account, or a patient's, answers as not found.
 */
export async function setAccountDisabled(actor: UserActor, input: unknown, now = new Date()): Promise<{ disabled: boolean }> {
  assertCan(actor, "staff:manage");
  const form = parseInput(accountStatusSchema, input);
  if (form.userId === actor.userId) throw new AppError("conflict", "You cannot disable your own account. Ask another administrator.");
  return audited(actor, { action: form.disabled ? "revoke" : "grant", resourceType: "User", purpose: "administration" }, async (tx, trail) => {
    trail.resourceId = form.userId;
    const [target] = await tx
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(and(eq(users.id, form.userId), eq(users.organizationId, actor.organizationId)))
      .for("update");
    if (!target || target.role === "patient" || target.role === "guardian") throw new AccessDenied("account");
    await tx.update(users).set({ disabledAt: form.disabled ? now : null }).where(eq(users.id, target.id));
    if (form.disabled) await endSessionsOf(tx, target.id);
    return { disabled: form.disabled };
  });
}
