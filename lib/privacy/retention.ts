import "server-only";
import { and, isNotNull, lt, or, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db/client";
import { backendAccessTokens, bulkExportJobs, clientAssertionIds, devices, revokedSessions } from "@/db/schema";
import { logUnexpected } from "@/lib/log";

/**
 * Retention per data category (GDPR Art 5(1)(e), PRIVACY-SECURITY.md C8). The rules are declared
 * here once; the data map (lib/privacy/data-map.ts) names one for every column, and the job below
 * enforces those that end by the clock. Care records are not purged by the clock: they are kept for
 * the organization's health-records retention period and then removed by its procedure.
 */

export const BULK_EXPORT_LIFETIME_HOURS = 24;

export const retentionRules = {
  "care-record": "Kept for the organization's health-records retention period (e.g. NHS Records Management Code: adults 8 years after the last care; children until their 25th birthday, or 26th if 17 when care ended). Not purged by the clock; erasure requests are answered with this exemption recorded.",
  "account": "While the account is active, then as the care record it belongs to.",
  "consent-record": "As long as the care record: it shows what was allowed when.",
  "privacy-request": "As long as the care record: it shows how a request was handled.",
  "audit-trail": "At least 6 years (HIPAA 164.316(b)(2)); append-only, never purged by Lantern.",
  "configuration": "Until an admin removes or revokes it.",
  "bulk-export": `${BULK_EXPORT_LIFETIME_HOURS} hours after the export finished (or began, if it never finished); purged by the retention job.`,
  "push-queue": "Until delivered; entries of patients who object to hospital sharing are dropped unsent.",
  "revoked-session": "Until the session would have expired anyway; purged by the retention job.",
  "assertion-id": "Until the client assertion expires (at most 5 minutes); purged by the retention job.",
  "access-token": "Until the access token expires; purged by the retention job.",
  "pairing-code": "Until the pairing code expires; purged by the retention job (hash and expiry cleared).",
  "derived": "Recomputed from the care record; kept and removed with it.",
} as const;
export type RetentionRule = keyof typeof retentionRules;

export interface PurgeCounts {
  bulkExports: number;
  revokedSessions: number;
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
    const sessions = await tx.delete(revokedSessions).where(lt(revokedSessions.expiresAt, now)).returning({ id: revokedSessions.sessionId });
    const assertions = await tx.delete(clientAssertionIds).where(lt(clientAssertionIds.expiresAt, now)).returning({ jti: clientAssertionIds.jti });
    const tokens = await tx.delete(backendAccessTokens).where(lt(backendAccessTokens.expiresAt, now)).returning({ hash: backendAccessTokens.tokenHash });
    const codes = await tx
      .update(devices)
      .set({ pairingCodeHash: null, pairingCodeExpiresAt: null })
      .where(and(isNotNull(devices.pairingCodeExpiresAt), lt(devices.pairingCodeExpiresAt, now)))
      .returning({ id: devices.id });
    return { bulkExports: exports.length, revokedSessions: sessions.length, assertionIds: assertions.length, accessTokens: tokens.length, pairingCodes: codes.length };
  });
}

const globalForRetention = globalThis as typeof globalThis & { lanternRetentionJob?: NodeJS.Timeout };

/** Started once per server process, like the push worker; the advisory lock decides who sweeps. */
export function startRetentionJob(intervalMs = 10 * 60_000): void {
  if (globalForRetention.lanternRetentionJob) return;
  let running = false;
  const sweep = () => {
    if (running) return;
    running = true;
    purgeExpired()
      .catch((error: unknown) => logUnexpected("retention", null, error))
      .finally(() => {
        running = false;
      });
  };
  globalForRetention.lanternRetentionJob = setInterval(sweep, intervalMs);
  globalForRetention.lanternRetentionJob.unref();
  sweep();
}
