import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Fixed-window counters shared by every server process (lib/access/rate-limits.ts): failed
 * sign-ins per client address, requests per device token and per uploader credential. One row
 * per key; a window that has ended starts again on the next hit, and rows whose window ended
 * long ago are swept.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    windowEnd: timestamp("window_end", { withTimezone: true }).notNull(),
    hits: integer("hits").notNull(),
  },
  (table) => [index("rate_limits_window_end").on(table.windowEnd)],
);
