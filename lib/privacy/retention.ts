import "server-only";
import { and, isNotNull, lt, or, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db/client";
import { accountTokens, backendAccessTokens, bulkExportJobs, clientAssertionIds, devices, userSessions } from "@/db/schema";
import { environment } from "@/lib/config";
import { startPeriodicJob } from "@/lib/periodic";
import { BULK_EXPORT_LIFETIME_HOURS } from "./retention-rules";

/**
 * The retention job (GDPR Art 5(1)(e), PRIVACY-SECURITY.md C8): enforces the rules of
 * ./retention-rules.ts that end by the clock.
 */

export interface PurgeCounts {
  bulkExports: number;
  sessions: number;
  accountLinks: number;
  assertionIds: number;
  accessTokens: number;
  pairingCodes: number;
}

/** Any constant key: one retention sweep at a time across server processes. */
const RETENTION_LOCK = 0x4c4e5452;

/**
 * Deletes what the rules above say has expired at `now` (injectable: tests move the clock). Runs
 * in one transaction holding a transaction-level advisory lock; a process that finds the lock
 * taken skips this round (null), so several server processes never sweep at once. Each delete is
 * by expiry alone, so running twice removes nothing more.
 */
export async function purgeExpired(now: Date = new Date()): Promise<PurgeCounts | null> {
  return getDb().transaction(async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${RETENTION_LOCK}) as locked`));
    if (!lock?.locked) return null;
    const exportCutoff = new Date(now.getTime() - BULK_EXPORT_LIFETIME_HOURS * 3_600_000);
    // Files go with their job (on delete cascade).
    const exports = await tx
      .delete(bulkExportJobs)
      .where(or(lt(bulkExportJobs.completedAt, exportCutoff), and(sql`${bulkExportJobs.completedAt} is null`, lt(bulkExportJobs.transactionTime, exportCutoff))))
      .returning({ id: bulkExportJobs.id });
    // Sessions past their lifetime, or idle longer than any role's limit (a signed-in request
    // ends a shorter-limited idle session itself); a session row is its credential.
    const { LANTERN_SESSION_IDLE_MINUTES, LANTERN_CLINICAL_SESSION_IDLE_MINUTES } = environment();
    const idleCutoff = new Date(now.getTime() - Math.max(LANTERN_SESSION_IDLE_MINUTES, LANTERN_CLINICAL_SESSION_IDLE_MINUTES) * 60_000);
    const sessions = await tx
      .delete(userSessions)
      .where(or(lt(userSessions.expiresAt, now), lt(userSessions.lastSeenAt, idleCutoff)))
      .returning({ id: userSessions.id });
    // Reset and email-confirmation links once used or expired: nothing can open them any more.
    const links = await tx
      .delete(accountTokens)
      .where(or(lt(accountTokens.usedAt, now), lt(accountTokens.expiresAt, now)))
      .returning({ id: accountTokens.id });
    const assertions = await tx.delete(clientAssertionIds).where(lt(clientAssertionIds.expiresAt, now)).returning({ jti: clientAssertionIds.jti });
    const tokens = await tx.delete(backendAccessTokens).where(lt(backendAccessTokens.expiresAt, now)).returning({ hash: backendAccessTokens.tokenHash });
    const codes = await tx
      .update(devices)
      .set({ pairingCodeHash: null, pairingCodeExpiresAt: null })
      .where(and(isNotNull(devices.pairingCodeExpiresAt), lt(devices.pairingCodeExpiresAt, now)))
      .returning({ id: devices.id });
    return { bulkExports: exports.length, sessions: sessions.length, accountLinks: links.length, assertionIds: assertions.length, accessTokens: tokens.length, pairingCodes: codes.length };
  });
}

/** Started once per server process, like the push worker; the advisory lock decides who sweeps. */
export function startRetentionJob(intervalMs = 10 * 60_000): void {
  startPeriodicJob("retention", intervalMs, purgeExpired, { runAtStart: true });
}
