import { z } from "zod";

/** Inputs of the admin page; each form and its server action share one schema. */
export const staffAccountSchema = z.object({
  displayName: z.string().trim().min(1, "Enter the person's name").max(200),
  email: z.email({ message: "Enter an email address like name@example.org" }).max(254),
  role: z.enum(["clinician", "admin", "privacy_officer"], { message: "Choose clinician, administrator or privacy officer" }),
});

export const careTeamSchema = z.object({
  name: z.string().trim().min(1, "Enter a name for the care team").max(200),
});

const idField = (what: string) => z.uuid({ message: `Choose a ${what}` });

export const careTeamMemberSchema = z.object({ careTeamId: idField("care team"), clinicianUserId: idField("clinician") });
export const careTeamPatientSchema = z.object({ careTeamId: idField("care team"), patientId: idField("patient") });
