-- Daily aggregates of counted glucose readings (docs/decisions/012-dashboards-data-daily-aggregates.md).
-- glucose_day_rollup is THE definition of a day's aggregate: the write path's refresh, this
-- migration's backfill and bench:dashboards all use it. Local dates are the patient's time zone's;
-- ranges are lib/metrics/glycemic's classifyGlucose (whole mg/dL, halves up; LO very low, HI very high).
CREATE FUNCTION glucose_day_rollup(p_patient uuid, p_specimen specimen, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (patient_id uuid, specimen specimen, local_date date, readings integer, very_low integer, low integer, in_range integer,
  high integer, very_high integer, sum_mgdl numeric, sum_squares_mgdl numeric, min_mgdl numeric, max_mgdl numeric)
LANGUAGE sql STABLE AS $$
  SELECT r.patient_id, r.specimen, (r.effective_at AT TIME ZONE p.timezone)::date,
    count(*)::integer,
    (count(*) FILTER (WHERE r.censored = 'below' OR (r.censored IS NULL AND round(r.value_mgdl) < 54)))::integer,
    (count(*) FILTER (WHERE r.censored IS NULL AND round(r.value_mgdl) >= 54 AND round(r.value_mgdl) < 70))::integer,
    (count(*) FILTER (WHERE r.censored IS NULL AND round(r.value_mgdl) >= 70 AND round(r.value_mgdl) <= 180))::integer,
    (count(*) FILTER (WHERE r.censored IS NULL AND round(r.value_mgdl) > 180 AND round(r.value_mgdl) <= 250))::integer,
    (count(*) FILTER (WHERE r.censored = 'above' OR (r.censored IS NULL AND round(r.value_mgdl) > 250)))::integer,
    sum(r.value_mgdl), sum(r.value_mgdl * r.value_mgdl), min(r.value_mgdl), max(r.value_mgdl)
  FROM glucose_readings r JOIN patients p ON p.id = r.patient_id
  WHERE r.patient_id = p_patient AND r.specimen = p_specimen AND r.duplicate_of_id IS NULL
    AND r.effective_at >= p_from AND r.effective_at < p_to
  GROUP BY r.patient_id, r.specimen, (r.effective_at AT TIME ZONE p.timezone)::date
$$;
--> statement-breakpoint
-- Recomputes the given local days of one patient's specimen from the raw readings: what the write
-- path calls, under the patient's lock, in the transaction that stored or corrected readings.
CREATE FUNCTION refresh_glucose_days(p_patient uuid, p_specimen specimen, p_dates date[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM glucose_daily_aggregates a WHERE a.patient_id = p_patient AND a.specimen = p_specimen AND a.local_date = ANY (p_dates);
  INSERT INTO glucose_daily_aggregates (patient_id, specimen, local_date, readings, very_low, low, in_range, high, very_high, sum_mgdl, sum_squares_mgdl, min_mgdl, max_mgdl)
  SELECT g.* FROM patients p, (SELECT DISTINCT unnest(p_dates) AS day) d,
    LATERAL glucose_day_rollup(p_patient, p_specimen, d.day::timestamp AT TIME ZONE p.timezone, (d.day + 1)::timestamp AT TIME ZONE p.timezone) g
  WHERE p.id = p_patient;
$$;
--> statement-breakpoint
-- Backfill: every day of every patient's counted readings, by the same rollup.
INSERT INTO glucose_daily_aggregates (patient_id, specimen, local_date, readings, very_low, low, in_range, high, very_high, sum_mgdl, sum_squares_mgdl, min_mgdl, max_mgdl)
SELECT g.* FROM (SELECT DISTINCT r.patient_id, r.specimen FROM glucose_readings r WHERE r.duplicate_of_id IS NULL) s,
  LATERAL glucose_day_rollup(s.patient_id, s.specimen, '-infinity', 'infinity') g;
