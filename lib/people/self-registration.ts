import "server-only";
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { accountTokens, organizations, patients, users } from "@/db/schema";
import { ADULT_AGE, registrationSchema } from "@/lib/patients/registration-schema";
import { audited, recordAudit, type AnonymousCaller } from "@/lib/audit/record";
import { isUniqueViolation } from "@/lib/db-errors";
import { AppError } from "@/lib/errors";
import type { MailMessage } from "@/lib/mail/send";
import { hashPassword } from "@/lib/security/password-hashing";
import { checkPassword } from "@/lib/security/password-policy";
import { ageOn } from "@/lib/time/age";
import { invalidFields, parseInput } from "@/lib/validation";
import { accountLinkLifetimeMs, issueAccountLink, sendWithoutWaiting } from "./account-links";

/**
 * The one answer to a registration that passed validation, whether or not the email already had an
 * account: what happens next is told by email, to the address's owner only.
 */
export const REGISTRATION_RECEIVED = "Check your email: we sent a link to confirm your address. Open it to finish creating your account, then sign in.";

function verificationMessage(email: string, link: string): MailMessage {
  const hours = Math.round(accountLinkLifetimeMs("email-verification") / 3_600_000);
  return {
    to: email,
    subject: "Confirm your email for Lantern",
    text: [
      "Someone, we hope you, created a Lantern patient account with this email address.",
      "",
      `Open this link within ${hours} hours to confirm it is yours; you can then sign in with the password chosen when the account was created:`,
      link,
      "",
      "If it was not you, ignore this email: the account cannot be used without this link.",
    ].join("\n"),
  };
}

function alreadyRegisteredMessage(email: string, siteOrigin: string): MailMessage {
  return {
    to: email,
    subject: "Someone tried to register with your email on Lantern",
    text: [
      "Someone, perhaps you, tried to create a Lantern account with this email address, which already has one. No new account was created.",
      "",
      `To sign in: ${siteOrigin}/sign-in`,
      `Forgot your password? Choose a new one here: ${siteOrigin}/forgot-password`,
      "",
      "If it was not you, you need do nothing: your account is unchanged.",
    ].join("\n"),
  };
}

/**
 * An adult patient registers themself into the organization open for self-registration. The account
 * cannot sign in until its owner opens the link emailed to them (ASVS V6.4, email ownership). An
 * email that already has an account gets the same answer, and its owner an email saying someone
 * tried (no enumeration through registration); the password is hashed in both cases, so the timing
 * matches too.
 */
export async function registerAdultPatient(caller: AnonymousCaller, input: unknown, siteOrigin: string, now = new Date()): Promise<string> {
  const form = parseInput(registrationSchema, input);
  const today = now.toISOString().slice(0, 10);
  if (form.birthDate > today) throw invalidFields({ birthDate: ["Your date of birth cannot be in the future."] });
  if (ageOn(form.birthDate, today) < ADULT_AGE) {
    throw invalidFields({
      birthDate: [`You can register yourself from age ${ADULT_AGE}. For a child, the clinic registers a parent or guardian.`],
    });
  }
  const verdict = checkPassword(form.password, { email: form.email, name: `${form.givenName} ${form.familyName}` });
  if (!verdict.ok) throw invalidFields({ password: [verdict.reason] });

  const db = getDb();
  const [organization] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.openForSelfRegistration, true))
    .limit(1);
  if (!organization) throw new AppError("conflict", "Registration is closed here. Ask your clinic for an invitation.");

  const passwordHash = await hashPassword(form.password);
  const existing = await accountWithEmail(form.email);
  const registration: Registration = { passwordHash, givenName: form.givenName, familyName: form.familyName, birthDate: form.birthDate, timezone: form.timezone, preferredUnit: form.preferredUnit };
  if (existing) return answerTakenEmail(caller, existing, registration, siteOrigin, now);
  try {
    const link = await audited({ ...caller, organizationId: organization.id }, { action: "register", resourceType: "Patient" }, async (tx, trail) => {
      const [user] = await tx
        .insert(users)
        .values({
          organizationId: organization.id,
          email: form.email,
          displayName: `${form.givenName} ${form.familyName}`,
          role: "patient",
          passwordHash,
          emailVerificationPendingSince: now,
        })
        .returning({ id: users.id });
      const [patient] = await tx
        .insert(patients)
        .values({
          organizationId: organization.id,
          userId: user!.id,
          givenName: form.givenName,
          familyName: form.familyName,
          birthDate: form.birthDate,
          timezone: form.timezone,
          preferredUnit: form.preferredUnit,
        })
        .returning({ id: patients.id });
      trail.touch(patient!.id);
      trail.resourceId = patient!.id;
      return issueAccountLink(tx, user!.id, "email-verification", siteOrigin, now);
    });
    sendWithoutWaiting(verificationMessage(form.email, link));
    return REGISTRATION_RECEIVED;
  } catch (error) {
    // Two registrations of one email at once: the second finds it taken, and answers the same.
    if (!isUniqueViolation(error)) throw error;
    const taken = await accountWithEmail(form.email);
    if (!taken) throw error;
    return answerTakenEmail(caller, taken, registration, siteOrigin, now);
  }
}

async function accountWithEmail(email: string) {
  const [account] = await getDb()
    .select({ id: users.id, email: users.email, organizationId: users.organizationId, pendingSince: users.emailVerificationPendingSince })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return account;
}

/** What a registration asks for, once checked: the password already hashed. */
interface Registration {
  passwordHash: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  timezone: string;
  preferredUnit: (typeof patients.$inferInsert)["preferredUnit"];
}

/**
 * The email has an account: its owner, at the address as stored (whatever letter case was typed),
 * is told someone tried, or, when that account still waits for its email to be confirmed (the
 * first link lost or expired), sent a new confirmation link. A waiting account takes this
 * registration's password and details, and its earlier links stop working: whoever registered an
 * address they do not own first cannot keep a password on the account its owner then confirms.
 */
async function answerTakenEmail(
  caller: AnonymousCaller,
  account: { id: string; email: string; organizationId: string; pendingSince: Date | null },
  registration: Registration,
  siteOrigin: string,
  now: Date,
): Promise<string> {
  const subject = { ...caller, organizationId: account.organizationId, claimedId: account.id };
  if (account.pendingSince) {
    const link = await audited(subject, { action: "create", resourceType: "EmailVerification", purpose: "administration" }, async (tx, trail) => {
      trail.resourceId = account.id;
      const { passwordHash, ...details } = registration;
      const waiting = await tx
        .update(users)
        .set({ passwordHash, displayName: `${details.givenName} ${details.familyName}` })
        .where(and(eq(users.id, account.id), isNotNull(users.emailVerificationPendingSince)))
        .returning({ id: users.id });
      if (waiting.length === 0) return null;
      await tx.update(patients).set(details).where(eq(patients.userId, account.id));
      await tx.update(accountTokens).set({ usedAt: now }).where(and(eq(accountTokens.userId, account.id), eq(accountTokens.purpose, "email-verification"), isNull(accountTokens.usedAt)));
      return issueAccountLink(tx, account.id, "email-verification", siteOrigin, now);
    });
    // Confirmed meanwhile: nothing changed, and the owner hears nothing they did not ask for.
    if (!link) return REGISTRATION_RECEIVED;
    sendWithoutWaiting(verificationMessage(account.email, link));
    return REGISTRATION_RECEIVED;
  }
  await recordAudit(getDb(), subject, { action: "register", resourceType: "User", resourceId: account.id, outcome: "failure", purpose: "administration" });
  sendWithoutWaiting(alreadyRegisteredMessage(account.email, siteOrigin));
  return REGISTRATION_RECEIVED;
}
