import { z } from "zod";

/** Inputs of break-glass, the audit search and the review queue; forms and actions share them. */

export const breakGlassSchema = z.object({
  medicalRecordNumber: z.string().trim().min(1, "Enter the patient's record number").max(64),
  reason: z.string().trim().min(10, "Say why you need this record now, in a sentence (at least 10 characters)").max(500),
  password: z.string().min(1, "Enter your password again to confirm it is you"),
});

const optional = <T extends z.ZodType>(schema: T) => z.union([z.literal(""), schema]).optional().transform((value) => (value ? (value as z.infer<T>) : undefined));

export const auditSearchSchema = z.object({
  actorEmail: optional(z.string().trim().max(254)),
  medicalRecordNumber: optional(z.string().trim().max(64)),
  action: optional(z.enum(["read", "search", "create", "update", "export", "disclose", "sign-in", "sign-out", "register", "pair", "grant", "revoke"], { message: "Choose an action from the list" })),
  from: optional(z.iso.date({ message: "Enter a date such as 2026-01-31" })),
  to: optional(z.iso.date({ message: "Enter a date such as 2026-01-31" })),
  breakGlassOnly: z
    .union([z.literal("on"), z.literal("true"), z.literal("")])
    .optional()
    .transform((value) => value === "on" || value === "true"),
});
export type AuditSearch = z.infer<typeof auditSearchSchema>;

export const reviewSchema = z.object({ auditSeq: z.coerce.number().int().positive({ message: "Choose an event to mark reviewed" }) });
