import "server-only";
import { eq, lt, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { AppError } from "@/lib/errors";

/**
 * Fixed-window rate limits kept in PostgreSQL, so every server process behind one database counts
 * into the same window (a limit kept in memory lets N processes allow N times as much). One
 * statement counts a hit and answers whether it was within the limit; a window that has ended
 * starts again at the next hit.
 */
export interface RateLimit {
  /** Hits allowed per window. */
  limit: number;
  windowMs: number;
}

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** A refusal for going over a limit: 429 with Retry-After at the doors. */
export class RateLimited extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super("rate_limited", message);
  }
}

function retryAfter(windowEnd: Date, now: Date): number {
  return Math.max(1, Math.ceil((windowEnd.getTime() - now.getTime()) / 1000));
}

/** Counts one hit on `key` and says whether it was within the limit. */
export async function hitRateLimit(key: string, rule: RateLimit, now = new Date(), db: Database = getDb()): Promise<RateLimitVerdict> {
  const at = now.toISOString();
  const end = new Date(now.getTime() + rule.windowMs).toISOString();
  // Inside ON CONFLICT DO UPDATE, `rate_limits.*` is the stored row and `excluded.*` the new one.
  const windowOver = sql`rate_limits.window_end <= ${at}::timestamptz`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: now, windowEnd: new Date(end), hits: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        windowStart: sql`case when ${windowOver} then excluded.window_start else rate_limits.window_start end`,
        windowEnd: sql`case when ${windowOver} then excluded.window_end else rate_limits.window_end end`,
        hits: sql`case when ${windowOver} then 1 else rate_limits.hits + 1 end`,
      },
    })
    .returning({ hits: rateLimits.hits, windowEnd: rateLimits.windowEnd });
  if (row!.hits <= rule.limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: retryAfter(row!.windowEnd, now) };
}

/** Whether `key` has used up its window, without counting a hit (checked before costly work). */
export async function rateLimitReached(key: string, rule: RateLimit, now = new Date(), db: Database = getDb()): Promise<RateLimitVerdict> {
  const [row] = await db.select({ hits: rateLimits.hits, windowEnd: rateLimits.windowEnd }).from(rateLimits).where(eq(rateLimits.key, key));
  if (!row || row.windowEnd.getTime() <= now.getTime() || row.hits < rule.limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: retryAfter(row.windowEnd, now) };
}

/** Drops windows that ended before `now`: rows of addresses never seen again. */
export async function sweepRateLimits(now = new Date(), db: Database = getDb()): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowEnd, now));
}
