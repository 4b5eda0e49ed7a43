import { z } from "zod";
import { glucoseUnits } from "@/db/schema/readings-enums";
import { isValidTimeZone } from "@/lib/time/zones";

/** Patient self-registration: the form and the server action share this schema. */
export const registrationSchema = z.object({
  givenName: z.string().trim().min(1, "Enter your first name").max(100),
  familyName: z.string().trim().min(1, "Enter your last name").max(100),
  email: z.email({ message: "Enter an email address like name@example.org" }).max(254),
  birthDate: z.iso.date({ message: "Enter your date of birth" }),
  timezone: z.string().refine(isValidTimeZone, "Choose your time zone, e.g. Europe/London"),
  preferredUnit: z.enum(glucoseUnits, { message: "Choose mg/dL or mmol/L" }),
  password: z.string().min(1, "Choose a password"),
});

export type RegistrationInput = z.infer<typeof registrationSchema>;

export const ADULT_AGE = 18;
