import { eq, sql } from "drizzle-orm";
import { internalOrigin } from "@/lib/access/actor";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { organizations, patients, users } from "@/db/schema";
import type { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/security/password-hashing";
import { insertOrganization, uniqueEmail } from "@/test/factories";
import { registerAdultPatient } from "./register";

const visitor = { kind: "anonymous", origin: internalOrigin() } as const;

const TODAY = "2026-07-14";
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

    const { userId } = await registerAdultPatient(visitor, input, TODAY);

    const [user] = await usersWithEmail(input.email);
    expect(user).toMatchObject({ id: userId, role: "patient", displayName: "Ada Quill", email: input.email, disabledAt: null });
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

    await registerAdultPatient(visitor, input, TODAY);

    expect(await usersWithEmail(input.email)).toHaveLength(1);
  });

  it.each([
    { who: "a 17-year-old, one day short of 18", birthDate: "2008-07-15" },
    { who: "a 10-year-old", birthDate: "2016-01-01" },
    { who: "someone born in the future", birthDate: "2026-07-15" },
  ])("refuses $who on the birthDate field and stores nothing", async ({ birthDate }) => {
    const input = form({ birthDate });

    const error = await rejection(registerAdultPatient(visitor, input, TODAY));

    expect(error).toMatchObject({ code: "invalid_input", fieldErrors: { birthDate: [expect.any(String)] } });
    expect(await usersWithEmail(input.email)).toHaveLength(0);
  });

  it.each([
    { weakness: "a common password", password: "passwordpassword" },
    { weakness: "a short one", password: "k7#pQ2" },
    { weakness: "one built from their own name", password: "adaquilladaquill" },
  ])("refuses $weakness on the password field and stores nothing", async ({ password }) => {
    const input = form({ password });

    const error = await rejection(registerAdultPatient(visitor, input, TODAY));

    expect(error).toMatchObject({ code: "invalid_input", fieldErrors: { password: [expect.any(String)] } });
    expect(await usersWithEmail(input.email)).toHaveLength(0);
  });

  it("refuses a name with a NUL character on its field, as a sentence and not a database error", async () => {
    const input = form({ givenName: "Ada\u0000" });
    const error = await rejection(registerAdultPatient(visitor, input, TODAY));
    expect(error).toMatchObject({ code: "invalid_input", fieldErrors: { givenName: [expect.stringContaining("cannot be stored")] } });
    expect(await usersWithEmail(input.email)).toHaveLength(0);
  });

  it("answers a taken email, in any letter case, with one generic conflict and keeps a single account", async () => {
    const first = form();
    await registerAdultPatient(visitor, first, TODAY);

    const sameEmail = await rejection(registerAdultPatient(visitor, form({ email: first.email, givenName: "Other" }), TODAY));
    const upperCase = await rejection(registerAdultPatient(visitor, form({ email: first.email.toUpperCase() }), TODAY));

    expect(sameEmail).toMatchObject({ name: "AppError", code: "conflict" });
    expect(upperCase).toMatchObject({ name: "AppError", code: "conflict" });
    expect(upperCase.message).toBe(sameEmail.message);
    expect(sameEmail.message).not.toContain(first.email);
    expect(sameEmail.message).not.toMatch(/already (exists|registered|taken)/i);
    expect(await usersWithEmail(first.email)).toHaveLength(1);
  });
});
