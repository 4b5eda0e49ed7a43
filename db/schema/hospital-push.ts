import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { patients } from "./patients";

/** A hospital's own FHIR server that receives new readings and alert changes as transaction Bundles. */
export const hospitalEndpoints = pgTable("hospital_endpoints", {
  id: uuid("id").primaryKey().defaultRandom(),
  organizationId: uuid("organization_id")
    .notNull()
    .references(() => organizations.id),
  name: text("name").notNull(),
  baseUrl: text("base_url").notNull(),
  // Sent as `Authorization: Bearer`; null for endpoints that authenticate by network. Encrypted
  // at rest: only lib/security/sealed-columns.ts reads or writes it (docs/privacy.md).
  bearerTokenSealed: text("bearer_token"),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const pushStatus = pgEnum("push_status", ["pending", "delivered", "dead"]);

/**
 * The durable outbox: written in the same statement as the readings it announces (or the
 * transaction that opens, updates or closes the alerts it announces), delivered in
 * order per endpoint and patient, retried with backoff, and parked as dead after too many tries
 * until an admin replays it. Nothing acknowledged is lost while a hospital is down.
 */
export const pushOutbox = pgTable(
  "push_outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => hospitalEndpoints.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    readingIds: bigint("reading_ids", { mode: "number" }).array().notNull(),
    // Alerts (as Flags) the entry announces, written in the transaction that changed them; empty for readings.
    alertIds: bigint("alert_ids", { mode: "number" }).array().notNull().default(sql`'{}'::bigint[]`),
    status: pushStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (table) => [
    index("push_outbox_due_idx").on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index("push_outbox_order_idx").on(table.endpointId, table.patientId, table.id),
  ],
);
