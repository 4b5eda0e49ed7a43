import fc from "fast-check";
import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as deviceReadingsRoute } from "@/app/api/devices/readings/route";
import { POST as uploaderEntriesRoute } from "@/app/api/v1/entries/route";
import { POST as submitRoute } from "@/app/fhir/$submit-cgm-bundle/route";
import { getDb } from "@/db/client";
import { glucoseReadings } from "@/db/schema";
import { internalOrigin } from "@/lib/access/actor";
import { importReadingsFile } from "@/lib/imports/file-import";
import { libreHeader, libreRow } from "@/lib/readings/import/test-helpers";
import { sha1Hex } from "@/lib/security/tokens";
import { formatOffset } from "@/lib/time/offsets";
import { formatAtOffset, offsetAt } from "@/lib/time/zones";
import { createUploaderSecret } from "@/lib/uploader/credentials";
import { insertBackendClientToken, insertOrganization, insertPatientWithAccount, pairedMeter } from "@/test/factories";

/**
 * Issue 14's property: random multi-device, multi-specimen series across both yearly clock
 * changes, through every door (a connected CGM, an uploader app, a hospital's FHIR submissions,
 * LibreView exports from two sensors), sent in random batch splits, in a random order, some
 * batches twice: every distinct reading is stored exactly once, at its true instant.
 */
const ZONE = "Europe/London";
// The instants the clocks changed in London in 2025: forward at 01:00 UTC on 30 March, back at 01:00 UTC on 26 October.
const CLOCK_CHANGES = [Date.UTC(2025, 2, 30, 1), Date.UTC(2025, 9, 26, 1)];
const MINUTE = 60_000;

interface Reading {
  at: number;
  value: number;
}

/** An ISO time at the zone's offset at that instant, as a device or a FHIR sender writes it. */
function isoAtZoneOffset(at: number): string {
  const offset = offsetAt(new Date(at), ZONE);
  return `${formatAtOffset(new Date(at), offset).replace(" ", "T")}:00${formatOffset(offset)}`;
}

/** A LibreView EU timestamp (local wall clock, no offset): DD-MM-YYYY HH:MM. */
function libreTimestamp(at: number): string {
  const wall = formatAtOffset(new Date(at), offsetAt(new Date(at), ZONE));
  return `${wall.slice(8, 10)}-${wall.slice(5, 7)}-${wall.slice(0, 4)} ${wall.slice(11, 16)}`;
}

/** A series through one clock change: `count` readings every `step` minutes from `fromMinutes` around it. */
const series = (firstValue: number, step: 1 | 5 | 15, earliestStart = -150, latestStart = 30) =>
  fc
    .record({ change: fc.constantFrom(...CLOCK_CHANGES), fromMinutes: fc.integer({ min: earliestStart, max: latestStart }), count: fc.integer({ min: 2, max: 40 }) })
    .map(({ change, fromMinutes, count }): Reading[] =>
      Array.from({ length: count }, (_, i) => ({ at: change + (fromMinutes + i * step) * MINUTE, value: firstValue + i })),
    );

/**
 * A sensor's part of a meter export: wall-clock times without an offset, so it starts before the
 * repeated hour (local 01:00 BST, an hour before the change back). A sensor whose whole file lies
 * inside the repeated hour cannot say which pass it is; that case is the time placer's own test.
 */
const sensorSeries = (firstValue: number) => series(firstValue, 15, -150, -61);

/** Cuts a list into consecutive batches at random places. */
const batchesOf = <T>(items: T[], cuts: number[]): T[][] => {
  const points = [...new Set(cuts.map((cut) => cut % (items.length + 1)))].filter((cut) => cut > 0).sort((a, b) => a - b);
  return [0, ...points].map((from, i) => items.slice(from, points[i] ?? items.length)).filter((batch) => batch.length > 0);
};

let organizationId: string;
let fhirToken: string;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  fhirToken = await insertBackendClientToken(organizationId, ["system/Observation.cu"]);
});

describe("every door, both clock changes, random batches and orders", () => {
  it("stores every distinct reading exactly once at its true instant", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          cgm: series(100, 5),
          app: series(200, 1),
          fingersticks: series(40, 15),
          sensorA: sensorSeries(300),
          sensorB: sensorSeries(350),
          cuts: fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 6 }),
          order: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
          resend: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        }),
        async ({ cgm, app, fingersticks, sensorA, sensorB, cuts, order, resend }) => {
          const { patientId, actor: owner } = await insertPatientWithAccount(organizationId, { timezone: ZONE });
          const meter = await pairedMeter(patientId);
          const apiSecret = sha1Hex((await createUploaderSecret(owner, patientId)).secret);
          const sensorMinute = (readings: Reading[]) => readings.map((reading) => ({ ...reading, at: Math.floor(reading.at / MINUTE) * MINUTE }));

          const sends: (() => Promise<Response | unknown>)[] = [
            ...batchesOf(cgm, cuts).map((batch) => () =>
              deviceReadingsRoute(new Request("http://lantern.test/api/devices/readings", {
                method: "POST",
                headers: { "content-type": "application/json", authorization: `Bearer ${meter.token}` },
                body: JSON.stringify({ readings: batch.map((r) => ({ time: isoAtZoneOffset(r.at), value: r.value, unit: "mg/dL" })) }),
              })),
            ),
            ...batchesOf(app, cuts).map((batch) => () =>
              uploaderEntriesRoute(new Request("http://lantern.test/api/v1/entries", {
                method: "POST",
                headers: { "content-type": "application/json", "api-secret": apiSecret },
                body: JSON.stringify(batch.map((r) => ({ type: "sgv", sgv: r.value, date: r.at, dateString: isoAtZoneOffset(r.at), device: "xDrip-Property" }))),
              })),
            ),
            ...batchesOf(fingersticks, cuts).map((batch) => () =>
              submitRoute(new Request("http://lantern.test/fhir/$submit-cgm-bundle", {
                method: "POST",
                headers: { "content-type": "application/fhir+json", authorization: `Bearer ${fhirToken}` },
                body: JSON.stringify({
                  resourceType: "Bundle",
                  type: "transaction",
                  entry: batch.map((r) => ({
                    request: { method: "POST", url: "Observation" },
                    resource: {
                      resourceType: "Observation", status: "final", subject: { reference: `Patient/${patientId}` },
                      code: { coding: [{ system: "http://loinc.org", code: "41653-7" }] }, effectiveDateTime: isoAtZoneOffset(r.at),
                      valueQuantity: { value: r.value, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
                      identifier: [{ system: "urn:property:hospital", value: `${patientId}-${r.at}` }],
                    },
                  })),
                }),
              })),
            ),
            // A meter export is a whole period, sent whole.
            () => {
              const rows = [
                ...sensorMinute(sensorA).map((r) => ({ ...r, serial: "SENSOR-A" })),
                ...sensorMinute(sensorB).map((r) => ({ ...r, serial: "SENSOR-B" })),
              ].sort((a, b) => a.at - b.at);
              const csv = [libreHeader(), ...rows.map((r) => libreRow({ ts: libreTimestamp(r.at), type: 0, historic: String(r.value) }, ",", r.serial))].join("\n");
              return importReadingsFile({ ...owner, origin: internalOrigin() }, patientId, new Blob([csv]).stream(), "commit");
            },
          ];
          // A random order, each batch sent once or twice (a retry after a lost answer).
          const schedule = sends.map((send, i) => ({ send, key: order[i % order.length]!, twice: resend[i % resend.length]! })).sort((a, b) => a.key - b.key);
          for (const { send, twice } of schedule) {
            await send();
            if (twice) await send();
          }

          const stored = await getDb()
            .select({ at: glucoseReadings.effectiveAt, value: glucoseReadings.valueAsReceived, origin: glucoseReadings.origin })
            .from(glucoseReadings)
            .where(eq(glucoseReadings.patientId, patientId))
            .orderBy(asc(glucoseReadings.effectiveAt), asc(glucoseReadings.valueAsReceived));
          const expected = [
            ...cgm.map((r) => ({ ...r, origin: `device:${meter.deviceId}` })),
            ...app.map((r) => ({ ...r, origin: "uploader:xDrip-Property" })),
            ...fingersticks.map((r) => ({ ...r, origin: expect.stringMatching(/^fhir:/) })),
            ...sensorMinute(sensorA).map((r) => ({ ...r, origin: "file:SENSOR-A:historic" })),
            ...sensorMinute(sensorB).map((r) => ({ ...r, origin: "file:SENSOR-B:historic" })),
          ].sort((a, b) => a.at - b.at || a.value - b.value);
          expect(stored.map((row) => ({ at: row.at.getTime(), value: row.value, origin: row.origin }))).toEqual(expected);
        },
      ),
      { numRuns: 20 },
    );
  }, 240_000);
});
