import { z } from "zod";
import { glucoseUnits } from "@/db/schema/readings-enums";
import { isValidTimeZone } from "@/lib/time/zones";

/** Inputs of registering people in the portal and of accepting an invitation; forms and actions share them. */

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((value) => (value ? value : undefined));

const optionalEmail = z
  .union([z.literal(""), z.email({ message: "Enter an email address like name@example.org" }).max(254)])
  .optional()
  .transform((value) => (value ? value : undefined));

export const clinicRegistrationSchema = z
  .object({
    givenName: z.string().trim().min(1, "Enter the patient's first name").max(100),
    familyName: z.string().trim().min(1, "Enter the patient's last name").max(100),
    birthDate: z.iso.date({ message: "Enter the date of birth" }),
    timezone: z.string().refine(isValidTimeZone, "Choose the patient's time zone, e.g. Europe/London"),
    preferredUnit: z.enum(glucoseUnits, { message: "Choose mg/dL or mmol/L" }),
    medicalRecordNumber: optionalText(64),
    careTeamId: z.uuid({ message: "Choose the care team" }),
    // The patient's own sign-in (an adult, or a young person old enough), invited by email.
    patientEmail: optionalEmail,
    guardianName: optionalText(200),
    guardianEmail: optionalEmail,
    secondGuardianName: optionalText(200),
    secondGuardianEmail: optionalEmail,
    // The verified step: a clinician registering a child confirms they know these are the guardians.
    guardiansVerified: z
      .union([z.literal("on"), z.literal("true"), z.literal(""), z.boolean()])
      .optional()
      .transform((value) => value === "on" || value === "true" || value === true),
  })
  .superRefine((form, context) => {
    for (const [name, email] of [["guardianName", "guardianEmail"], ["secondGuardianName", "secondGuardianEmail"]] as const) {
      if (form[name] && !form[email]) context.addIssue({ code: "custom", path: [email], message: "Enter the guardian's email: they are invited to set their own password." });
      if (form[email] && !form[name]) context.addIssue({ code: "custom", path: [name], message: "Enter the guardian's name." });
    }
    if (form.guardianEmail && form.secondGuardianEmail && form.guardianEmail.toLowerCase() === form.secondGuardianEmail.toLowerCase()) {
      context.addIssue({ code: "custom", path: ["secondGuardianEmail"], message: "The two guardians need different email addresses." });
    }
  });
export type ClinicRegistration = z.infer<typeof clinicRegistrationSchema>;

export const setPasswordSchema = z
  .object({
    password: z.string().min(1, "Choose a password"),
    confirmPassword: z.string().min(1, "Type the password again"),
  })
  .refine((form) => form.password === form.confirmPassword, { path: ["confirmPassword"], message: "The two passwords differ; type the same one twice." });

export const guardianLinkSchema = z.object({
  patientId: z.uuid({ message: "Choose a patient" }),
  guardianUserId: z.uuid({ message: "Choose a guardian" }),
});

export const renewGuardianSchema = guardianLinkSchema.extend({
  renewedUntil: z.iso.date({ message: "Enter the last day the guardian keeps access" }),
});

/** A clinician of the care team records whether a young person can decide who sees their record. */
export const competenceAssessmentSchema = z.object({
  patientId: z.uuid({ message: "Choose a patient" }),
  competent: z.enum(["yes", "no"], { message: "Choose whether the young person is competent to decide" }).transform((value) => value === "yes"),
  note: optionalText(2000),
});

/** A young person judged competent limits a guardian's access to a last day, or ends it now. */
export const guardianLimitSchema = z
  .object({
    patientId: z.uuid({ message: "Choose a patient" }),
    guardianUserId: z.uuid({ message: "Choose a guardian" }),
    choice: z.enum(["limit", "end"], { message: "Choose to limit or to end this person's access" }),
    lastDay: z.union([z.literal(""), z.iso.date({ message: "Enter the last day they can see your record" })]).optional(),
  })
  .superRefine((form, context) => {
    if (form.choice === "limit" && !form.lastDay) context.addIssue({ code: "custom", path: ["lastDay"], message: "Enter the last day they can see your record" });
  });

/** A clinician marks a care-team task done. */
export const careTeamTaskSchema = z.object({ taskId: z.uuid({ message: "Choose a task" }) });
