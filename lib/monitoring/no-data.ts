import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, rowsOf, type Database, type Transaction } from "@/db/client";
import { alerts } from "@/db/schema";
import type { DeviceKind, Specimen } from "@/db/schema/readings-enums";
import { internalOrigin, type SystemActor } from "@/lib/access/actor";
import { feedSilence } from "@/lib/alerts/feed-silence";
import { ALERT_SEVERITY } from "@/lib/alerts/kinds";
import { recordAudit } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { ALERTS_CHANNEL } from "./live-channel";
import { targetsOf, targetsSnapshot } from "./targets";

/**
 * "No data" alerts (docs/alert-notifications.md): a periodic job in every server process finds
 * monitored feeds silent longer than their limit (lib/alerts/feed-silence.ts) and opens one
 * `no-data` alert per silence, about that feed's specimen, starting when the silence began. The
 * write path closes it when the feed's next reading arrives (evaluate.ts, closeSilentFeedAlerts).
 *
 * A feed is monitored while the patient has an active paired device of its kind (a CGM: the
 * interstitial feed; a meter: the capillary one) or a Nightscout uploader credential (the CGM
 * feed); silence is counted from the latest reading, or from the pairing if none came since.
 */

interface SilentFeed {
  patient_id: string;
  organization_id: string;
  birth_date: string;
  specimen: Specimen;
  device_kind: DeviceKind;
  monitored_since: string;
  last_reading_at: string | null;
}

function limitsInMinutes(): Record<DeviceKind, number> {
  const env = environment();
  return { cgm: env.LANTERN_NO_DATA_CGM_HOURS * 60, "fingerstick-meter": env.LANTERN_NO_DATA_METER_HOURS * 60 };
}

/**
 * Monitored feeds silent past their limit at `at` with no alert for this silence yet: none open
 * for the feed, none that started when this silence did (a resolved one stays resolved).
 */
function silentFeedsQuery(at: string, limits: Record<DeviceKind, number>, only?: { patientId: string; specimen: Specimen }): SQL {
  return sql`
    with monitored as (
      select patient_id, kind as device_kind, coalesce(token_issued_at, created_at) as since
      from devices where revoked_at is null and token_hash is not null
      union all
      select patient_id, 'cgm'::device_kind, created_at from uploader_credentials
    ),
    feeds as (
      select patient_id, device_kind, case device_kind when 'cgm' then 'interstitial'::specimen else 'capillary'::specimen end as specimen, min(since) as monitored_since
      from monitored group by patient_id, device_kind
    )
    select feeds.patient_id, patient.organization_id, patient.birth_date::text as birth_date, feeds.specimen, feeds.device_kind,
      feeds.monitored_since, feed.last_reading_at
    from feeds
    join patients patient on patient.id = feeds.patient_id
    left join patient_feeds feed on feed.patient_id = feeds.patient_id and feed.specimen = feeds.specimen
    where greatest(feed.last_reading_at, feeds.monitored_since)
        < ${at}::timestamptz - make_interval(mins => case feeds.device_kind when 'cgm' then ${limits.cgm}::int else ${limits["fingerstick-meter"]}::int end)
      ${only ? sql`and feeds.patient_id = ${only.patientId}::uuid and feeds.specimen = ${only.specimen}::specimen` : sql``}
      and not exists (select 1 from alerts alert where alert.patient_id = feeds.patient_id and alert.kind = 'no-data' and alert.specimen = feeds.specimen
        and (alert.ended_at is null or alert.started_at >= date_trunc('milliseconds', greatest(feed.last_reading_at, feeds.monitored_since))))`;
}

/** The readings write path's per-patient lock (lib/readings/ingest.ts, lockPatientReadings): same key space and key. */
async function lockPatient(tx: Transaction, patientId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(1, hashtext(${patientId}))`);
}

/**
 * Opens the no-data alerts due at `now`; returns how many. Each is opened holding the patient's
 * readings lock and re-checked under it, so a reading stored meanwhile, or another process's
 * sweep, is seen: one alert per silence, across processes.
 */
export async function openNoDataAlerts(now = new Date(), db: Database = getDb()): Promise<number> {
  const limits = limitsInMinutes();
  // A raw statement: times go as ISO text (postgres.js binds no Date there).
  const at = now.toISOString();
  const candidates = rowsOf<SilentFeed>(await db.execute(silentFeedsQuery(at, limits)));
  let opened = 0;
  for (const candidate of candidates) {
    const created = await db.transaction(async (tx) => {
      await lockPatient(tx, candidate.patient_id);
      const [feed] = rowsOf<SilentFeed>(await tx.execute(silentFeedsQuery(at, limits, { patientId: candidate.patient_id, specimen: candidate.specimen })));
      if (!feed) return false;
      const silence = feedSilence({
        deviceKind: feed.device_kind,
        lastReadingAt: feed.last_reading_at === null ? null : Date.parse(feed.last_reading_at),
        monitoredSince: Date.parse(feed.monitored_since),
        now: now.getTime(),
        limitMinutes: limits,
      });
      if (!silence.silent) return false;
      const patient = { id: feed.patient_id, birthDate: feed.birth_date };
      const targets = await targetsOf(tx, patient, now);
      const [alert] = await tx
        .insert(alerts)
        .values({
          patientId: feed.patient_id,
          kind: "no-data",
          severity: ALERT_SEVERITY["no-data"],
          specimen: feed.specimen,
          startedAt: new Date(silence.since),
          targets: targetsSnapshot(targets),
          updatedAt: now,
        })
        .returning({ id: alerts.id });
      const job: SystemActor = { kind: "system", job: "alert-monitor", organizationId: feed.organization_id, origin: internalOrigin() };
      await recordAudit(tx, job, { action: "create", resourceType: "Flag", resourceId: String(alert!.id), patientIds: [feed.patient_id], purpose: "care", outcome: "success" });
      // Open inboxes hear of it as of any new alert (moderate: no channel message).
      await tx.execute(sql`select pg_notify(${ALERTS_CHANNEL}, ${JSON.stringify({ alertId: alert!.id, patientId: feed.patient_id })})`);
      return true;
    });
    if (created) opened++;
  }
  return opened;
}
