import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { generate } from "otplib";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { totpCredentials, users } from "@/db/schema";
import { hashPassword } from "@/lib/security/password-hashing";
import { insertOrganization, insertUser, originFrom, uniqueEmail } from "@/test/factories";
import { authenticate, authenticateSecondStep } from "../authenticate";
import { issueSignInChallenge, readSignInChallenge } from "./challenge";
import {
  authorizeNewAuthenticator,
  confirmTotpSetup,
  enrolWithNewSecret,
  mfaStatus,
  mustSetUpSecondFactor,
  totpSetup,
  turnOffSecondFactor,
} from "./second-factor";

const PASSWORD = "lantern moss ferry quartz 77";
let organizationId: string;
let passwordHash: string;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  passwordHash = await hashPassword(PASSWORD);
});

function freshAddress() {
  const [a, b, c] = randomBytes(3);
  return originFrom(`10.${a}.${b}.${c}`);
}

/** The code an authenticator app shows `stepsAhead` time steps from now (0: the current code). */
const codeFor = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });

async function failedCount(userId: string): Promise<number> {
  const [row] = await getDb().select({ count: users.failedSignInCount }).from(users).where(eq(users.id, userId));
  return row!.count;
}

async function enrolledUser(role: "clinician" | "patient" = "clinician") {
  const user = await insertUser(organizationId, role, { passwordHash, email: uniqueEmail(`mfa-${role}`) });
  return { ...user, secret: await enrolWithNewSecret(getDb(), user.userId) };
}

describe("who must set up a second factor", () => {
  it.each([
    ["clinician", true],
    ["admin", true],
    ["privacy_officer", true],
    ["patient", false],
    ["guardian", false],
  ] as const)("%s without an authenticator: confined = %s", async (role, confined) => {
    const user = await insertUser(organizationId, role, { passwordHash });
    expect(await mustSetUpSecondFactor(user)).toBe(confined);
  });

  it("a clinician is confined until the authenticator is confirmed, not merely shown", async () => {
    const clinician = await insertUser(organizationId, "clinician", { passwordHash });
    const setup = (await totpSetup(clinician))!;
    expect(await mustSetUpSecondFactor(clinician)).toBe(true);
    await confirmTotpSetup(clinician, await codeFor(setup.secret));
    expect(await mustSetUpSecondFactor(clinician)).toBe(false);
  });
});

describe("setting up an authenticator", () => {
  it("shows the same secret until it is confirmed, never stores it in plain text, and hands out 10 recovery codes once", async () => {
    const clinician = await insertUser(organizationId, "clinician", { passwordHash });
    const first = (await totpSetup(clinician))!;
    const again = (await totpSetup(clinician))!;
    expect(again.secret).toBe(first.secret);
    expect(first.uri).toMatch(/^otpauth:\/\/totp\/Lantern:.*secret=/);
    const [stored] = await getDb().select().from(totpCredentials).where(eq(totpCredentials.userId, clinician.userId));
    expect(JSON.stringify(stored)).not.toContain(first.secret);

    await expect(confirmTotpSetup(clinician, "000000")).rejects.toMatchObject({ code: "invalid_input" });
    const recoveryCodes = await confirmTotpSetup(clinician, await codeFor(first.secret));
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(await mfaStatus(clinician)).toMatchObject({ required: true, enrolled: true, settingUp: false, recoveryCodesLeft: 10 });
    // Once confirmed, a session cannot get a new secret without re-authenticating.
    expect(await totpSetup(clinician)).toBeNull();
  });
});

describe("signing in with a second factor", () => {
  it("the password alone gives no session: the answer is that a code is required", async () => {
    const user = await enrolledUser();
    expect(await authenticate(user.email, PASSWORD, freshAddress())).toEqual({ userId: user.userId, secondFactorRequired: true });
  });

  it("accepts the password with `otp` in the same request, and refuses the same code a second time (replay)", async () => {
    const user = await enrolledUser();
    const code = await codeFor(user.secret);
    expect(await authenticate(user.email, PASSWORD, freshAddress(), code)).toEqual({ userId: user.userId });
    expect(await authenticate(user.email, PASSWORD, freshAddress(), code)).toBeNull();
    // The next step's code still works.
    expect(await authenticate(user.email, PASSWORD, freshAddress(), await codeFor(user.secret, 1))).toEqual({ userId: user.userId });
  });

  it("counts a wrong code as a failed attempt, like a wrong password", async () => {
    const user = await enrolledUser();
    const right = await codeFor(user.secret);
    const wrong = right === "123456" ? "654321" : "123456";
    expect(await authenticate(user.email, PASSWORD, freshAddress(), wrong)).toBeNull();
    expect(await failedCount(user.userId)).toBe(1);
    expect(await authenticate(user.email, PASSWORD, freshAddress(), "not a code")).toBeNull();
    expect(await failedCount(user.userId)).toBe(2);
  });

  it("a recovery code works once, in place of a code", async () => {
    const clinician = await insertUser(organizationId, "clinician", { passwordHash, email: uniqueEmail("mfa-recovery") });
    const setup = (await totpSetup(clinician))!;
    const [recovery] = await confirmTotpSetup(clinician, await codeFor(setup.secret));
    // Typed in lower case and without dashes: still the same code.
    const typed = recovery!.toLowerCase().replaceAll("-", "");
    expect(await authenticate(clinician.email, PASSWORD, freshAddress(), typed)).toEqual({ userId: clinician.userId });
    expect(await authenticate(clinician.email, PASSWORD, freshAddress(), recovery)).toBeNull();
    expect((await mfaStatus(clinician)).recoveryCodesLeft).toBe(9);
  });

  it("two sign-ins racing with the same code: exactly one is accepted", async () => {
    const user = await enrolledUser();
    const code = await codeFor(user.secret);
    const results = await Promise.all([0, 1, 2].map(() => authenticate(user.email, PASSWORD, freshAddress(), code)));
    expect(results.filter((result) => result !== null)).toHaveLength(1);
  });

  it("the browser's second step: the challenge names the user, the code is checked and not reusable", async () => {
    const user = await enrolledUser();
    const challenge = await issueSignInChallenge(user.userId);
    expect(await readSignInChallenge(challenge)).toBe(user.userId);
    expect(await readSignInChallenge(`${challenge.slice(0, -2)}xx`)).toBeNull();
    const code = await codeFor(user.secret);
    expect(await authenticateSecondStep(user.userId, code, freshAddress())).toEqual({ userId: user.userId });
    expect(await authenticateSecondStep(user.userId, code, freshAddress())).toBeNull();
    expect(await failedCount(user.userId)).toBe(1);
  });

  it("a disabled account: the right password says so before any code is looked at, and the code step refuses it", async () => {
    const user = await enrolledUser();
    const challenge = await issueSignInChallenge(user.userId);
    await getDb().update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.userId));
    const code = await codeFor(user.secret);

    await expect(authenticate(user.email, PASSWORD, freshAddress())).rejects.toMatchObject({ name: "AccountUnavailable", reason: "account-disabled" });
    await expect(authenticate(user.email, PASSWORD, freshAddress(), code)).rejects.toMatchObject({ name: "AccountUnavailable", reason: "account-disabled" });
    expect(await authenticate(user.email, "wrong password", freshAddress(), code)).toBeNull();
    expect(await readSignInChallenge(challenge)).toBe(user.userId);
    expect(await authenticateSecondStep(user.userId, code, freshAddress())).toBeNull();
    const [credential] = await getDb().select({ lastUsedStep: totpCredentials.lastUsedStep }).from(totpCredentials).where(eq(totpCredentials.userId, user.userId));
    expect(credential!.lastUsedStep).toBeNull();
  });

  it("an account without an authenticator signs in with its password, whatever `otp` says", async () => {
    const patient = await insertUser(organizationId, "patient", { passwordHash, email: uniqueEmail("mfa-none") });
    expect(await authenticate(patient.email, PASSWORD, freshAddress())).toEqual({ userId: patient.userId });
    expect(await authenticate(patient.email, PASSWORD, freshAddress(), "123456")).toEqual({ userId: patient.userId });
  });
});

describe("changing or turning off the second factor", () => {
  it("a new authenticator needs the password and a current code; the old one works until the new one is confirmed", async () => {
    const user = await enrolledUser();
    await expect(authorizeNewAuthenticator(user, "not the password", await codeFor(user.secret))).rejects.toMatchObject({ code: "unauthenticated" });
    expect(await failedCount(user.userId)).toBe(1);
    await expect(authorizeNewAuthenticator(user, PASSWORD, "000000")).rejects.toMatchObject({ code: "unauthenticated" });
    expect((await mfaStatus(user)).settingUp).toBe(false);

    await authorizeNewAuthenticator(user, PASSWORD, await codeFor(user.secret));
    const next = (await totpSetup(user))!;
    expect(next.secret).not.toBe(user.secret);
    expect(await authenticate(user.email, PASSWORD, freshAddress(), await codeFor(user.secret, 1))).toEqual({ userId: user.userId });
    await confirmTotpSetup(user, await codeFor(next.secret));
    // The old app's codes no longer sign in.
    expect(await authenticate(user.email, PASSWORD, freshAddress(), await codeFor(user.secret, 1))).toBeNull();
  });

  it("staff cannot turn it off; a patient can, after re-authenticating", async () => {
    const clinician = await enrolledUser("clinician");
    await expect(turnOffSecondFactor(clinician, PASSWORD, await codeFor(clinician.secret))).rejects.toMatchObject({ code: "forbidden" });
    const patient = await enrolledUser("patient");
    await expect(turnOffSecondFactor(patient, PASSWORD, "000000")).rejects.toMatchObject({ code: "unauthenticated" });
    await turnOffSecondFactor(patient, PASSWORD, await codeFor(patient.secret));
    expect(await authenticate(patient.email, PASSWORD, freshAddress())).toEqual({ userId: patient.userId });
  });
});
