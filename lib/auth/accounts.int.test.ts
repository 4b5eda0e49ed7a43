import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { accountTokens, auditEvents, totpCredentials, userSessions, users } from "@/db/schema";
import { internalOrigin } from "@/lib/access/actor";
import type { AppError } from "@/lib/errors";
import { hashPassword } from "@/lib/security/password-hashing";
import { sha256Hex } from "@/lib/security/tokens";
import { insertOrganization, insertUser, originFrom, uniqueEmail, uniqueSuffix, type InsertedUser } from "@/test/factories";
import { startSmtpReceiver, type ReceivedMail } from "@/test/smtp-receiver";
import {
  changePassword,
  describePasswordReset,
  PASSWORD_CHANGE_FAILURES,
  preferredUnitOf,
  requestPasswordReset,
  RESET_EMAILS_PER_ACCOUNT,
  RESET_REQUESTED,
  RESET_REQUESTS_PER_ADDRESS,
  resetPassword,
  setAccountDisabled,
  setPreferredUnit,
  signOutEverywhere,
} from "./accounts";
import { authenticate } from "./authenticate";
import { enrolWithNewSecret } from "./mfa/second-factor";
import { actorOfSession, startSession } from "./session";

// A real SMTP server receives every message (the configuration is read on first use, after this).
const receiver = await startSmtpReceiver();
vi.stubEnv("LANTERN_SMTP_URL", receiver.url);
afterAll(() => receiver.stop());

const SITE = "https://lantern.test";
const PASSWORD = "copper lantern meadow violin 8";
const NEW_PASSWORD = "orchid tugboat granite whistle 52";
let organizationId: string;
let passwordHash: string;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  passwordHash = await hashPassword(PASSWORD);
});

/** Each test calls from its own address: the rate-limit windows are shared by the whole database. */
const freshOrigin = () => {
  const [a, b, c] = randomBytes(3);
  return originFrom(`10.${a}.${b}.${c}`);
};
const visitor = () => ({ kind: "anonymous" as const, origin: freshOrigin() });
const newAccount = (role: InsertedUser["role"] = "patient") => insertUser(organizationId, role, { passwordHash, email: uniqueEmail(`acct.${role}`) });
const minutesAfter = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);

async function sessionIdsOf(userId: string): Promise<string[]> {
  return (await getDb().select({ id: userSessions.id }).from(userSessions).where(eq(userSessions.userId, userId))).map((row) => row.id).sort();
}

async function auditOf(userId: string) {
  return getDb()
    .select({ action: auditEvents.action, resourceType: auditEvents.resourceType, outcome: auditEvents.outcome, actorKind: auditEvents.actorKind, actorId: auditEvents.actorId, purpose: auditEvents.purpose })
    .from(auditEvents)
    .where(eq(auditEvents.resourceId, userId))
    .orderBy(auditEvents.seq);
}

async function rejection(attempt: Promise<unknown>): Promise<AppError> {
  return attempt.then(
    () => expect.fail("should have been refused"),
    (error: unknown) => error as AppError,
  );
}

/** The messages the SMTP server received for `email`, waiting up to 10 s for `count` of them. */
async function mailTo(email: string, count = 1): Promise<ReceivedMail[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = receiver.messages.filter((m) => m.to.includes(email.toLowerCase()));
    if (messages.length >= count) return messages;
    if (Date.now() > deadline) throw new Error(`${messages.length} of ${count} messages reached ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const resetTokenIn = (message: ReceivedMail) => /\/reset-password\/(rst_[A-Za-z0-9_-]+)/.exec(message.text)![1]!;

describe("sessions held on the server", () => {
  it("a clinician's session ends after 15 minutes without a request; a patient's lasts 30", async () => {
    const clinician = await newAccount("clinician");
    const patient = await newAccount("patient");
    const start = new Date();
    const clinicianSession = await startSession(clinician.userId, start);
    const patientSession = await startSession(patient.userId, start);

    expect(await actorOfSession(clinician.userId, clinicianSession, internalOrigin(), minutesAfter(start, 14.9))).toMatchObject({ userId: clinician.userId, role: "clinician" });
    // That request was activity: the clock restarts from it.
    expect(await actorOfSession(clinician.userId, clinicianSession, internalOrigin(), minutesAfter(start, 29))).toMatchObject({ userId: clinician.userId });
    expect(await actorOfSession(clinician.userId, clinicianSession, internalOrigin(), minutesAfter(start, 44.9))).toBeNull();
    expect(await sessionIdsOf(clinician.userId)).toEqual([]);

    expect(await actorOfSession(patient.userId, patientSession, internalOrigin(), minutesAfter(start, 29))).toMatchObject({ userId: patient.userId });
    expect(await actorOfSession(patient.userId, patientSession, internalOrigin(), minutesAfter(start, 60))).toBeNull();
  });

  it("a session ends after its absolute lifetime however active it is", async () => {
    const patient = await newAccount("patient");
    const start = new Date();
    const session = await startSession(patient.userId, start);
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      expect(await actorOfSession(patient.userId, session, internalOrigin(), minutesAfter(start, minutes))).not.toBeNull();
    }
    expect(await actorOfSession(patient.userId, session, internalOrigin(), minutesAfter(start, 12 * 60))).toBeNull();
  });

  it("a session is its user's only: another user's id with it signs in nobody", async () => {
    const owner = await newAccount();
    const other = await newAccount();
    const session = await startSession(owner.userId);
    expect(await actorOfSession(other.userId, session, internalOrigin())).toBeNull();
    expect(await actorOfSession(owner.userId, session, internalOrigin())).not.toBeNull();
  });

  it("sign out everywhere ends every session of the account, and no one else's, on record", async () => {
    const person = await newAccount("guardian");
    const bystander = await newAccount("guardian");
    const sessions = [await startSession(person.userId), await startSession(person.userId), await startSession(person.userId)];
    const bystanderSession = await startSession(bystander.userId);

    expect(await signOutEverywhere(person)).toEqual({ ended: 3 });

    for (const session of sessions) expect(await actorOfSession(person.userId, session, internalOrigin())).toBeNull();
    expect(await actorOfSession(bystander.userId, bystanderSession, internalOrigin())).not.toBeNull();
    expect(await auditOf(person.userId)).toContainEqual(expect.objectContaining({ action: "sign-out", resourceType: "Session", outcome: "success", actorId: person.userId }));
  });
});

describe("changing one's password", () => {
  it("asks for the current password, applies the policy, ends every other session and keeps this one", async () => {
    const person = await newAccount("clinician");
    const [here, elsewhere, phone] = [await startSession(person.userId), await startSession(person.userId), await startSession(person.userId)];

    const wrong = await rejection(changePassword(person, { currentPassword: "a guess", password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, here));
    expect(wrong).toMatchObject({ code: "invalid_input", fieldErrors: { currentPassword: [expect.stringContaining("not your current password")] } });
    const weak = await rejection(changePassword(person, { currentPassword: PASSWORD, password: "passwordpassword", confirmPassword: "passwordpassword" }, here));
    expect(weak).toMatchObject({ code: "invalid_input", fieldErrors: { password: [expect.any(String)] } });
    const same = await rejection(changePassword(person, { currentPassword: PASSWORD, password: PASSWORD, confirmPassword: PASSWORD }, here));
    expect(same.fieldErrors.password).toEqual(["Choose a password different from your current one."]);
    const mistyped = await rejection(changePassword(person, { currentPassword: PASSWORD, password: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}x` }, here));
    expect(mistyped.fieldErrors.confirmPassword).toEqual(["The two passwords differ; type the same one twice."]);
    expect(await sessionIdsOf(person.userId)).toEqual([here, elsewhere, phone].sort());

    await changePassword(person, { currentPassword: PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, here);

    expect(await sessionIdsOf(person.userId)).toEqual([here]);
    expect(await authenticate(person.email, PASSWORD, freshOrigin())).toBeNull();
    expect(await authenticate(person.email, NEW_PASSWORD, freshOrigin())).toEqual({ userId: person.userId });
    expect(await auditOf(person.userId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: "update", resourceType: "Password", outcome: "failure", actorId: person.userId }),
        expect.objectContaining({ action: "update", resourceType: "Password", outcome: "success", actorId: person.userId, purpose: "administration" }),
      ]),
    );
    const [notice] = await mailTo(person.email);
    expect(notice!.subject).toBe("Your Lantern password was changed");
  });

  it(`refuses further attempts after ${PASSWORD_CHANGE_FAILURES.limit} wrong current passwords, even the right one`, async () => {
    const person = await newAccount();
    for (let attempt = 0; attempt < PASSWORD_CHANGE_FAILURES.limit; attempt++) {
      await rejection(changePassword(person, { currentPassword: `guess ${attempt}`, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, null));
    }
    const limited = await rejection(changePassword(person, { currentPassword: PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, null));
    expect(limited).toMatchObject({ code: "rate_limited", message: expect.stringContaining("Try again in") });
    expect(await authenticate(person.email, PASSWORD, freshOrigin())).toEqual({ userId: person.userId });
  });

  it("makes a reset link asked for earlier stop working", async () => {
    const person = await newAccount();
    await requestPasswordReset(visitor(), { email: person.email }, SITE);
    const token = resetTokenIn((await mailTo(person.email))[0]!);
    await changePassword(person, { currentPassword: PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, null);
    expect(await describePasswordReset(token)).toBeNull();
  });
});

describe("password reset by an emailed one-time link", () => {
  it("answers the same whether or not the email has an account, and emails only the account's owner", async () => {
    const person = await newAccount();
    const nobody = uniqueEmail("nobody");

    const known = await requestPasswordReset(visitor(), { email: person.email.toUpperCase() }, SITE);
    const unknown = await requestPasswordReset(visitor(), { email: nobody }, SITE);

    expect(known).toBe(RESET_REQUESTED);
    expect(unknown).toBe(known);
    const [message] = await mailTo(person.email);
    expect(message!.subject).toBe("Reset your Lantern password");
    expect(message!.text).toContain(`${SITE}/reset-password/rst_`);
    expect(message!.text).toContain("within 60 minutes");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.messages.filter((m) => m.to.includes(nobody))).toEqual([]);
  });

  it("stores only the token's hash; the link works once, ends every session, and older links die with it", async () => {
    const person = await newAccount("admin");
    const sessions = [await startSession(person.userId), await startSession(person.userId)];
    await requestPasswordReset(visitor(), { email: person.email }, SITE);
    await requestPasswordReset(visitor(), { email: person.email }, SITE);
    const [older, newer] = (await mailTo(person.email, 2)).map(resetTokenIn);

    const stored = await getDb().select().from(accountTokens).where(eq(accountTokens.userId, person.userId));
    expect(stored.map((row) => row.tokenHash).sort()).toEqual([sha256Hex(older!), sha256Hex(newer!)].sort());
    expect(JSON.stringify(stored)).not.toContain(newer!.slice(4));
    expect(await describePasswordReset(newer!)).toEqual({ email: person.email });

    const weak = await rejection(resetPassword(visitor(), newer!, { password: "passwordpassword", confirmPassword: "passwordpassword" }));
    expect(weak).toMatchObject({ code: "invalid_input", fieldErrors: { password: [expect.any(String)] } });
    expect(await describePasswordReset(newer!)).not.toBeNull();

    await expect(resetPassword(visitor(), newer!, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).resolves.toEqual({ email: person.email });

    for (const session of sessions) expect(await actorOfSession(person.userId, session, internalOrigin())).toBeNull();
    expect(await authenticate(person.email, NEW_PASSWORD, freshOrigin())).toEqual({ userId: person.userId });
    const again = await rejection(resetPassword(visitor(), newer!, { password: "another fine password 77", confirmPassword: "another fine password 77" }));
    expect(again).toMatchObject({ code: "conflict", message: expect.stringContaining("expired or was already used") });
    await expect(resetPassword(visitor(), older!, { password: "another fine password 77", confirmPassword: "another fine password 77" })).rejects.toMatchObject({ code: "conflict" });
    expect(await auditOf(person.userId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: "create", resourceType: "PasswordReset", outcome: "success", actorKind: "anonymous", actorId: person.userId }),
        expect.objectContaining({ action: "update", resourceType: "Password", outcome: "success", actorKind: "anonymous", actorId: person.userId }),
      ]),
    );
  });

  it("keeps the authenticator: after a reset, staff still sign in with a code", async () => {
    const person = await newAccount("clinician");
    await enrolWithNewSecret(getDb(), person.userId);
    await requestPasswordReset(visitor(), { email: person.email }, SITE);
    const token = resetTokenIn((await mailTo(person.email))[0]!);
    await resetPassword(visitor(), token, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });

    expect(await getDb().select({ userId: totpCredentials.userId }).from(totpCredentials).where(eq(totpCredentials.userId, person.userId))).toHaveLength(1);
    expect(await authenticate(person.email, NEW_PASSWORD, freshOrigin())).toEqual({ userId: person.userId, secondFactorRequired: true });
  });

  it("a link stops working when it expires (60 minutes, on a fake clock)", async () => {
    const person = await newAccount();
    const askedAt = new Date();
    await requestPasswordReset(visitor(), { email: person.email }, SITE, askedAt);
    const token = resetTokenIn((await mailTo(person.email))[0]!);

    expect(await describePasswordReset(token, minutesAfter(askedAt, 59))).not.toBeNull();
    expect(await describePasswordReset(token, minutesAfter(askedAt, 60))).toBeNull();
    await expect(resetPassword(visitor(), token, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, minutesAfter(askedAt, 61))).rejects.toMatchObject({ code: "conflict" });
    expect(await authenticate(person.email, PASSWORD, freshOrigin())).toEqual({ userId: person.userId });
  });

  it(`sends one account at most ${RESET_EMAILS_PER_ACCOUNT.limit} emails an hour, answering every request the same`, async () => {
    const person = await newAccount();
    for (let request = 0; request < RESET_EMAILS_PER_ACCOUNT.limit + 2; request++) {
      expect(await requestPasswordReset(visitor(), { email: person.email }, SITE)).toBe(RESET_REQUESTED);
    }
    await mailTo(person.email, RESET_EMAILS_PER_ACCOUNT.limit);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.messages.filter((m) => m.to.includes(person.email.toLowerCase()))).toHaveLength(RESET_EMAILS_PER_ACCOUNT.limit);
  });

  it(`refuses more than ${RESET_REQUESTS_PER_ADDRESS.limit} requests from one address in 15 minutes, saying when to retry`, async () => {
    const caller = visitor();
    for (let request = 0; request < RESET_REQUESTS_PER_ADDRESS.limit; request++) {
      await requestPasswordReset(caller, { email: uniqueEmail(`probe${request}`) }, SITE);
    }
    const limited = await rejection(requestPasswordReset(caller, { email: uniqueEmail("probe") }, SITE));
    expect(limited).toMatchObject({ code: "rate_limited", message: expect.stringContaining("Try again in 15 minutes") });
  });

  it("sends nothing to a disabled account", async () => {
    const person = await insertUser(organizationId, "clinician", { passwordHash, email: uniqueEmail("disabled.reset"), disabledAt: new Date() });
    expect(await requestPasswordReset(visitor(), { email: person.email }, SITE)).toBe(RESET_REQUESTED);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.messages.filter((m) => m.to.includes(person.email.toLowerCase()))).toEqual([]);
  });
});

describe("an admin disables a staff account", () => {
  it("ends its sessions at once, refuses its sign-in with a reason, is on record, and can be undone", async () => {
    const admin = await newAccount("admin");
    const clinician = await newAccount("clinician");
    const session = await startSession(clinician.userId);

    expect(await setAccountDisabled(admin, { userId: clinician.userId, disabled: "true" })).toEqual({ disabled: true });

    expect(await actorOfSession(clinician.userId, session, internalOrigin())).toBeNull();
    expect(await sessionIdsOf(clinician.userId)).toEqual([]);
    await expect(authenticate(clinician.email, PASSWORD, freshOrigin())).rejects.toMatchObject({ reason: "account-disabled" });
    const [row] = await getDb().select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, clinician.userId));
    expect(row!.disabledAt).toBeInstanceOf(Date);

    expect(await setAccountDisabled(admin, { userId: clinician.userId, disabled: "false" })).toEqual({ disabled: false });
    expect(await authenticate(clinician.email, PASSWORD, freshOrigin())).toEqual({ userId: clinician.userId });
    expect((await auditOf(clinician.userId)).filter((event) => event.actorId === admin.userId)).toEqual([
      expect.objectContaining({ action: "revoke", resourceType: "User", outcome: "success", purpose: "administration" }),
      expect.objectContaining({ action: "grant", resourceType: "User", outcome: "success", purpose: "administration" }),
    ]);
  });

  it("answers not found for another organization's account and for a patient's; refuses the admin's own; refuses a clinician", async () => {
    const admin = await newAccount("admin");
    const elsewhere = await insertUser((await insertOrganization({ name: `Other ${uniqueSuffix()}` })).id, "clinician");
    const patient = await newAccount("patient");
    const clinician = await newAccount("clinician");

    await expect(setAccountDisabled(admin, { userId: elsewhere.userId, disabled: "true" })).rejects.toMatchObject({ code: "not_found" });
    await expect(setAccountDisabled(admin, { userId: patient.userId, disabled: "true" })).rejects.toMatchObject({ code: "not_found" });
    await expect(setAccountDisabled(admin, { userId: admin.userId, disabled: "true" })).rejects.toMatchObject({ code: "conflict" });
    await expect(setAccountDisabled(clinician, { userId: admin.userId, disabled: "true" })).rejects.toMatchObject({ code: "not_found" });
    const untouched = await getDb().select({ disabledAt: users.disabledAt }).from(users).where(and(eq(users.organizationId, organizationId), eq(users.id, patient.userId)));
    expect(untouched[0]!.disabledAt).toBeNull();
    expect(await auditOf(elsewhere.userId)).toContainEqual(expect.objectContaining({ action: "revoke", outcome: "denied", actorId: admin.userId }));
  });
});

describe("the unit a person reads glucose in", () => {
  it("is each patient's own until chosen; the choice is the person's own, on record, and can go back", async () => {
    const clinician = await newAccount("clinician");
    const other = await newAccount("clinician");
    expect(await preferredUnitOf(clinician)).toBeNull();

    expect(await setPreferredUnit(clinician, { unit: "mmol/L" })).toBe("mmol/L");
    expect(await preferredUnitOf(clinician)).toBe("mmol/L");
    expect(await preferredUnitOf(other)).toBeNull();
    expect(await auditOf(clinician.userId)).toContainEqual(expect.objectContaining({ action: "update", resourceType: "Preference", outcome: "success", actorId: clinician.userId }));

    expect(await setPreferredUnit(clinician, { unit: "patient" })).toBeNull();
    expect(await preferredUnitOf(clinician)).toBeNull();
  });

  it("refuses anything but mg/dL, mmol/L or each patient's own, saying what to choose", async () => {
    const clinician = await newAccount("clinician");
    await expect(setPreferredUnit(clinician, { unit: "mg/L" })).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { unit: ["Choose mg/dL, mmol/L, or each patient's own unit"] } });
    expect(await preferredUnitOf(clinician)).toBeNull();
  });
});
