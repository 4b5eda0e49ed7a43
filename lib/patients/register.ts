import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { organizations, patients, users } from "@/db/schema";
import { audited, type AnonymousCaller } from "@/lib/audit/record";
import { isUniqueViolation } from "@/lib/db-errors";
import { AppError } from "@/lib/errors";
import { hashPassword } from "@/lib/security/password-hashing";
import { checkPassword } from "@/lib/security/password-policy";
import { invalidFields, parseInput } from "@/lib/validation";
import { ageOn } from "@/lib/time/age";
import { ADULT_AGE, registrationSchema } from "./registration-schema";

// One answer whether or not the email is taken, so registration does not reveal who has an account.
const CANNOT_REGISTER =
  "We could not create an account with these details. If you already have one, sign in; your clinic can help if you cannot.";

/** An adult patient registers themself into the organization open for self-registration. */
export async function registerAdultPatient(caller: AnonymousCaller, input: unknown, today = new Date().toISOString().slice(0, 10)): Promise<{ userId: string }> {
  const form = parseInput(registrationSchema, input);
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
  try {
    return await audited({ ...caller, organizationId: organization.id }, { action: "register", resourceType: "Patient" }, async (tx, trail) => {
      const [user] = await tx
        .insert(users)
        .values({
          organizationId: organization.id,
          email: form.email,
          displayName: `${form.givenName} ${form.familyName}`,
          role: "patient",
          passwordHash,
        })
        .returning({ id: users.id });
      const [patient] = await tx.insert(patients).values({
        organizationId: organization.id,
        userId: user!.id,
        givenName: form.givenName,
        familyName: form.familyName,
        birthDate: form.birthDate,
        timezone: form.timezone,
        preferredUnit: form.preferredUnit,
      }).returning({ id: patients.id });
      trail.touch(patient!.id);
      trail.resourceId = patient!.id;
      return { userId: user!.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", CANNOT_REGISTER);
    throw error;
  }
}
