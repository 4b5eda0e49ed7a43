import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { RequestOrigin } from "@/lib/access/actor";
import { hitRateLimit, rateLimitReached, sweepRateLimits } from "@/lib/access/rate-limits";
import { recordAudit } from "@/lib/audit/record";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "@/lib/security/password-hashing";
import { accountMayAttempt, ADDRESS_FAILURE_LIMIT } from "@/lib/security/sign-in-throttle";
import { checkSecondFactor } from "./mfa/second-factor";

/**
 * The right password for an account that may not sign in: disabled by an administrator, or
 * self-registered and its email not yet confirmed. Told apart from a wrong password only after the
 * password was verified, so it reveals nothing to someone who does not know it.
 */
export class AccountUnavailable extends Error {
  constructor(readonly reason: "account-disabled" | "email-unverified") {
    super(reason);
    this.name = "AccountUnavailable";
  }
}

/** The per-address window's key; there is none for a request without an address (no shared bucket). */
const addressKey = (address: string) => `sign-in:address:${address}`;

async function recordAddressFailure(address: string | null, now: Date): Promise<void> {
  if (!address) return;
  await hitRateLimit(addressKey(address), ADDRESS_FAILURE_LIMIT, now);
  await sweepRateLimits(now);
}

/**
 * Checks an email and password. An address over its failure window (kept in PostgreSQL, shared by
 * every server process) is refused before anything else, without hashing. Unknown emails, wrong
 * passwords, throttled and locked accounts all answer null after a full argon2 verification, so
 * neither the answer nor its timing tells whether an account exists; the right password for a
 * disabled or unconfirmed account throws AccountUnavailable, so its owner learns why (before any
 * second factor is looked at: such an account opens nothing, so no code is spent on it). The account
 * row is locked for the check, so parallel guesses are counted one after another and cannot slip
 * past the throttle together. Every attempt is in the audit trail: success as the user, failure as
 * an anonymous caller naming the account it tried.
 *
 * An account with an authenticator also needs `secondFactor` (a current TOTP code or an unused
 * recovery code): a wrong one counts as a failed attempt; without one the answer is
 * `secondFactorRequired` and no session may be issued (the browser then asks for the code).
 */
export async function authenticate(
  email: string,
  password: string,
  origin: RequestOrigin,
  secondFactor?: string,
): Promise<{ userId: string; secondFactorRequired?: true } | null> {
  const now = new Date();
  const address = origin.sourceAddress;
  if (address && !(await rateLimitReached(addressKey(address), ADDRESS_FAILURE_LIMIT, now)).allowed) {
    await recordAudit(getDb(), { kind: "anonymous", origin, organizationId: null, claimedId: null }, { action: "sign-in", resourceType: "Session", outcome: "failure" });
    return null;
  }
  const result = await getDb().transaction(async (tx) => {
    const [user] = await tx
      .select({
        id: users.id,
        role: users.role,
        organizationId: users.organizationId,
        displayName: users.displayName,
        passwordHash: users.passwordHash,
        failedSignInCount: users.failedSignInCount,
        lastFailedSignInAt: users.lastFailedSignInAt,
        disabledAt: users.disabledAt,
        emailVerificationPendingSince: users.emailVerificationPendingSince,
      })
      .from(users)
      .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
      .for("update");

    const mayAttempt =
      user !== undefined &&
      accountMayAttempt(user.failedSignInCount, user.lastFailedSignInAt, now);
    const attempt = { action: "sign-in", resourceType: "Session" } as const;
    const claimant = { kind: "anonymous", origin, organizationId: user?.organizationId ?? null, claimedId: user?.id ?? null } as const;
    if (!user || !mayAttempt) {
      await recordAudit(tx, claimant, { ...attempt, outcome: "failure" });
      return null;
    }

    const refuse = async () => {
      await tx
        .update(users)
        .set({ failedSignInCount: sql`${users.failedSignInCount} + 1`, lastFailedSignInAt: now })
        .where(eq(users.id, user.id));
      await recordAudit(tx, claimant, { ...attempt, outcome: "failure" });
      return { userId: user.id, verified: false, passwordHash: user.passwordHash } as const;
    };
    if (!(await verifyPassword(user.passwordHash, password))) return refuse();
    const unavailable: AccountUnavailable["reason"] | null = user.disabledAt ? "account-disabled" : user.emailVerificationPendingSince ? "email-unverified" : null;
    if (unavailable) {
      await recordAudit(tx, claimant, { ...attempt, outcome: "failure" });
      return { userId: user.id, verified: true, unavailable, passwordHash: user.passwordHash } as const;
    }
    const factor = await checkSecondFactor(tx, user.id, secondFactor, now);
    if (factor === "refused") return refuse();
    if (factor === "missing") return { userId: user.id, verified: true, unavailable: null, secondFactorRequired: true, passwordHash: user.passwordHash } as const;
    await tx.update(users).set({ failedSignInCount: 0, lastFailedSignInAt: null, lastSignInAt: now }).where(eq(users.id, user.id));
    const signedIn = { kind: "user", userId: user.id, role: user.role, organizationId: user.organizationId, displayName: user.displayName, origin } as const;
    await recordAudit(tx, signedIn, { ...attempt, outcome: "success" });
    return { userId: user.id, verified: true, unavailable: null, passwordHash: user.passwordHash };
  });

  if (!result) {
    await verifyPassword(await dummyPasswordHash(), password);
    await recordAddressFailure(address, now);
    return null;
  }
  if (!result.verified) {
    await recordAddressFailure(address, now);
    return null;
  }
  if (result.unavailable) throw new AccountUnavailable(result.unavailable);
  if (needsRehash(result.passwordHash)) {
    await getDb().update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, result.userId));
  }
  return "secondFactorRequired" in result ? { userId: result.userId, secondFactorRequired: true } : { userId: result.userId };
}

/**
 * The browser's second step: the user whose password was accepted moments ago (a signed challenge,
 * lib/auth/mfa/challenge.ts) and the code they typed. Held to the same per-account and per-address
 * throttles as the password, audited as the sign-in.
 */
export async function authenticateSecondStep(userId: string, code: string, origin: RequestOrigin): Promise<{ userId: string } | null> {
  const now = new Date();
  const address = origin.sourceAddress;
  if (address && !(await rateLimitReached(addressKey(address), ADDRESS_FAILURE_LIMIT, now)).allowed) return null;
  const accepted = await getDb().transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, role: users.role, organizationId: users.organizationId, displayName: users.displayName, failedSignInCount: users.failedSignInCount, lastFailedSignInAt: users.lastFailedSignInAt })
      .from(users)
      .where(sql`${users.id} = ${userId} and ${users.disabledAt} is null and ${users.emailVerificationPendingSince} is null`)
      .for("update");
    const attempt = { action: "sign-in", resourceType: "Session" } as const;
    const claimant = { kind: "anonymous", origin, organizationId: user?.organizationId ?? null, claimedId: userId } as const;
    if (!user || !accountMayAttempt(user.failedSignInCount, user.lastFailedSignInAt, now)) {
      await recordAudit(tx, claimant, { ...attempt, outcome: "failure" });
      return false;
    }
    if ((await checkSecondFactor(tx, user.id, code, now)) !== "accepted") {
      await tx.update(users).set({ failedSignInCount: sql`${users.failedSignInCount} + 1`, lastFailedSignInAt: now }).where(eq(users.id, user.id));
      await recordAudit(tx, claimant, { ...attempt, outcome: "failure" });
      return false;
    }
    await tx.update(users).set({ failedSignInCount: 0, lastFailedSignInAt: null, lastSignInAt: now }).where(eq(users.id, user.id));
    await recordAudit(tx, { kind: "user", userId: user.id, role: user.role, organizationId: user.organizationId, displayName: user.displayName, origin }, { ...attempt, outcome: "success" });
    return true;
  });
  if (!accepted) {
    await recordAddressFailure(address, now);
    return null;
  }
  return { userId };
}
