import "server-only";
import { and, asc, eq, gte, isNull, or, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { alerts, glucoseReadings, notificationChannels, notificationOutbox } from "@/db/schema";
import type { Specimen } from "@/db/schema/readings-enums";
import type { Episode } from "@/lib/alerts/episode";
import { findEpisodes } from "@/lib/alerts/episodes";
import { canSkipEvaluation, reconcileEpisodes, windowToRecompute, type EpisodeOperation, type IncrementalSource, type StoredEpisode } from "@/lib/alerts/incremental";
import { ALERT_SEVERITY } from "@/lib/alerts/kinds";
import type { GlucosePoint } from "@/lib/alerts/points";
import { environment } from "@/lib/config";
import { ALERTS_CHANNEL } from "./live-channel";
import { targetsFromRow, targetsOf, targetsSnapshot, type PatientTargets, type StoredTargets } from "./targets";

export type { StoredTargets };

/**
 * Alert evaluation in the write path (docs/decisions/006-episodes.md, 009-alerts.md): called by
 * the readings write path in the same transaction as the readings, holding the patient's lock, so
 * no reading is stored without being evaluated and one episode exists once across server
 * processes. Stored episodes are kept equal to the episode function over the stored, counted
 * readings: the window the new readings can affect is re-read, recomputed and reconciled.
 */

/** Readings just stored for a patient, by specimen (only counted ones: a duplicate adds nothing). */
export interface TouchedSeries {
  specimen: Specimen;
  points: GlucosePoint[];
}

/** Far enough back to find every stored episode a window can start inside (longer than any rule's lookback). */
export const NEAR_EPISODES_SECONDS = 6 * 3600;
// Severities whose new alerts go to the organization's channels at once; urgent ones escalate later too.
const NOTIFY_AT_ONCE = new Set(["urgent", "high"]);

type AlertRow = typeof alerts.$inferSelect;

/** An alerts row as the write statement reads it (row_to_json: column names, times as text). */
export interface AlertJson {
  id: number | string;
  kind: string;
  specimen: Specimen | null;
  started_at: string;
  ended_at: string | null;
  worst_mgdl: number | string | null;
  worst_censored: GlucosePoint["censored"];
  worst_at: string | null;
  last_beyond_at: string | null;
  readings_beyond: number;
  duration_minutes: number | string;
}

function asStored(row: AlertRow): StoredEpisode {
  return {
    id: String(row.id),
    kind: row.kind as StoredEpisode["kind"],
    specimen: row.specimen!,
    start: row.startedAt.getTime(),
    end: row.endedAt?.getTime() ?? null,
    worst: { at: row.worstAt!.getTime(), mgdl: row.worstMgdl!, censored: row.worstCensored },
    lastBeyondAt: row.lastBeyondAt!.getTime(),
    readingsBeyond: row.readingsBeyond,
    durationMinutes: row.durationMinutes,
  };
}

function storedFromJson(row: AlertJson): StoredEpisode {
  return {
    id: String(row.id),
    kind: row.kind as StoredEpisode["kind"],
    specimen: row.specimen!,
    start: Date.parse(row.started_at),
    end: row.ended_at === null ? null : Date.parse(row.ended_at),
    worst: { at: Date.parse(row.worst_at!), mgdl: Number(row.worst_mgdl), censored: row.worst_censored },
    lastBeyondAt: Date.parse(row.last_beyond_at!),
    readingsBeyond: row.readings_beyond,
    durationMinutes: Number(row.duration_minutes),
  };
}

function episodeColumns(episode: Episode) {
  return {
    startedAt: new Date(episode.start),
    endedAt: episode.end === null ? null : new Date(episode.end),
    worstMgdl: episode.worst.mgdl,
    worstCensored: episode.worst.censored,
    worstAt: new Date(episode.worst.at),
    lastBeyondAt: new Date(episode.lastBeyondAt),
    readingsBeyond: episode.readingsBeyond,
    durationMinutes: Math.round(episode.durationMinutes * 100) / 100,
  };
}

const liveEpisode = and(isNull(alerts.mergedIntoId), isNull(alerts.withdrawnAt), sql`${alerts.kind} <> 'no-data'`);

/** What the write statement already read, so the steady state needs no more round trips. */
export interface KnownBeforeWrite {
  /** [specimen, last reading epoch ms, mg/dL, censoring] of each feed, before this write. */
  feedsBefore: readonly [Specimen, number, number | string, GlucosePoint["censored"]][];
  /** The patient's live alerts open or ended within NEAR_EPISODES_SECONDS of the earliest new reading (no-data ones included). */
  nearAlerts: readonly AlertJson[];
  targets: StoredTargets | null;
}

/**
 * Evaluates a patient's alerts after readings of `touched` specimens were stored. With what the
 * write statement read (`known`), a feed arriving in range, with no episode open, is done here
 * without another query (canSkipEvaluation proves nothing would change).
 */
export async function evaluateAfterWrite(
  tx: Transaction,
  patient: { id: string; organizationId: string; birthDate: string },
  touched: readonly TouchedSeries[],
  now: Date,
  known?: KnownBeforeWrite,
): Promise<void> {
  const series = touched.filter((entry) => entry.points.length > 0);
  if (series.length === 0 || environment().LANTERN_BENCH_ALERT_EVALUATION === "off") return;
  const targets = known ? targetsFromRow(known.targets, patient, now) : await targetsOf(tx, patient, now);
  for (const { specimen, points } of series) {
    const nearby = known?.nearAlerts.filter((alert) => alert.specimen === specimen);
    if (!nearby || nearby.some((alert) => alert.kind === "no-data" && alert.ended_at === null)) await closeSilentFeedAlerts(tx, patient.id, specimen, points);
    const source = sourceOf(specimen, targets);
    const episodes = nearby?.filter((alert) => alert.kind !== "no-data").map(storedFromJson);
    if (known && episodes) {
      const feed = known.feedsBefore.find(([feedSpecimen]) => feedSpecimen === specimen);
      const lastStored = feed ? { at: Number(feed[1]), mgdl: Number(feed[2]), censored: feed[3] } : null;
      if (canSkipEvaluation(points, lastStored, episodes.some((episode) => episode.end === null), source)) continue;
    }
    await reconcileSpecimen(tx, patient, targets, source, points, now, episodes);
  }
}

function sourceOf(specimen: Specimen, targets: PatientTargets): IncrementalSource {
  return specimen === "interstitial" ? { specimen, thresholds: targets.thresholds, intervalMinutes: targets.cgmIntervalMinutes } : { specimen, thresholds: targets.thresholds };
}

async function reconcileSpecimen(
  tx: Transaction,
  patient: { id: string; organizationId: string },
  targets: PatientTargets,
  source: IncrementalSource,
  points: GlucosePoint[],
  now: Date,
  knownNear?: StoredEpisode[],
): Promise<void> {
  const specimen = source.specimen;
  const earliest = Math.min(...points.map((point) => point.at));
  const near =
    knownNear ??
    (
      await tx
        .select()
        .from(alerts)
        .where(and(eq(alerts.patientId, patient.id), eq(alerts.specimen, specimen), liveEpisode, or(isNull(alerts.endedAt), gte(alerts.endedAt, new Date(earliest - NEAR_EPISODES_SECONDS * 1000)))))
    ).map(asStored);
  const window = windowToRecompute(points, near, source)!;
  // Both read in one flight: every live episode from the window's start (which may lie before the
  // near ones, inside a long open episode), and the window's counted readings.
  const [stored, readings] = await Promise.all([
    tx.select().from(alerts).where(and(eq(alerts.patientId, patient.id), eq(alerts.specimen, specimen), liveEpisode, gte(alerts.startedAt, new Date(window.from)))),
    tx
      .select({ at: glucoseReadings.effectiveAt, mgdl: glucoseReadings.valueMgdl, censored: glucoseReadings.censored })
      .from(glucoseReadings)
      .where(and(eq(glucoseReadings.patientId, patient.id), eq(glucoseReadings.specimen, specimen), isNull(glucoseReadings.duplicateOfId), gte(glucoseReadings.effectiveAt, new Date(window.from))))
      .orderBy(asc(glucoseReadings.effectiveAt)),
  ]);
  const recomputed = findEpisodes(
    readings.map((reading) => ({ at: reading.at.getTime(), mgdl: reading.mgdl, censored: reading.censored })),
    source,
  );
  const operations = reconcileEpisodes(stored.map(asStored), recomputed, window);
  // Sent together, executed in order: the operations are safe to apply one by one.
  await Promise.all(operations.map((operation) => apply(tx, patient, targets, operation, now)));
}

async function apply(tx: Transaction, patient: { id: string; organizationId: string }, targets: PatientTargets, operation: EpisodeOperation, now: Date): Promise<void> {
  switch (operation.op) {
    case "open": {
      const { episode } = operation;
      const historical = episode.start < now.getTime() - environment().LANTERN_ALERT_HORIZON_HOURS * 3_600_000;
      const severity = ALERT_SEVERITY[episode.kind];
      const [created] = await tx
        .insert(alerts)
        .values({ patientId: patient.id, kind: episode.kind, severity, specimen: episode.specimen, ...episodeColumns(episode), targets: targetsSnapshot(targets), historical, updatedAt: now })
        .returning({ id: alerts.id });
      if (!historical) await announce(tx, patient, created!.id, severity);
      await announceAlertsToHospitals(tx, patient.id, [created!.id]);
      return;
    }
    case "update":
    case "close":
      await tx.update(alerts).set({ ...episodeColumns(operation.episode), updatedAt: now }).where(eq(alerts.id, Number(operation.id)));
      await announceAlertsToHospitals(tx, patient.id, [Number(operation.id)]);
      return;
    // A merged or withdrawn alert is sent to the hospitals as a Flag `entered-in-error`.
    case "merge":
      await tx.update(alerts).set({ mergedIntoId: Number(operation.survivorId), updatedAt: now }).where(eq(alerts.id, Number(operation.mergedId)));
      await announceAlertsToHospitals(tx, patient.id, [Number(operation.mergedId)]);
      return;
    case "withdraw":
      await tx.update(alerts).set({ withdrawnAt: now, updatedAt: now }).where(eq(alerts.id, Number(operation.id)));
      await announceAlertsToHospitals(tx, patient.id, [Number(operation.id)]);
      return;
  }
}

/**
 * A new live alert: the organization's channels are told (urgent and high at once) through the
 * notification outbox, and every server process's open inboxes through NOTIFY, delivered when
 * this transaction commits (never for an alert that was rolled back). Channels are not told of an
 * alert while an open one of the patient's is at least as severe (a level 2 low lies inside a
 * level 1 low: one message, the urgent one; a worsening that raises the severity is told).
 */
async function announce(tx: Transaction, patient: { id: string; organizationId: string }, alertId: number, severity: string): Promise<void> {
  if (NOTIFY_AT_ONCE.has(severity)) {
    await tx.execute(sql`
      insert into ${notificationOutbox} (alert_id, channel_id, reason)
      select ${alertId}, ${notificationChannels.id}, 'new' from ${notificationChannels}
      where ${notificationChannels.organizationId} = ${patient.organizationId} and ${notificationChannels.enabled}
        and not exists (select 1 from ${alerts} as covering where covering.patient_id = ${patient.id} and covering.id <> ${alertId}
          and covering.ended_at is null and covering.merged_into_id is null and covering.withdrawn_at is null and not covering.historical
          and covering.kind <> 'no-data' and covering.severity <= ${severity}::alert_severity)`);
  }
  await tx.execute(sql`select pg_notify(${ALERTS_CHANNEL}, ${JSON.stringify({ alertId, patientId: patient.id })})`);
}

/** New readings end a feed's silence: its no-data alert closes at the first of them. */
async function closeSilentFeedAlerts(tx: Transaction, patientId: string, specimen: Specimen, points: GlucosePoint[]): Promise<void> {
  const first = new Date(Math.min(...points.map((point) => point.at)));
  const closed = await tx
    .update(alerts)
    .set({ endedAt: first, updatedAt: sql`now()` })
    .where(and(eq(alerts.patientId, patientId), eq(alerts.kind, "no-data"), eq(alerts.specimen, specimen), isNull(alerts.endedAt)))
    .returning({ id: alerts.id });
  await announceAlertsToHospitals(tx, patientId, closed.map((alert) => alert.id));
}

/**
 * Queues changed alerts for the organization's hospital FHIR endpoints (lib/fhir/push/outbox.ts
 * sends each as a Flag, a conditional update by its identifier), in the transaction that changed
 * them, after the readings that changed them: a hospital sees the evidence before the Flag.
 */
export async function announceAlertsToHospitals(tx: Transaction, patientId: string, alertIds: readonly number[]): Promise<void> {
  if (alertIds.length === 0) return;
  await tx.execute(sql`insert into push_outbox (endpoint_id, patient_id, reading_ids, alert_ids)
    select endpoint.id, patient.id, '{}'::bigint[], array[${sql.join(alertIds.map((id) => sql`${id}`), sql`, `)}]::bigint[]
    from patients patient
    join hospital_endpoints endpoint on endpoint.organization_id = patient.organization_id
    where patient.id = ${patientId}::uuid and endpoint.enabled`);
}
