import "server-only";
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "@/db/client";
import { mfaRecoveryCodes, totpCredentials, users } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/security/password-hashing";
import { accountMayAttempt } from "@/lib/security/sign-in-throttle";
import { mfaRequiredFor } from "./policy";
import { looksLikeRecoveryCode, newRecoveryCodes, recoveryCodeHash } from "./recovery-codes";
import { openTotpSecret, sealTotpSecret } from "./secret-box";
import { acceptedTotpStep, looksLikeTotpCode, newTotpSecret, totpUri } from "./totp";

/**
 * What a second factor sent with a sign-in amounts to: `not-enrolled` (the account has no
 * authenticator, the code is not looked at), `missing` (it has one and no code came), `accepted`
 * (a current TOTP code not used before, or an unused recovery code, now spent), `refused`.
 */
export type SecondFactorOutcome = "not-enrolled" | "missing" | "accepted" | "refused";

/**
 * Checks `code` against the user's authenticator inside the caller's transaction. The credential
 * row is locked, so two requests with the same code are decided one after the other and the
 * second finds its step already used.
 */
export async function checkSecondFactor(tx: Transaction, userId: string, code: string | undefined, now: Date): Promise<SecondFactorOutcome> {
  const [credential] = await tx
    .select({ secret: totpCredentials.secretCiphertext, confirmedAt: totpCredentials.confirmedAt, lastUsedStep: totpCredentials.lastUsedStep })
    .from(totpCredentials)
    .where(eq(totpCredentials.userId, userId))
    .for("update");
  if (!credential?.secret || !credential.confirmedAt) return "not-enrolled";
  if (!code || code.trim() === "") return "missing";
  if (looksLikeTotpCode(code)) {
    const step = await acceptedTotpStep(openTotpSecret(credential.secret), code, credential.lastUsedStep, now);
    if (step === null) return "refused";
    await tx.update(totpCredentials).set({ lastUsedStep: step }).where(eq(totpCredentials.userId, userId));
    return "accepted";
  }
  if (looksLikeRecoveryCode(code)) {
    const spent = await tx
      .update(mfaRecoveryCodes)
      .set({ usedAt: now })
      .where(and(eq(mfaRecoveryCodes.userId, userId), eq(mfaRecoveryCodes.codeHash, recoveryCodeHash(code)), isNull(mfaRecoveryCodes.usedAt)))
      .returning({ id: mfaRecoveryCodes.id });
    return spent.length > 0 ? "accepted" : "refused";
  }
  return "refused";
}

/** A clinician, admin or privacy officer without a confirmed authenticator: their session opens only the set-up page. */
export async function mustSetUpSecondFactor(actor: UserActor, db: Database = getDb()): Promise<boolean> {
  if (!mfaRequiredFor(actor.role)) return false;
  const [enrolled] = await db
    .select({ userId: totpCredentials.userId })
    .from(totpCredentials)
    .where(and(eq(totpCredentials.userId, actor.userId), isNotNull(totpCredentials.confirmedAt)));
  return !enrolled;
}

export interface MfaStatus {
  /** The role must use a second factor. */
  required: boolean;
  enrolled: boolean;
  /** An authenticator is being set up (first time, or replacing the current one after re-authentication). */
  settingUp: boolean;
  recoveryCodesLeft: number;
}

export async function mfaStatus(actor: UserActor, db: Database = getDb()): Promise<MfaStatus> {
  const [row] = await db
    .select({
      confirmedAt: totpCredentials.confirmedAt,
      pending: totpCredentials.pendingSecretCiphertext,
      codesLeft: sql<number>`(select count(*)::int from ${mfaRecoveryCodes} where ${mfaRecoveryCodes.userId} = ${actor.userId} and ${mfaRecoveryCodes.usedAt} is null)`,
    })
    .from(totpCredentials)
    .where(eq(totpCredentials.userId, actor.userId));
  return { required: mfaRequiredFor(actor.role), enrolled: Boolean(row?.confirmedAt), settingUp: Boolean(row?.pending), recoveryCodesLeft: row?.codesLeft ?? 0 };
}

export interface TotpSetup {
  /** Base32, shown as text beside the QR code for apps that cannot scan. */
  secret: string;
  uri: string;
}

/**
 * The authenticator being set up, for the set-up page. Someone without an authenticator gets a
 * new secret the first time they open the page (the same one on later visits until it is
 * confirmed). Someone with one gets a new secret only through `authorizeNewAuthenticator`
 * (password and current code first), so a session left open cannot swap the second factor.
 */
export async function totpSetup(actor: UserActor, db: Database = getDb()): Promise<TotpSetup | null> {
  const [row] = await db.select().from(totpCredentials).where(eq(totpCredentials.userId, actor.userId));
  let sealed = row?.pendingSecretCiphertext ?? null;
  if (!sealed) {
    if (row?.confirmedAt) return null;
    sealed = sealTotpSecret(newTotpSecret());
    await db
      .insert(totpCredentials)
      .values({ userId: actor.userId, pendingSecretCiphertext: sealed, pendingSince: new Date() })
      .onConflictDoUpdate({ target: totpCredentials.userId, set: { pendingSecretCiphertext: sealed, pendingSince: new Date() } });
  }
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
  const secret = openTotpSecret(sealed);
  return { secret, uri: totpUri(secret, user!.email) };
}

/**
 * Confirms the authenticator being set up with its first code: it becomes the account's second
 * factor (replacing any earlier one), and ten new recovery codes replace any earlier ones. The
 * codes are returned once, to be shown once; only their hashes are kept.
 */
export async function confirmTotpSetup(actor: UserActor, code: string, now = new Date()): Promise<string[]> {
  return getDb().transaction(async (tx) => {
    const [row] = await tx.select().from(totpCredentials).where(eq(totpCredentials.userId, actor.userId)).for("update");
    if (!row?.pendingSecretCiphertext) {
      throw new AppError("conflict", "There is no authenticator being set up. Open the set-up page again to get a QR code.");
    }
    const step = await acceptedTotpStep(openTotpSecret(row.pendingSecretCiphertext), code, null, now);
    if (step === null) {
      throw new AppError("invalid_input", "That code is not the one your authenticator app shows now. Type the 6-digit code it shows for Lantern.", { code: ["Type the current 6-digit code."] });
    }
    await tx
      .update(totpCredentials)
      .set({ secretCiphertext: row.pendingSecretCiphertext, confirmedAt: now, lastUsedStep: step, pendingSecretCiphertext: null, pendingSince: null })
      .where(eq(totpCredentials.userId, actor.userId));
    const codes = newRecoveryCodes();
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, actor.userId));
    await tx.insert(mfaRecoveryCodes).values(codes.map((recovery) => ({ userId: actor.userId, codeHash: recoveryCodeHash(recovery), createdAt: now })));
    await recordAudit(tx, actor, { action: "update", resourceType: "MfaAuthenticator", resourceId: actor.userId, outcome: "success" });
    return codes;
  });
}

/**
 * Before the second factor changes: the password and a current code (or a recovery code) again,
 * counted by the same per-account throttle as sign-in. A wrong answer is refused with one message.
 */
async function reauthenticate(tx: Transaction, actor: UserActor, password: string, code: string, now: Date): Promise<void> {
  const [user] = await tx
    .select({ passwordHash: users.passwordHash, failedSignInCount: users.failedSignInCount, lastFailedSignInAt: users.lastFailedSignInAt })
    .from(users)
    .where(eq(users.id, actor.userId))
    .for("update");
  if (!user || !accountMayAttempt(user.failedSignInCount, user.lastFailedSignInAt, now)) throw new ReauthenticationRefused();
  const passwordRight = await verifyPassword(user.passwordHash, password);
  const factor = passwordRight ? await checkSecondFactor(tx, actor.userId, code, now) : "refused";
  if (factor !== "accepted") throw new ReauthenticationRefused();
}

class ReauthenticationRefused extends AppError {
  constructor() {
    super("unauthenticated", "Your password or code is not right. Type your current password and the code your authenticator app shows now.");
  }
}

async function withReauthentication<T>(actor: UserActor, password: string, code: string, work: (tx: Transaction, now: Date) => Promise<T>): Promise<T> {
  const now = new Date();
  try {
    return await getDb().transaction(async (tx) => {
      await reauthenticate(tx, actor, password, code, now);
      return work(tx, now);
    });
  } catch (error) {
    // The refusal rolled the transaction back; the failure is counted (and audited) after it.
    if (error instanceof ReauthenticationRefused) {
      await getDb().transaction(async (tx) => {
        await tx.update(users).set({ failedSignInCount: sql`${users.failedSignInCount} + 1`, lastFailedSignInAt: now }).where(eq(users.id, actor.userId));
        await recordAudit(tx, actor, { action: "update", resourceType: "MfaAuthenticator", resourceId: actor.userId, outcome: "failure" });
      });
    }
    throw error;
  }
}

/** Password and current code, then a new secret to set up; the current authenticator works until the new one is confirmed. */
export async function authorizeNewAuthenticator(actor: UserActor, password: string, code: string): Promise<void> {
  await withReauthentication(actor, password, code, async (tx, now) => {
    await tx.update(totpCredentials).set({ pendingSecretCiphertext: sealTotpSecret(newTotpSecret()), pendingSince: now }).where(eq(totpCredentials.userId, actor.userId));
  });
}

/** Patients and guardians may turn the second factor off again (password and current code first); staff may not. */
export async function turnOffSecondFactor(actor: UserActor, password: string, code: string): Promise<void> {
  if (mfaRequiredFor(actor.role)) {
    throw new AppError("forbidden", "Your role must sign in with a second factor. To move it to another phone, set up a new authenticator instead.");
  }
  await withReauthentication(actor, password, code, async (tx) => {
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, actor.userId));
    await tx.delete(totpCredentials).where(eq(totpCredentials.userId, actor.userId));
    await recordAudit(tx, actor, { action: "revoke", resourceType: "MfaAuthenticator", resourceId: actor.userId, outcome: "success" });
  });
}

/** The demo seed's accounts come enrolled: their secret goes to the demo credentials file, nowhere else. */
export async function enrolWithNewSecret(db: Database | Transaction, userId: string, now = new Date()): Promise<string> {
  const secret = newTotpSecret();
  await db.insert(totpCredentials).values({ userId, secretCiphertext: sealTotpSecret(secret), confirmedAt: now });
  return secret;
}
