import fc from "fast-check";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getDb, openPostgres, type Database, type DatabaseHandle } from "@/db/client";
import { alerts, notificationChannels, notificationOutbox } from "@/db/schema";
import { authorizePatient } from "@/lib/access/authorize";
import { findEpisodes } from "@/lib/alerts/episodes";
import { ALERT_SEVERITY } from "@/lib/alerts/kinds";
import { targetsInForce } from "@/lib/alerts/targets";
import { ingestReadings, type ReadingCandidate } from "@/lib/readings/ingest";
import { ingestForTest, insertOrganization, insertPatient, meterOf } from "@/test/factories";
import { sealFor } from "@/lib/security/sealed-columns";

/**
 * Issue 9, "Evaluation that cannot lose an alert": the write path keeps the alerts table equal to
 * THE episode function over the stored readings, whatever order, split or repetition they came
 * in, and across connections that write at once.
 */
const MINUTE = 60_000;
const NOW = new Date("2026-11-20T12:00:00Z");
const adultBirthDate = "1980-01-01";
const ADULT_THRESHOLDS = targetsInForce("standard-adult").thresholds;

/** A CGM trace every 5 minutes ending at NOW, one value per slot. */
function cgmTrace(values: readonly number[], end = NOW.getTime()): ReadingCandidate[] {
  return values.map((value, i) => ({
    position: i,
    value,
    unit: "mg/dL",
    censored: null,
    effectiveAt: new Date(end - (values.length - 1 - i) * 5 * MINUTE),
    utcOffsetMinutes: 0,
    specimen: "interstitial",
    dedupeKey: `cgm:${end - (values.length - 1 - i) * 5 * MINUTE}`,
  }));
}

/** The patient's live alerts as comparable facts. */
async function liveAlerts(patientId: string) {
  const rows = await getDb()
    .select()
    .from(alerts)
    .where(and(eq(alerts.patientId, patientId), isNull(alerts.mergedIntoId), isNull(alerts.withdrawnAt)))
  return rows.map((row) => ({
    kind: row.kind,
    severity: row.severity,
    start: row.startedAt.getTime(),
    end: row.endedAt?.getTime() ?? null,
    worst: Number(row.worstMgdl),
    readingsBeyond: row.readingsBeyond,
    historical: row.historical,
  })).sort(byStartThenKind);
}

const byStartThenKind = (a: { start: number; kind: string }, b: { start: number; kind: string }) => a.start - b.start || a.kind.localeCompare(b.kind);

/** What the episode function finds over the same readings, in the alerts' shape. */
function expectedAlerts(readings: readonly ReadingCandidate[], historical = false) {
  const episodes = findEpisodes(
    readings.map((reading) => ({ at: reading.effectiveAt.getTime(), mgdl: reading.value, censored: reading.censored })),
    { specimen: "interstitial", thresholds: ADULT_THRESHOLDS, intervalMinutes: 5 },
  );
  return episodes
    .map((episode) => ({
      kind: episode.kind,
      severity: ALERT_SEVERITY[episode.kind],
      start: episode.start,
      end: episode.end,
      worst: episode.worst.mgdl,
      readingsBeyond: episode.readingsBeyond,
      historical,
    }))
    .sort(byStartThenKind);
}

let organizationId: string;
beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
});

describe("alerts in the readings write path", () => {
  it("opens one urgent alert for 20 minutes below 54 mg/dL, told to the organization's channels", async () => {
    const organization = (await insertOrganization()).id;
    const [webhook] = await getDb().insert(notificationChannels).values({ organizationId: organization, kind: "webhook", name: "Ward", target: "https://ward.example.org/hook", signingSecretSealed: sealFor("notificationChannelSigningSecret", "s") }).returning();
    const { id: patientId } = await insertPatient(organization, { birthDate: adultBirthDate });
    await ingestForTest(patientId, cgmTrace([110, 52, 50, 48, 47, 49]), NOW);

    const live = await liveAlerts(patientId);
    expect(live.filter((alert) => alert.kind === "hypo-level-2")).toEqual([
      { kind: "hypo-level-2", severity: "urgent", start: NOW.getTime() - 20 * MINUTE, end: null, worst: 47, readingsBeyond: 5, historical: false },
    ]);
    // Level 1 is found on its own (a level 2 episode lies inside a level 1 one).
    expect(live.map((alert) => alert.kind).sort()).toEqual(["hypo-level-1", "hypo-level-2"]);
    // The channel hears of the urgent one only: the level 1 low opened with it adds nothing to act on.
    const outbox = await getDb().select().from(notificationOutbox).where(eq(notificationOutbox.channelId, webhook!.id));
    const level2 = (await getDb().select().from(alerts).where(and(eq(alerts.patientId, patientId), eq(alerts.kind, "hypo-level-2"))))[0]!;
    expect(outbox.map((row) => [row.reason, row.alertId])).toEqual([["new", level2.id]]);
  });

  it("tells the channels again when an open low worsens to a more severe one, not when a less severe one joins", async () => {
    const organization = (await insertOrganization()).id;
    const [webhook] = await getDb().insert(notificationChannels).values({ organizationId: organization, kind: "webhook", name: "Ward", target: "https://ward.example.org/hook", signingSecretSealed: sealFor("notificationChannelSigningSecret", "s") }).returning();
    const { id: patientId } = await insertPatient(organization, { birthDate: adultBirthDate });
    const trace = [110, 65, 64, 63, 62, 61, 50, 49, 48, 47];
    await ingestForTest(patientId, cgmTrace(trace.slice(0, 6), NOW.getTime() - 20 * MINUTE), NOW);
    await ingestForTest(patientId, cgmTrace(trace, NOW.getTime()).slice(6), NOW);
    const outbox = await getDb().select({ kind: alerts.kind }).from(notificationOutbox).innerJoin(alerts, eq(alerts.id, notificationOutbox.alertId)).where(eq(notificationOutbox.channelId, webhook!.id));
    expect(outbox.map((row) => row.kind).sort()).toEqual(["hypo-level-1", "hypo-level-2"]);
  });

  it("updates the same alert as the episode goes on, and closes it once the patient is back in range", async () => {
    const { id: patientId } = await insertPatient(organizationId, { birthDate: adultBirthDate });
    const start = NOW.getTime() - 60 * MINUTE;
    const trace = cgmTrace([100, 50, 49, 48, 47, 45, 44, 46, 90, 95, 100, 105, 110], start + 12 * 5 * MINUTE);
    await ingestForTest(patientId, trace.slice(0, 5), NOW);
    const [opened] = (await liveAlerts(patientId)).filter((alert) => alert.kind === "hypo-level-2");
    expect(opened).toMatchObject({ end: null, worst: 47 });

    await ingestForTest(patientId, trace.slice(5, 8), NOW);
    await ingestForTest(patientId, trace.slice(8), NOW);
    const level2 = (await liveAlerts(patientId)).filter((alert) => alert.kind === "hypo-level-2");
    expect(level2).toHaveLength(1);
    expect(level2[0]).toMatchObject({ start: opened!.start, worst: 44, end: expect.any(Number) });
    expect(await liveAlerts(patientId)).toEqual(expectedAlerts(trace));
  });

  it("stores an episode found in readings older than the horizon as historical, paging nobody", async () => {
    const organization = (await insertOrganization()).id;
    await getDb().insert(notificationChannels).values({ organizationId: organization, kind: "email", name: "Clinic", target: "clinic@example.org" });
    const { id: patientId } = await insertPatient(organization, { birthDate: adultBirthDate });
    const threeDaysAgo = NOW.getTime() - 3 * 24 * 60 * MINUTE;
    const trace = cgmTrace([100, 50, 49, 48, 47, 100, 100, 100, 100], threeDaysAgo);
    await ingestForTest(patientId, trace, NOW);

    expect(await liveAlerts(patientId)).toEqual(expectedAlerts(trace, true));
    const alertIds = (await getDb().select({ id: alerts.id }).from(alerts).where(eq(alerts.patientId, patientId))).map((row) => row.id);
    expect(alertIds.length).toBeGreaterThan(0);
    const outbox = await getDb().select().from(notificationOutbox);
    expect(outbox.filter((row) => alertIds.includes(row.alertId))).toEqual([]);
  });

  it("neither splits nor doubles an episode for readings in any order, any batch split, some sent twice", async () => {
    // A morning of CGM with lows, a rapid fall and highs: each case's readings arrive shuffled.
    const values = [140, 150, 190, 200, 210, 260, 270, 265, 200, 150, 100, 80, 65, 60, 52, 50, 49, 51, 60, 72, 90, 120, 150, 140];
    const trace = cgmTrace(values);
    const expected = expectedAlerts(trace);
    expect(expected.length).toBeGreaterThan(3);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(trace.map((_, i) => i), { minLength: trace.length, maxLength: trace.length }), fc.array(fc.nat({ max: trace.length }), { maxLength: 5 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), async (order, cuts, twice) => {
        const { id: patientId } = await insertPatient(organizationId, { birthDate: adultBirthDate });
        const shuffled = order.map((i) => trace[i]!);
        const points = [...new Set(cuts)].filter((cut) => cut > 0 && cut < shuffled.length).sort((a, b) => a - b);
        const batches = [0, ...points].map((from, i) => shuffled.slice(from, points[i] ?? shuffled.length));
        for (const [i, batch] of batches.entries()) {
          await ingestForTest(patientId, batch, NOW);
          if (twice[i]) await ingestForTest(patientId, batch, NOW);
        }
        expect(await liveAlerts(patientId)).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });
});

describe.runIf(process.env.LANTERN_TEST_DATABASE === "postgres")("two server processes on one PostgreSQL", () => {
  // Each "process" has its own connection pool, as two `next start` processes would.
  let other: DatabaseHandle;
  beforeAll(() => {
    other = openPostgres(inject("testDatabaseUrl"));
  });
  afterAll(() => other.close());

  it("store one episode once when both write a patient's readings at the same moment", async () => {
    for (let round = 0; round < 10; round++) {
      const { id: patientId } = await insertPatient(organizationId, { birthDate: adultBirthDate });
      const writer = await meterOf(patientId);
      const trace = cgmTrace([100, 52, 50, 48, 47, 46, 45, 100, 100, 100, 100]);
      // Interleaved halves: each connection alone would see part of the episode.
      const evens = trace.filter((_, i) => i % 2 === 0);
      const odds = trace.filter((_, i) => i % 2 === 1);
      const write = async (db: Database, batch: ReadingCandidate[]) => {
        const patient = await authorizePatient(db, writer, "reading:create", patientId);
        return ingestReadings(db, { actor: writer, patient, source: "device", origin: `test:${writer.deviceId}` }, batch, NOW);
      };
      const [first, second] = await Promise.all([write(other.db, evens), write(getDb(), odds)]);
      expect(first.accepted + second.accepted).toBe(trace.length);
      expect(await liveAlerts(patientId)).toEqual(expectedAlerts(trace));
    }
  });
});
