import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { backendClients } from "./backend-clients";
import { careTeams } from "./care-teams";
import { organizations } from "./organizations";

export const bulkExportStatus = pgEnum("bulk_export_status", ["in-progress", "completed", "failed", "cancelled"]);

/** A FHIR Bulk Data export ($export) requested by a hospital system, kept until it is deleted. */
export const bulkExportJobs = pgTable(
  "bulk_export_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => backendClients.id),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    // A Group export is a care team; null exports every patient of the organization.
    careTeamId: uuid("care_team_id").references(() => careTeams.id),
    requestUrl: text("request_url").notNull(),
    resourceTypes: text("resource_types").array().notNull(),
    since: timestamp("since", { withTimezone: true }),
    status: bulkExportStatus("status").notNull().default("in-progress"),
    progress: text("progress"),
    error: text("error"),
    transactionTime: timestamp("transaction_time", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    // The process running the export holds a lease it renews as it writes files; when that
    // process dies the lease runs out and another process takes the job over (lib/fhir/server/bulk-export.ts).
    leaseHolder: text("lease_holder"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
  },
  (table) => [index("bulk_export_jobs_client_idx").on(table.clientId), index("bulk_export_jobs_lease_idx").on(table.leaseExpiresAt).where(sql`${table.status} = 'in-progress'`)],
);

/** One NDJSON output file of an export: at most 10,000 resources of one type. */
export const bulkExportFiles = pgTable(
  "bulk_export_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => bulkExportJobs.id, { onDelete: "cascade" }),
    resourceType: text("resource_type").notNull(),
    sequence: integer("sequence").notNull(),
    resourceCount: integer("resource_count").notNull(),
    ndjson: text("ndjson").notNull(),
  },
  (table) => [index("bulk_export_files_job_idx").on(table.jobId)],
);
