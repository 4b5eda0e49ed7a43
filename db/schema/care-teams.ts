import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { patients } from "./patients";
import { users } from "./users";

export const careTeams = pgTable(
  "care_teams",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("care_teams_org_name_unique").on(table.organizationId, table.name)],
);

export const careTeamMembers = pgTable(
  "care_team_members",
  {
    careTeamId: uuid("care_team_id")
      .notNull()
      .references(() => careTeams.id),
    clinicianUserId: uuid("clinician_user_id")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.careTeamId, table.clinicianUserId] }),
    index("care_team_members_clinician_idx").on(table.clinicianUserId),
  ],
);

export const careTeamPatients = pgTable(
  "care_team_patients",
  {
    careTeamId: uuid("care_team_id")
      .notNull()
      .references(() => careTeams.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.careTeamId, table.patientId] }),
    index("care_team_patients_patient_idx").on(table.patientId),
  ],
);
