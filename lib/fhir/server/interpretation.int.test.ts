import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as readObservationRoute } from "@/app/fhir/Observation/[id]/route";
import { GET as searchObservationsRoute } from "@/app/fhir/Observation/route";
import { getDb } from "@/db/client";
import { glucoseReadings, patientTargets } from "@/db/schema";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { ingestForTest, insertBackendClientToken, insertOrganization, insertPatient } from "@/test/factories";

/**
 * An Observation's interpretation follows its patient's alert thresholds in force when it is
 * read: the preset of the patient's age, or the targets a clinician set.
 */

const base = "http://lantern.test/fhir";
type Observation = { id: string; valueQuantity: { value: number }; interpretation?: { coding: { code: string }[] }[] };
const get = (path: string, token: string) => new Request(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

function trace(values: readonly number[]): ReadingCandidate[] {
  const end = Date.now() - 3_600_000;
  return values.map((value, i) => {
    const at = end - (values.length - 1 - i) * 3_600_000;
    return { position: i, value, unit: "mg/dL", censored: null, effectiveAt: new Date(at), utcOffsetMinutes: 0, specimen: "capillary", dedupeKey: `bgm:${at}` };
  });
}

const codesOf = (observations: Observation[]) => observations.map((o) => [o.valueQuantity.value, o.interpretation?.map((i) => i.coding[0]!.code) ?? []]);

describe("Observation interpretation by the patient's targets in force", () => {
  let token: string;
  let adultId: string;
  let pregnantId: string;

  beforeAll(async () => {
    const organizationId = (await insertOrganization()).id;
    token = await insertBackendClientToken(organizationId, ["system/Observation.rs"]);
    adultId = (await insertPatient(organizationId, { birthDate: "1980-01-01" })).id;
    pregnantId = (await insertPatient(organizationId, { birthDate: "1992-01-01" })).id;
    await getDb().insert(patientTargets).values({ patientId: pregnantId, preset: "pregnancy", hypoLevel1: 63, hypoLevel2: 54, hyperLevel1: 140, hyperLevel2: 180, reason: "Pregnancy, type 1" });
    for (const patientId of [adultId, pregnantId]) await ingestForTest(patientId, trace([50, 60, 100, 150, 200, 260]));
  });

  it("searches: standard adult thresholds for one patient, the clinician's pregnancy targets for the other", async () => {
    const search = async (patientId: string) => {
      const response = await searchObservationsRoute(get(`/Observation?patient=${patientId}`, token));
      return ((await response.json()) as { entry: { resource: Observation }[] }).entry.map((entry) => entry.resource);
    };
    expect(codesOf(await search(adultId))).toEqual([[50, ["LL"]], [60, ["L"]], [100, []], [150, []], [200, ["H"]], [260, ["HH"]]]);
    expect(codesOf(await search(pregnantId))).toEqual([[50, ["LL"]], [60, ["L"]], [100, []], [150, ["H"]], [200, ["HH"]], [260, ["HH"]]]);
  });

  it("reads with the thresholds in force now: changed targets change the interpretation", async () => {
    const [reading] = await getDb().select({ id: glucoseReadings.id }).from(glucoseReadings).where(eq(glucoseReadings.patientId, adultId)).orderBy(glucoseReadings.effectiveAt).limit(1).offset(3);
    const read = async () => {
      const response = await readObservationRoute(get(`/Observation/${reading!.id}`, token), { params: Promise.resolve({ id: String(reading!.id) }) });
      return (await response.json()) as Observation;
    };
    expect(codesOf([await read()])).toEqual([[150, []]]);
    await getDb().insert(patientTargets).values({ patientId: adultId, preset: "standard-adult", hypoLevel1: 70, hypoLevel2: 54, hyperLevel1: 140, hyperLevel2: 250, reason: "Tighter" });
    expect(codesOf([await read()])).toEqual([[150, ["H"]]]);
  });
});
