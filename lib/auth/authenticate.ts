import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "@/lib/security/password-hashing";
import { accountMayAttempt, AddressFailureWindow } from "@/lib/security/sign-in-throttle";

const globalForThrottle = globalThis as typeof globalThis & { lanternAddressFailures?: AddressFailureWindow };
const addressFailures = (globalForThrottle.lanternAddressFailures ??= new AddressFailureWindow());

/**
 * Checks an email and password. Unknown emails, wrong passwords, throttled and locked accounts
 * all answer null after a full argon2 verification, so neither the answer nor its timing tells
 * whether an account exists. The account row is locked for the check, so parallel guesses are
 * counted one after another and cannot slip past the throttle together.
 */
export async function authenticate(email: string, password: string, sourceAddress: string): Promise<{ userId: string } | null> {
  const now = new Date();
  const result = await getDb().transaction(async (tx) => {
    const [user] = await tx
      .select({
        id: users.id,
        passwordHash: users.passwordHash,
        failedSignInCount: users.failedSignInCount,
        lastFailedSignInAt: users.lastFailedSignInAt,
      })
      .from(users)
      .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()} and ${users.disabledAt} is null`)
      .for("update");

    const mayAttempt =
      !addressFailures.isBlocked(sourceAddress, now) &&
      user !== undefined &&
      accountMayAttempt(user.failedSignInCount, user.lastFailedSignInAt, now);
    if (!user || !mayAttempt) return null;

    if (!(await verifyPassword(user.passwordHash, password))) {
      await tx
        .update(users)
        .set({ failedSignInCount: sql`${users.failedSignInCount} + 1`, lastFailedSignInAt: now })
        .where(eq(users.id, user.id));
      return { userId: user.id, verified: false, passwordHash: user.passwordHash };
    }
    await tx.update(users).set({ failedSignInCount: 0, lastFailedSignInAt: null, lastSignInAt: now }).where(eq(users.id, user.id));
    return { userId: user.id, verified: true, passwordHash: user.passwordHash };
  });

  if (!result) {
    await verifyPassword(await dummyPasswordHash(), password);
    addressFailures.recordFailure(sourceAddress, now);
    return null;
  }
  if (!result.verified) {
    addressFailures.recordFailure(sourceAddress, now);
    return null;
  }
  if (needsRehash(result.passwordHash)) {
    await getDb().update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, result.userId));
  }
  return { userId: result.userId };
}
