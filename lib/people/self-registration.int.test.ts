import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { accountTokens, auditEvents, organizations, patients, users } from "@/db/schema";
import { internalOrigin } from "@/lib/access/actor";
import { authenticate } from "@/lib/auth/authenticate";
import { describeEmailVerification, verifyEmail } from "@/lib/auth/accounts";
import type { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/security/password-hashing";
import { insertOrganization, originFrom, uniqueEmail } from "@/test/factories";
import { startSmtpReceiver, type ReceivedMail } from "@/test/smtp-receiver";
import { REGISTRATION_RECEIVED, registerAdultPatient } from "./self-registration";

// A real SMTP server receives every message (the configuration is read on first use, after this).
const receiver = await startSmtpReceiver();
vi.stubEnv("LANTERN_SMTP_URL", receiver.url);
afterAll(() => receiver.stop());

const visitor = { kind: "anonymous", origin: internalOrigin() } as const;
const SITE = "https://lantern.test";
const TODAY = new Date("2026-07-14T12:00:00Z");
const freshOrigin = () => {
  const [a, b, c] = randomBytes(3);
  return originFrom(`10.${a}.${b}.${c}`);
};

async function mailTo(email: string, count = 1): Promise<ReceivedMail[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = receiver.messages.filter((m) => m.to.includes(email.toLowerCase()));
    if (messages.length >= count) return messages;
    if (Date.now() > deadline) throw new Error(`${messages.length} of ${count} messages reached ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const verificationTokenIn = (message: ReceivedMail) => /\/verify-email\/(vfy_[A-Za-z0-9_-]+)/.exec(message.text)![1]!;
const STRONG_PASSWORD = "violet harbor cactus mirror 29";

const form = (change: Record<string, unknown> = {}) => ({
  givenName: "Ada",
  familyName: "Quill",
  email: uniqueEmail("register"),
  birthDate: "1990-03-02",
  timezone: "America/Chicago",
  preferredUnit: "mmol/L",
  password: STRONG_PASSWORD,
  ...change,
});

async function usersWithEmail(email: string) {
  return getDb().select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
}

async function rejection(attempt: Promise<unknown>): Promise<AppError> {
  return attempt.then(
    () => expect.fail("registration should have been refused"),
    (error: unknown) => error as AppError,
  );
}

beforeAll(async () => {
  await insertOrganization({ openForSelfRegistration: true });
});

describe("registerAdultPatient", () => {
  it("creates a patient sign-in and its patient record in an organization open for registration", async () => {
    const input = form();

    expect(await registerAdultPatient(visitor, input, SITE, TODAY)).toBe(REGISTRATION_RECEIVED);

    const [user] = await usersWithEmail(input.email);
    const userId = user!.id;
    expect(user).toMatchObject({ role: "patient", emailVerificationPendingSince: TODAY, displayName: "Ada Quill", email: input.email, disabledAt: null });
    const [organization] = await getDb().select().from(organizations).where(eq(organizations.id, user!.organizationId));
    expect(organization!.openForSelfRegistration).toBe(true);
    const [patient] = await getDb().select().from(patients).where(eq(patients.userId, userId));
    expect(patient).toMatchObject({
      organizationId: user!.organizationId,
      givenName: "Ada",
      familyName: "Quill",
      birthDate: "1990-03-02",
      timezone: "America/Chicago",
      preferredUnit: "mmol/L",
    });
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user!.passwordHash, STRONG_PASSWORD)).toBe(true);
  });

  it("accepts someone on their 18th birthday", async () => {
    const input = form({ birthDate: "2008-07-14" });

    await registerAdultPatient(visitor, input, SITE, TODAY);

    expect(await usersWithEmail(input.email)).toHaveLength(1);
  });

  it.each([
    { who: "a 17-year-old, one day short of 18", birthDate: "2008-07-15" },
    { who: "a 10-year-old", birthDate: "2016-01-01" },
    { who: "someone born in the future", birthDate: "2026-07-15" },
  ])("refuses $who on the birthDate field and stores nothing", async ({ birthDate }) => {
    const input = form({ birthDate });

    const error = await rejection(registerAdultPatient(visitor, input, SITE, TODAY));

    expect(error).toMatchObject({ code: "invalid_input", fieldErrors: { birthDate: [expect.any(String)] } });
    expect(await usersWithEmail(input.email)).toHaveLength(0);
  });

  it.each([
    { weakness: "a common password", password: "passwordpassword" },
    { weakness: "a short one", password: "k7#pQ2" },
    { weakness: "one built from their own name", password: "adaquilladaquill" },
  ])("refuses $weakness on the password field and stores nothing", async ({ password }) => {
    const input = form({ password });

    const error = await rejection(registerAdultPatient(visitor, input, SITE, TODAY));

    expect(error).toMatchObject({ code: "invalid_input", fieldErrors: { password: [expect.any(String)] } });
    expect(await usersWithEmail(input.email)).toHaveLength(0);
  });

  it("refuses a name with a NUL character on its field, as a sentence and not a database error", async () => {
    const input = form({ givenName: "Ada\u0000" });
    const error = await rejection(registerAdultPatient(visitor, input, SITE, TODAY));
    expect(error).toMatchObject({ code: "invalid_input", fieldErrors: { givenName: [expect.stringContaining("cannot be stored")] } });
    expect(await usersWithEmail(input.email)).toHaveLength(0);
  });

  it("answers a taken email, in any letter case, exactly as a new one, keeps a single account and tells its owner someone tried", async () => {
    const first = form();
    await registerAdultPatient(visitor, first, SITE, TODAY);
    const [verification] = await mailTo(first.email);
    await verifyEmail(visitor, verificationTokenIn(verification!), TODAY);

    const sameEmail = await registerAdultPatient(visitor, form({ email: first.email, givenName: "Other" }), SITE, TODAY);
    const upperCase = await registerAdultPatient(visitor, form({ email: first.email.toUpperCase() }), SITE, TODAY);

    expect(sameEmail).toBe(REGISTRATION_RECEIVED);
    expect(upperCase).toBe(REGISTRATION_RECEIVED);
    expect(await usersWithEmail(first.email)).toHaveLength(1);
    const [, ...attempts] = await mailTo(first.email, 3);
    expect(attempts.map((m) => m.subject)).toEqual(["Someone tried to register with your email on Lantern", "Someone tried to register with your email on Lantern"]);
    expect(attempts[0]!.text).toContain(`${SITE}/forgot-password`);
    const [owner] = await usersWithEmail(first.email);
    const events = await getDb().select().from(auditEvents).where(eq(auditEvents.resourceId, owner!.id));
    expect(events.filter((e) => e.action === "register" && e.outcome === "failure")).toHaveLength(2);
  });
});

describe("email verification before a self-registered account signs in", () => {
  it("refuses sign-in until the emailed link is used; the link works once and is stored as a hash", async () => {
    const input = form();
    await registerAdultPatient(visitor, input, SITE, new Date());
    const [message] = await mailTo(input.email);
    expect(message!.subject).toBe("Confirm your email for Lantern");
    const token = verificationTokenIn(message!);
    const [user] = await usersWithEmail(input.email);
    const [stored] = await getDb().select().from(accountTokens).where(eq(accountTokens.userId, user!.id));
    expect(stored).toMatchObject({ purpose: "email-verification", usedAt: null });
    expect(stored!.tokenHash).not.toContain(token.slice(4));

    await expect(authenticate(input.email, STRONG_PASSWORD, freshOrigin())).rejects.toMatchObject({ reason: "email-unverified" });
    expect(await describeEmailVerification(token)).toEqual({ email: input.email });

    await expect(verifyEmail(visitor, token)).resolves.toEqual({ email: input.email });

    expect(await authenticate(input.email, STRONG_PASSWORD, freshOrigin())).toEqual({ userId: user!.id });
    await expect(verifyEmail(visitor, token)).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("expired or was already used") });
    const events = await getDb().select().from(auditEvents).where(eq(auditEvents.resourceId, user!.id));
    expect(events).toContainEqual(expect.objectContaining({ action: "update", resourceType: "EmailVerification", outcome: "success" }));
  });

  it("a link expires after 48 hours (fake clock); registering again sends a new one that works", async () => {
    const input = form();
    const registeredAt = new Date();
    await registerAdultPatient(visitor, input, SITE, registeredAt);
    const expired = verificationTokenIn((await mailTo(input.email))[0]!);
    const later = new Date(registeredAt.getTime() + 48 * 3_600_000);

    expect(await describeEmailVerification(expired, new Date(later.getTime() - 60_000))).not.toBeNull();
    await expect(verifyEmail(visitor, expired, later)).rejects.toMatchObject({ code: "conflict" });

    expect(await registerAdultPatient(visitor, input, SITE, later)).toBe(REGISTRATION_RECEIVED);
    const [, again] = await mailTo(input.email, 2);
    expect(again!.subject).toBe("Confirm your email for Lantern");
    await verifyEmail(visitor, verificationTokenIn(again!), later);
    expect(await usersWithEmail(input.email)).toHaveLength(1);
    expect((await usersWithEmail(input.email))[0]!.emailVerificationPendingSince).toBeNull();
  });

  it("a waiting account takes the latest registration's password and details, and its earlier link stops working", async () => {
    const squatter = form({ password: "squatter chose this password 41", givenName: "Not", familyName: "Theowner" });
    await registerAdultPatient(visitor, squatter, SITE, new Date());
    const squattersLink = verificationTokenIn((await mailTo(squatter.email))[0]!);

    const owner = { ...squatter, password: STRONG_PASSWORD, givenName: "Real", familyName: "Owner" };
    expect(await registerAdultPatient(visitor, owner, SITE, new Date())).toBe(REGISTRATION_RECEIVED);
    const [, ownersMail] = await mailTo(owner.email, 2);

    await expect(verifyEmail(visitor, squattersLink, new Date())).rejects.toMatchObject({ code: "conflict" });
    await verifyEmail(visitor, verificationTokenIn(ownersMail!), new Date());
    const [account] = await usersWithEmail(owner.email);
    expect(await verifyPassword(account!.passwordHash, STRONG_PASSWORD)).toBe(true);
    expect(await verifyPassword(account!.passwordHash, squatter.password as string)).toBe(false);
    const [record] = await getDb().select({ givenName: patients.givenName, familyName: patients.familyName }).from(patients).where(eq(patients.userId, account!.id));
    expect(record).toEqual({ givenName: "Real", familyName: "Owner" });
  });
});
