import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { patients } from "@/db/schema";
import type { Censoring, GlucoseUnit, Specimen } from "@/db/schema/readings-enums";
import type { Actor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { patientVisibleTo } from "@/lib/access/visibility";
import { alertSeverities, type AlertSeverity } from "@/lib/alerts/kinds";
import { TARGET_PRESETS, type TargetPresetId } from "@/lib/alerts/targets";
import { audited } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { glucoseManagementIndicator, SUFFICIENT_ACTIVE_PERCENT, SUFFICIENT_DAYS } from "@/lib/metrics/glycemic";
import { parseTriageOptions, type ParsedTriageOptions, type TriageOptions, type TriageSort } from "./triage-query";
import { lookupsFor, openNullableFrom } from "@/lib/security/sealed-columns";

/**
 * Population triage (docs/glucose-report.md): every patient the actor may see (a clinician: the
 * patients of their care teams), one row each, over the last `windowDays` local days up to each
 * patient's today, read from the daily aggregates the write path keeps (never a scan of raw
 * readings), the patient feeds (last reading, stale feed) and the open alerts. One statement.
 *
 * Metrics come from the CGM when the patient has CGM readings in the window, else from
 * fingersticks (`basis`); GMI and sensor active are CGM-only. Percentages are of readings and
 * unrounded, values mg/dL, as in the glucose report.
 *
 * Default order (`sort: "priority"`), first rule that applies, each with a reason:
 * 1. an urgent alert open (level 2 or prolonged low), most open alerts first;
 * 2. time below range: below 54 at least 1% or below 70 at least 4% (the consensus goals), most time below 70 first;
 * 3. a stale feed: no feed has reported within its silence limit (CGM 6 h, meter 72 h by default), longest silent first;
 * 4. time above range: above 250 at least 5% or above 180 at least 25%, most time above 180 first;
 * 5. other open alerts; 6. not enough CGM data (fewer than 14 days or under 70% active) or none at all; 7. on target.
 * Ties: family name, given name.
 */

export const triagePriorityRanks = {
  urgentAlert: 1,
  belowRange: 2,
  staleFeed: 3,
  aboveRange: 4,
  openAlert: 5,
  insufficientData: 6,
  onTarget: 7,
} as const;
export type TriagePriority = keyof typeof triagePriorityRanks;

/** Consensus goals the priority rules use (CLINICAL.md): share of readings, percent. */
export const TRIAGE_GOALS = { below54LessThan: 1, below70LessThan: 4, above250LessThan: 5, above180LessThan: 25 } as const;

export interface TriageRow {
  patientId: string;
  givenName: string;
  familyName: string;
  medicalRecordNumber: string | null;
  timezone: string;
  preferredUnit: GlucoseUnit;
  targetPreset: TargetPresetId;
  openAlerts: { count: number; worstSeverity: AlertSeverity | null };
  /** The latest counted reading of any feed; null when none ever arrived. */
  lastReading: { valueMgdl: number; censored: Censoring | null; at: Date; specimen: Specimen } | null;
  /** Every feed silent beyond its limit (lib/alerts/feed-silence limits, as configured). */
  staleFeed: boolean;
  /** Minutes since the last reading at `now`; null without readings. */
  silentMinutes: number | null;
  /** Which readings the metrics summarize: CGM when there are any in the window, else fingersticks. */
  basis: "cgm" | "fingerstick" | null;
  readings: number;
  daysWithData: number;
  /** Percent of readings, unrounded; null without readings. */
  below54Percent: number | null;
  below70Percent: number | null;
  inRangePercent: number | null;
  above180Percent: number | null;
  above250Percent: number | null;
  meanMgdl: number | null;
  /** CGM only. */
  gmiPercent: number | null;
  cvPercent: number | null;
  /** CGM only: readings / expected readings of the real local window, at most 100. */
  sensorActivePercent: number | null;
  /** CGM sufficiency: at least 14 days in the window and at least 70% active. False for fingerstick-only patients. */
  sufficient: boolean;
  priority: { rank: number; key: TriagePriority; reason: string };
}

export interface TriageList {
  rows: TriageRow[];
  /** Patients matching the filters (all pages). */
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  windowDays: number;
  sort: TriageSort;
  direction: "asc" | "desc";
}

interface RawRow {
  id: string;
  given_name: string;
  family_name: string;
  // Sealed (encryption at rest): opened when the row is mapped.
  medical_record_number: string | null;
  timezone: string;
  preferred_unit: GlucoseUnit;
  preset: string;
  open_alerts: number | string;
  worst_severity: number | string | null;
  last_at: string | Date | null;
  last_value: number | string | null;
  last_censored: Censoring | null;
  last_specimen: Specimen | null;
  stale: boolean;
  silent_minutes: number | string | null;
  basis: Specimen | null;
  readings: number | string;
  days_with_data: number | string;
  below54: number | string | null;
  below70: number | string | null;
  in_range: number | string | null;
  above180: number | string | null;
  above250: number | string | null;
  mean: number | string | null;
  cv: number | string | null;
  active: number | string | null;
  sufficient: boolean;
  rank: number | string;
  total: number | string;
}

const numberOrNull = (value: number | string | null): number | null => (value === null ? null : Number(value));

/** Default direction of each sort: worst first for the measures where high is bad. */
const defaultDirection: Record<TriageSort, "asc" | "desc"> = {
  priority: "asc",
  name: "asc",
  lastReading: "desc",
  openAlerts: "desc",
  below54: "desc",
  below70: "desc",
  inRange: "asc",
  above250: "desc",
  gmi: "desc",
  cv: "desc",
};

function orderBy(sort: TriageSort, direction: "asc" | "desc"): SQL {
  const dir = direction === "asc" ? sql`asc` : sql`desc`;
  const byName = sql`family_name asc, given_name asc, id asc`;
  const column: Record<Exclude<TriageSort, "priority" | "name">, SQL> = {
    lastReading: sql`last_at`,
    openAlerts: sql`open_alerts`,
    below54: sql`below54`,
    below70: sql`below70`,
    inRange: sql`in_range`,
    above250: sql`above250`,
    gmi: sql`case when basis = 'interstitial' then mean end`,
    cv: sql`cv`,
  };
  if (sort === "priority") return sql`rank ${dir}, within_rank ${dir} nulls last, ${byName}`;
  if (sort === "name") return direction === "asc" ? byName : sql`family_name desc, given_name desc, id desc`;
  return sql`${column[sort]} ${dir} nulls last, ${byName}`;
}

const percent = (value: number) => `${value.toFixed(1)}%`;

function hoursOrDays(minutes: number): string {
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} days`;
}

function priorityOf(row: TriageRow, rank: number, windowDays: number): TriageRow["priority"] {
  const key = (Object.entries(triagePriorityRanks).find(([, value]) => value === rank)?.[0] ?? "onTarget") as TriagePriority;
  const alerts = `${row.openAlerts.count} open alert${row.openAlerts.count === 1 ? "" : "s"}`;
  const reasons: Record<TriagePriority, () => string> = {
    urgentAlert: () => `Urgent alert open (${alerts})`,
    belowRange: () =>
      row.below54Percent !== null && row.below54Percent >= TRIAGE_GOALS.below54LessThan
        ? `Time below 54 mg/dL ${percent(row.below54Percent)} (goal under ${TRIAGE_GOALS.below54LessThan}%); below 70 ${percent(row.below70Percent ?? 0)}`
        : `Time below 70 mg/dL ${percent(row.below70Percent ?? 0)} (goal under ${TRIAGE_GOALS.below70LessThan}%)`,
    staleFeed: () => `No readings for ${hoursOrDays(row.silentMinutes ?? 0)}`,
    aboveRange: () =>
      row.above250Percent !== null && row.above250Percent >= TRIAGE_GOALS.above250LessThan
        ? `Time above 250 mg/dL ${percent(row.above250Percent)} (goal under ${TRIAGE_GOALS.above250LessThan}%)`
        : `Time above 180 mg/dL ${percent(row.above180Percent ?? 0)} (goal under ${TRIAGE_GOALS.above180LessThan}%)`,
    openAlert: () => `${alerts} (worst: ${row.openAlerts.worstSeverity})`,
    insufficientData: () =>
      row.readings === 0
        ? `No readings in the last ${windowDays} days`
        : `Not enough CGM data: ${row.daysWithData} of ${windowDays} days, sensor active ${percent(row.sensorActivePercent ?? 0)} (needs ${SUFFICIENT_DAYS} days and ${SUFFICIENT_ACTIVE_PERCENT}%)`,
    onTarget: () => (row.basis === "fingerstick" ? "Fingersticks within the goals" : "Within the goals"),
  };
  return { rank, key, reason: reasons[key]() };
}

/**
 * The triage list for the actor (patient:search and reading:search: clinicians, and guardians for
 * their children; admins do not read glucose values). Options as in lib/patients/triage-query;
 * invalid options are a 400. One audited search; the audit event names the patients on the page.
 */
export async function triageList(actor: Actor, options: TriageOptions = {}, now = new Date()): Promise<TriageList> {
  const parsed: ParsedTriageOptions = parseTriageOptions(options);
  return audited(actor, { action: "search", resourceType: "Patient" }, async (tx, trail) => {
    assertCan(actor, "patient:search");
    assertCan(actor, "reading:search");
    const { windowDays, careTeamId, targetPreset, insufficientOnly, search, sort, page, pageSize } = parsed;
    const direction = parsed.direction ?? defaultDirection[sort];
    const { LANTERN_NO_DATA_CGM_HOURS, LANTERN_NO_DATA_METER_HOURS } = environment();
    const nowIso = now.toISOString();
    const pattern = search ? `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%` : null;
    const filters: SQL[] = [patientVisibleTo(actor)];
    if (careTeamId) filters.push(sql`exists (select 1 from care_team_patients ctp where ctp.patient_id = ${patients.id} and ctp.care_team_id = ${careTeamId}::uuid)`);
    if (search && pattern) {
      filters.push(sql`(${patients.givenName} || ' ' || ${patients.familyName} ilike ${pattern} or ${patients.familyName} || ' ' || ${patients.givenName} ilike ${pattern}
        or ${patients.familyName} || ', ' || ${patients.givenName} ilike ${pattern}
        or ${patients.medicalRecordNumberIndex} in ${lookupsFor("patientMedicalRecordNumber", search)})`);
    }
    const outer: SQL[] = [sql`true`];
    if (targetPreset) outer.push(sql`preset = ${targetPreset}`);
    if (insufficientOnly) outer.push(sql`not sufficient`);

    const matching = sql`
      with visible as (
        select ${patients.id} as id, ${patients.givenName} as given_name, ${patients.familyName} as family_name,
          ${patients.medicalRecordNumberSealed} as medical_record_number, ${patients.timezone} as timezone, ${patients.preferredUnit} as preferred_unit,
          ${patients.birthDate} as birth_date, (${nowIso}::timestamptz at time zone ${patients.timezone})::date as today
        from ${patients}
        where ${sql.join(filters, sql` and `)}
      ),
      base as (
        select v.*,
          coalesce(t.preset, case when extract(year from age(v.today, v.birth_date)) < 18 then 'paediatric' else 'standard-adult' end) as preset,
          coalesce(t.cgm_interval_minutes, 5) as interval_minutes,
          extract(epoch from ((v.today + 1)::timestamp at time zone v.timezone) - ((v.today - ${windowDays}::int + 1)::timestamp at time zone v.timezone)) as window_seconds
        from visible v left join patient_targets t on t.patient_id = v.id
      ),
      measured as (
        select b.*,
          m.specimen as basis, coalesce(m.n, 0) as readings, coalesce(m.d, 0) as days_with_data,
          m.very_low * 100.0 / m.n as below54, (m.very_low + m.low) * 100.0 / m.n as below70, m.in_range * 100.0 / m.n as in_range,
          (m.high + m.very_high) * 100.0 / m.n as above180, m.very_high * 100.0 / m.n as above250,
          m.s / m.n as mean,
          case when m.n > 1 and m.s > 0 then sqrt(greatest(m.ss - m.s * m.s / m.n, 0) / (m.n - 1)) / (m.s / m.n) * 100 end as cv,
          case when m.specimen = 'interstitial' then least(100, m.n * 100.0 / greatest(1, floor(b.window_seconds / (b.interval_minutes * 60)))) end as active,
          al.n as open_alerts, al.worst as worst_severity,
          f.last_at, f.last_value, f.last_censored, f.last_specimen, f.any_fresh
        from base b
        left join lateral (
          select a.specimen, sum(a.readings) as n, sum(a.very_low) as very_low, sum(a.low) as low, sum(a.in_range) as in_range, sum(a.high) as high,
            sum(a.very_high) as very_high, sum(a.sum_mgdl) as s, sum(a.sum_squares_mgdl) as ss, count(*) as d
          from glucose_daily_aggregates a
          where a.patient_id = b.id and a.local_date > b.today - ${windowDays}::int and a.local_date <= b.today
          group by a.specimen
          order by (a.specimen = 'interstitial') desc
          limit 1
        ) m on true
        left join lateral (
          select count(*) as n, min(array_position(array['urgent','high','moderate','low']::alert_severity[], al.severity)) as worst
          from alerts al
          where al.patient_id = b.id and al.status = 'open' and al.merged_into_id is null and al.withdrawn_at is null and not al.historical
        ) al on true
        left join lateral (
          select pf.last_reading_at as last_at, pf.last_value_mgdl as last_value, pf.last_censored, pf.specimen as last_specimen,
            bool_or(${nowIso}::timestamptz - pf.last_reading_at <= make_interval(secs => 3600 * case when pf.specimen = 'interstitial' then ${LANTERN_NO_DATA_CGM_HOURS}::float8 else ${LANTERN_NO_DATA_METER_HOURS}::float8 end)) over () as any_fresh
          from patient_feeds pf where pf.patient_id = b.id
          order by pf.last_reading_at desc limit 1
        ) f on true
      ),
      ranked as (
        select measured.*,
          coalesce(last_at is not null and not any_fresh, false) as stale,
          extract(epoch from ${nowIso}::timestamptz - last_at) / 60 as silent_minutes,
          coalesce(basis = 'interstitial' and ${windowDays}::int >= ${SUFFICIENT_DAYS} and active >= ${SUFFICIENT_ACTIVE_PERCENT}, false) as sufficient
        from measured
      ),
      prioritized as (
        select ranked.*,
          case
            when worst_severity = 1 then 1
            when below54 >= ${TRIAGE_GOALS.below54LessThan} or below70 >= ${TRIAGE_GOALS.below70LessThan} then 2
            when stale then 3
            when above250 >= ${TRIAGE_GOALS.above250LessThan} or above180 >= ${TRIAGE_GOALS.above180LessThan} then 4
            when open_alerts > 0 then 5
            when basis is null or (basis = 'interstitial' and not sufficient) then 6
            else 7
          end as rank
        from ranked
      ),
      ordered as (
        select prioritized.*,
          case rank when 1 then -open_alerts when 2 then -below70 when 3 then -silent_minutes when 4 then -above180 end as within_rank
        from prioritized
        where ${sql.join(outer, sql` and `)}
      )
      select id, given_name, family_name, medical_record_number, timezone, preferred_unit, preset, open_alerts, worst_severity,
        last_at, last_value, last_censored, last_specimen, stale, silent_minutes, basis, readings, days_with_data,
        below54::float8, below70::float8, in_range::float8, above180::float8, above250::float8, mean::float8, cv::float8, active::float8,
        sufficient, rank, within_rank, count(*) over () as total
      from ordered`;
    const raw = rowsOf<RawRow>(await tx.execute(sql`${matching} order by ${orderBy(sort, direction)} limit ${pageSize} offset ${(page - 1) * pageSize}`));
    const rows = raw.map((row): TriageRow => {
      const basis = row.basis === "interstitial" ? "cgm" : row.basis === "capillary" ? "fingerstick" : null;
      const mean = numberOrNull(row.mean);
      const worst = numberOrNull(row.worst_severity);
      const triageRow: Omit<TriageRow, "priority"> = {
        patientId: row.id,
        givenName: row.given_name,
        familyName: row.family_name,
        medicalRecordNumber: openNullableFrom("patientMedicalRecordNumber", row.medical_record_number),
        timezone: row.timezone,
        preferredUnit: row.preferred_unit,
        targetPreset: (row.preset in TARGET_PRESETS ? row.preset : "standard-adult") as TargetPresetId,
        openAlerts: { count: Number(row.open_alerts), worstSeverity: worst === null ? null : (alertSeverities[worst - 1] ?? null) },
        lastReading:
          row.last_at === null || row.last_value === null || row.last_specimen === null
            ? null
            : { valueMgdl: Number(row.last_value), censored: row.last_censored, at: new Date(row.last_at), specimen: row.last_specimen },
        staleFeed: row.stale,
        silentMinutes: numberOrNull(row.silent_minutes),
        basis,
        readings: Number(row.readings),
        daysWithData: Number(row.days_with_data),
        below54Percent: numberOrNull(row.below54),
        below70Percent: numberOrNull(row.below70),
        inRangePercent: numberOrNull(row.in_range),
        above180Percent: numberOrNull(row.above180),
        above250Percent: numberOrNull(row.above250),
        meanMgdl: mean,
        gmiPercent: basis === "cgm" && mean !== null ? glucoseManagementIndicator(mean) : null,
        cvPercent: numberOrNull(row.cv),
        sensorActivePercent: numberOrNull(row.active),
        sufficient: row.sufficient,
      };
      return { ...triageRow, priority: priorityOf(triageRow as TriageRow, Number(row.rank), windowDays) };
    });
    trail.touch(...rows.map((row) => row.patientId));
    // A page past the end has no row to carry the total: count the matches alone.
    const total = raw.length > 0 ? Number(raw[0]!.total) : Number(rowsOf<{ total: number | string }>(await tx.execute(sql`select count(*) as total from (${matching}) all_pages`))[0]!.total);
    return { rows, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)), windowDays, sort, direction };
  });
}
