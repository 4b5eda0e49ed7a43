import { randomBytes } from "node:crypto";
import { eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { rateLimits, users } from "@/db/schema";
import { hashPassword, passwordHashingQueue } from "@/lib/security/password-hashing";
import { internalOrigin } from "@/lib/access/actor";
import { hitRateLimit } from "@/lib/access/rate-limits";
import { ADDRESS_FAILURE_LIMIT, FREE_FAILURES } from "@/lib/security/sign-in-throttle";
import { insertOrganization, insertUser, originFrom, uniqueEmail } from "@/test/factories";
import { authenticate } from "./authenticate";

const PASSWORD = "tundra kettle orbit saffron 4";
let organizationId: string;
let passwordHash: string;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  passwordHash = await hashPassword(PASSWORD);
});

/** The per-address failure window is shared by the whole database: each test signs in from its own address. */
function freshAddress() {
  const [a, b, c] = randomBytes(3);
  return originFrom(`10.${a}.${b}.${c}`);
}

async function signInState(userId: string) {
  const [row] = await getDb()
    .select({
      failedSignInCount: users.failedSignInCount,
      lastFailedSignInAt: users.lastFailedSignInAt,
      lastSignInAt: users.lastSignInAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row!;
}

async function setFailures(userId: string, failedSignInCount: number, lastFailedSignInAt: Date) {
  await getDb().update(users).set({ failedSignInCount, lastFailedSignInAt }).where(eq(users.id, userId));
}

const newUser = (options: { disabledAt?: Date } = {}) =>
  insertUser(organizationId, "clinician", { passwordHash, email: uniqueEmail("MixedCase.Signin"), ...options });

describe("authenticate", () => {
  it("accepts the right password, records the sign-in and clears earlier failures", async () => {
    const user = await newUser();
    await setFailures(user.userId, 3, new Date(Date.now() - 60_000));

    expect(await authenticate(user.email, PASSWORD, freshAddress())).toEqual({ userId: user.userId });

    const state = await signInState(user.userId);
    expect(state).toMatchObject({ failedSignInCount: 0, lastFailedSignInAt: null });
    expect(state.lastSignInAt).toBeInstanceOf(Date);
  });

  it("refuses a wrong password and counts the failure", async () => {
    const user = await newUser();
    const address = freshAddress();

    expect(await authenticate(user.email, "not the password at all", address)).toBeNull();
    expect(await authenticate(user.email, `${PASSWORD}x`, address)).toBeNull();

    const state = await signInState(user.userId);
    expect(state.failedSignInCount).toBe(2);
    expect(state.lastFailedSignInAt).toBeInstanceOf(Date);
    expect(state.lastSignInAt).toBeNull();
  });

  it("answers null for an email no account has", async () => {
    expect(await authenticate(uniqueEmail("nobody"), PASSWORD, freshAddress())).toBeNull();
  });

  it.each([
    { variant: "lower case", typed: (email: string) => email.toLowerCase() },
    { variant: "upper case", typed: (email: string) => email.toUpperCase() },
    { variant: "surrounding spaces", typed: (email: string) => `  ${email}  ` },
  ])("matches the email whatever its $variant", async ({ typed }) => {
    const user = await newUser();

    expect(await authenticate(typed(user.email), PASSWORD, freshAddress())).toEqual({ userId: user.userId });
  });

  it(`throttles the account after ${FREE_FAILURES} consecutive failures, even for the right password, until the delay passes`, async () => {
    const user = await newUser();
    const address = freshAddress();
    for (let attempt = 0; attempt < FREE_FAILURES; attempt++) {
      expect(await authenticate(user.email, `wrong guess ${attempt}`, address)).toBeNull();
    }
    expect((await signInState(user.userId)).failedSignInCount).toBe(FREE_FAILURES);

    // Pin the last failure to now, so the attempt below falls inside the delay however slow the machine.
    await setFailures(user.userId, FREE_FAILURES, new Date());
    expect(await authenticate(user.email, PASSWORD, freshAddress())).toBeNull();
    expect((await signInState(user.userId)).failedSignInCount).toBe(FREE_FAILURES);

    await setFailures(user.userId, FREE_FAILURES, new Date(Date.now() - 5_000));
    expect(await authenticate(user.email, PASSWORD, freshAddress())).toEqual({ userId: user.userId });
  });

  it("locks an account after 100 consecutive failures, however long ago the last one was", async () => {
    const user = await newUser();
    await setFailures(user.userId, 100, new Date(Date.now() - 86_400_000));

    expect(await authenticate(user.email, PASSWORD, freshAddress())).toBeNull();
  });

  it("refuses a disabled account even with the right password, and says why only to whoever typed it", async () => {
    const user = await newUser({ disabledAt: new Date() });

    await expect(authenticate(user.email, PASSWORD, freshAddress())).rejects.toMatchObject({ name: "AccountUnavailable", reason: "account-disabled" });
    expect(await authenticate(user.email, "not the password at all", freshAddress())).toBeNull();
    expect((await signInState(user.userId)).lastSignInAt).toBeNull();
  });

  it("refuses a self-registered account until its email is confirmed, and says why only to whoever typed the password", async () => {
    const user = await newUser();
    await getDb().update(users).set({ emailVerificationPendingSince: new Date() }).where(eq(users.id, user.userId));

    await expect(authenticate(user.email, PASSWORD, freshAddress())).rejects.toMatchObject({ name: "AccountUnavailable", reason: "email-unverified" });
    expect(await authenticate(user.email, "not the password at all", freshAddress())).toBeNull();
    expect((await signInState(user.userId)).lastSignInAt).toBeNull();
  });
});

describe("parallel guesses", () => {
  it("are counted one after another, so the throttle holds", async () => {
    const organization = await insertOrganization();
    const user = await insertUser(organization.id, "patient", { passwordHash: await hashPassword("violet tractor pebble sonnet") });
    await getDb().update(users).set({ failedSignInCount: 5, lastFailedSignInAt: new Date(Date.now() - 60_000) }).where(eq(users.id, user.userId));
    const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) => authenticate(user.email, `wrong guess ${i}`, originFrom(`10.9.0.${i}`))));
    expect(attempts.every((attempt) => attempt === null)).toBe(true);
    const [row] = await getDb().select({ count: users.failedSignInCount }).from(users).where(eq(users.id, user.userId));
    // The first guess is checked and counted; the others find the account resting and are not.
    expect(row!.count).toBe(6);
  });
});

describe("the per-address failure window", () => {
  it("refuses every sign-in from an address once it used up its failures, even the right password, and no other address", async () => {
    const user = await newUser();
    const address = freshAddress();
    // Failures already counted (by any server process: the window is in the database), then one more here.
    for (let i = 0; i < ADDRESS_FAILURE_LIMIT.limit - 1; i++) await hitRateLimit(`sign-in:address:${address.sourceAddress}`, ADDRESS_FAILURE_LIMIT);
    expect(await authenticate(user.email, "one more wrong guess", address)).toBeNull();

    // Refused before any hashing: a flood from one address costs no argon2 run.
    const hashesBefore = passwordHashingQueue.started;
    expect(await authenticate(user.email, PASSWORD, address)).toBeNull();
    expect(passwordHashingQueue.started).toBe(hashesBefore);
    expect(await authenticate(user.email, PASSWORD, freshAddress())).toEqual({ userId: user.userId });
  });

  it("keeps no shared bucket for requests without an address", async () => {
    const user = await newUser();
    const noAddress = internalOrigin();
    const addressWindows = async () => (await getDb().select({ key: rateLimits.key }).from(rateLimits).where(like(rateLimits.key, "sign-in:address:%"))).length;
    const before = await addressWindows();
    for (let i = 0; i < 3; i++) expect(await authenticate(uniqueEmail("nobody"), "guess", noAddress)).toBeNull();
    expect(await addressWindows()).toBe(before);
    expect(await authenticate(user.email, PASSWORD, noAddress)).toEqual({ userId: user.userId });
  });
});
