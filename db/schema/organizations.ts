import { sql } from "drizzle-orm";
import { boolean, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const organizations = pgTable(
  "organizations",
  {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  // The organization new patients join when they register themselves. At most one.
  openForSelfRegistration: boolean("open_for_self_registration").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("organizations_single_open_for_self_registration").on(sql`(true)`).where(sql`${table.openForSelfRegistration}`)],
);
