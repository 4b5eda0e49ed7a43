import { z } from "zod";

/** Inputs of the account pages (change password, reset by email, account disable); forms and actions share them. */

const newPassword = {
  password: z.string().min(1, "Choose a new password"),
  confirmPassword: z.string().min(1, "Type the new password again"),
};
const samePasswordTwice = (form: { password: string; confirmPassword: string }) => form.password === form.confirmPassword;
const differ = { path: ["confirmPassword"], message: "The two passwords differ; type the same one twice." };

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password").max(1024), ...newPassword })
  .refine(samePasswordTwice, differ);

export const resetPasswordSchema = z.object(newPassword).refine(samePasswordTwice, differ);

export const passwordResetRequestSchema = z.object({
  email: z.email({ message: "Enter an email address like name@example.org" }).max(254),
});

export const accountStatusSchema = z.object({
  userId: z.uuid({ message: "Choose an account" }),
  disabled: z.enum(["true", "false"], { message: "Say whether the account is disabled" }).transform((value) => value === "true"),
});

/** The unit a person reads glucose in on every patient's pages, or each patient's own ("patient"). */
export const unitPreferenceSchema = z.object({
  unit: z.enum(["patient", "mg/dL", "mmol/L"], { message: "Choose mg/dL, mmol/L, or each patient's own unit" }),
});
