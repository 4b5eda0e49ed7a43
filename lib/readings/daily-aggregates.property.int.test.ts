import fc from "fast-check";
import { sql } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db/client";
import { classifyGlucose, glucoseRanges, type GlucoseRange } from "@/lib/metrics/glycemic";
import { formatAtOffset, offsetAt } from "@/lib/time/zones";
import { ingestForTest, insertOrganization, insertPatientWithAccount } from "@/test/factories";
import type { ReadingCandidate } from "./ingest";
import { correctManualReading } from "./manual-entry";

/**
 * The daily aggregates the write path keeps (glucose_daily_aggregates) equal a recomputation from
 * the raw counted readings done here in TypeScript (lib/time for the patient's local dates,
 * classifyGlucose for the ranges, BigInt thousandths for exact sums), whatever happens: batches in
 * any order, replays of a batch (same dedupe keys), the same readings from another origin
 * (cross-origin duplicates), LO/HI and mmol/L values, readings around midnight and both clock
 * changes, and corrections that move a fingerstick to another day or change its value.
 */
const ZONE = "Europe/London";
const MINUTE = 60_000;
// Around the 2025 changes (30 March and 26 October, 01:00 UTC) and an ordinary midnight.
const ANCHORS = [Date.UTC(2025, 2, 30, 1), Date.UTC(2025, 9, 26, 1), Date.UTC(2025, 5, 10, 23)];
const NOW = new Date(Date.UTC(2025, 11, 1));

const readingArbitrary = fc.record({
  anchor: fc.constantFrom(...ANCHORS),
  minutes: fc.integer({ min: -30 * 60, max: 30 * 60 }),
  specimen: fc.constantFrom("interstitial" as const, "capillary" as const),
  mgdl: fc.oneof(fc.integer({ min: 40, max: 400 }), fc.constantFrom(53, 53.5, 54, 69, 69.5, 70, 180, 180.5, 181, 250, 250.4, 251)),
  mmol: fc.boolean(),
  censored: fc.constantFrom(null, null, null, null, "below" as const, "above" as const),
});

const scenarioArbitrary = fc.record({
  readings: fc.array(readingArbitrary, { minLength: 1, maxLength: 40 }),
  batchCount: fc.integer({ min: 1, max: 4 }),
  order: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  replayBatch: fc.option(fc.nat({ max: 3 })),
  otherOriginBatch: fc.option(fc.nat({ max: 3 })),
  corrections: fc.array(fc.record({ pick: fc.nat(), shiftMinutes: fc.integer({ min: -26 * 60, max: 26 * 60 }), value: fc.integer({ min: 40, max: 400 }) }), { maxLength: 3 }),
});

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

function candidatesOf(scenario: Scenario): ReadingCandidate[] {
  return scenario.readings.map((reading, position) => {
    const at = new Date(reading.anchor + reading.minutes * MINUTE);
    const censored = reading.specimen === "interstitial" ? reading.censored : null;
    const value = censored === "below" ? 40 : censored === "above" ? 400 : reading.mmol ? Math.round((reading.mgdl / 18.01559) * 10) / 10 : reading.mgdl;
    return {
      position,
      value,
      unit: reading.mmol && censored === null ? "mmol/L" : "mg/dL",
      censored,
      effectiveAt: at,
      utcOffsetMinutes: offsetAt(at, ZONE),
      specimen: reading.specimen,
      dedupeKey: reading.specimen === "interstitial" ? `r${position}` : null,
    };
  });
}

interface DayRow {
  specimen: string;
  local_date: string;
  readings: number;
  very_low: number;
  low: number;
  in_range: number;
  high: number;
  very_high: number;
  sum_mgdl: string;
  sum_squares_mgdl: string;
  min_mgdl: string;
  max_mgdl: string;
}

/** An exact decimal text as a whole number of 10^-decimals. */
function scaled(text: string, decimals: number): bigint {
  const [whole, fraction = ""] = text.split(".");
  return BigInt(`${whole}${fraction.padEnd(decimals, "0").slice(0, decimals)}`);
}
const thousandths = (text: string) => scaled(text, 3);
const fromThousandths = (value: bigint, scale: bigint) => `${value / scale}.${(value % scale).toString().padStart(scale.toString().length - 1, "0")}`;

async function storedDays(patientId: string) {
  const rows = rowsOf<DayRow>(
    await getDb().execute(sql`select specimen::text, local_date::text, readings, very_low, low, in_range, high, very_high, sum_mgdl::text, sum_squares_mgdl::text,
      min_mgdl::text, max_mgdl::text from glucose_daily_aggregates where patient_id = ${patientId}::uuid order by specimen, local_date`),
  );
  return rows.map((row) => ({
    key: `${row.specimen} ${row.local_date}`,
    counts: [row.readings, row.very_low, row.low, row.in_range, row.high, row.very_high].map(Number),
    sum: fromThousandths(thousandths(row.sum_mgdl), 1000n),
    sumSquares: fromThousandths(scaled(row.sum_squares_mgdl, 6), 1_000_000n),
    min: Number(row.min_mgdl),
    max: Number(row.max_mgdl),
  }));
}

/** The same days recomputed here from the raw counted readings. */
async function recomputedDays(patientId: string) {
  const raw = rowsOf<{ specimen: string; at: string; mgdl: string; censored: "below" | "above" | null }>(
    await getDb().execute(sql`select specimen::text, effective_at::text as at, value_mgdl::text as mgdl, censored::text from glucose_readings
      where patient_id = ${patientId}::uuid and duplicate_of_id is null`),
  );
  const days = new Map<string, { counts: Record<GlucoseRange, number>; readings: number; sum: bigint; sumSquares: bigint; min: number; max: number }>();
  for (const reading of raw) {
    const instant = Temporal.Instant.from(new Date(reading.at).toISOString());
    const key = `${reading.specimen} ${instant.toZonedDateTimeISO(ZONE).toPlainDate().toString()}`;
    const day = days.get(key) ?? { counts: { veryLow: 0, low: 0, inRange: 0, high: 0, veryHigh: 0 }, readings: 0, sum: 0n, sumSquares: 0n, min: Infinity, max: -Infinity };
    const value = thousandths(reading.mgdl);
    day.counts[classifyGlucose(Number(reading.mgdl), reading.censored)] += 1;
    day.readings += 1;
    day.sum += value;
    day.sumSquares += value * value;
    day.min = Math.min(day.min, Number(reading.mgdl));
    day.max = Math.max(day.max, Number(reading.mgdl));
    days.set(key, day);
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, day]) => ({
      key,
      counts: [day.readings, ...glucoseRanges.map((range) => day.counts[range])],
      sum: fromThousandths(day.sum, 1000n),
      sumSquares: fromThousandths(day.sumSquares, 1_000_000n),
      min: day.min,
      max: day.max,
    }));
}

describe("daily aggregates kept by the write path", () => {
  it("equal a recomputation from the raw readings after any ingest order, replays, duplicates and corrections", async () => {
    const organization = await insertOrganization();
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const { actor, patientId } = await insertPatientWithAccount(organization.id, { timezone: ZONE });
        const candidates = candidatesOf(scenario);
        const batches: ReadingCandidate[][] = Array.from({ length: scenario.batchCount }, () => []);
        candidates.forEach((candidate, i) => batches[i % scenario.batchCount]!.push(candidate));
        const order = batches.map((_, i) => i).sort((a, b) => (scenario.order[a]! - scenario.order[b]!) || a - b);
        for (const index of order) {
          const batch = batches[index]!;
          const cgm = batch.filter((candidate) => candidate.specimen === "interstitial");
          const fingersticks = batch.filter((candidate) => candidate.specimen === "capillary");
          if (cgm.length) await ingestForTest(patientId, cgm, NOW);
          if (fingersticks.length) await ingestForTest(patientId, fingersticks, NOW, "manual");
          // The same batch again: a replay (same keys, same origin's keys) or another origin's copy.
          if (scenario.replayBatch === index % 4 && cgm.length) await ingestForTest(patientId, cgm, NOW);
          if (scenario.otherOriginBatch === index % 4 && cgm.length) await ingestForTest(patientId, cgm.map((candidate) => ({ ...candidate, dedupeKey: `other-${candidate.dedupeKey}` })), NOW);
        }
        const manual = rowsOf<{ id: number; at: string }>(
          await getDb().execute(sql`select id, effective_at::text as at from glucose_readings where patient_id = ${patientId}::uuid and source = 'manual' order by id`),
        );
        for (const correction of scenario.corrections) {
          if (manual.length === 0) break;
          const target = manual[correction.pick % manual.length]!;
          const moved = new Date(new Date(target.at).getTime() + correction.shiftMinutes * MINUTE);
          const takenAt = formatAtOffset(moved, offsetAt(moved, ZONE)).replace(" ", "T");
          // A local time the clocks skipped is refused by the form; that correction is simply not made.
          await correctManualReading(actor, patientId, Number(target.id), { value: String(correction.value), unit: "mg/dL", takenAt }, NOW).catch((error: unknown) => {
            if (!(error instanceof Error && "code" in error && error.code === "invalid_input")) throw error;
          });
        }
        expect(await storedDays(patientId)).toEqual(await recomputedDays(patientId));
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});
