import { z } from "zod";
import { alertKinds, alertSeverities } from "@/lib/alerts/kinds";

/**
 * What the alert inbox is asked for (the URL of /clinician/alerts, and any caller of listInbox):
 * one schema, so the page, the data layer and the tests read the same filters.
 */

/** `active` is every alert not yet resolved (open or acknowledged): what needs attention. */
export const inboxStatusFilters = ["active", "open", "acknowledged", "resolved", "all"] as const;
export type InboxStatusFilter = (typeof inboxStatusFilters)[number];

export const inboxSorts = ["severity", "start", "duration"] as const;
export type InboxSort = (typeof inboxSorts)[number];

export const INBOX_PAGE_SIZE = 25;

const emptyAsMissing = (value: unknown) => (value === "" ? undefined : value);

export const inboxQuerySchema = z.object({
  status: z.preprocess(emptyAsMissing, z.enum(inboxStatusFilters, { error: "Choose a status: active, open, acknowledged, resolved or all." }).default("active")),
  severity: z.preprocess(emptyAsMissing, z.enum(alertSeverities, { error: "Choose a severity: urgent, high, moderate or low." }).optional()),
  kind: z.preprocess(emptyAsMissing, z.enum(alertKinds, { error: "Choose a kind of alert from the list." }).optional()),
  patient: z.preprocess(emptyAsMissing, z.uuid({ error: "The patient filter must be a patient's id." }).optional()),
  sort: z.preprocess(emptyAsMissing, z.enum(inboxSorts, { error: "Sort by severity, start or duration." }).default("severity")),
  page: z.preprocess(emptyAsMissing, z.coerce.number({ error: "The page must be a whole number from 1." }).int().min(1).max(10_000).default(1)),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

export const ALERT_NOTE_MAX = 1000;

/** The clinician's note when acknowledging an alert (optional). */
export const acknowledgementSchema = z.object({
  note: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() || undefined : value),
    z.string().max(ALERT_NOTE_MAX, { error: `Keep the note under ${ALERT_NOTE_MAX} characters.` }).optional(),
  ),
});
