import { beforeAll, describe, expect, it } from "vitest";
import { GET as searchDevicesRoute } from "@/app/fhir/Device/route";
import { GET as searchObservationsRoute } from "@/app/fhir/Observation/route";
import { GET as searchOrganizationsRoute } from "@/app/fhir/Organization/route";
import { GET as searchPatientsRoute } from "@/app/fhir/Patient/route";
import { GET as searchPractitionersRoute } from "@/app/fhir/Practitioner/route";
import { getDb } from "@/db/client";
import { devices, patients } from "@/db/schema";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { addManualReading, correctManualReading } from "@/lib/readings/manual-entry";
import { ingestForTest, insertBackendClientToken, insertOrganization, insertPatient, insertPatientWithAccount, insertUser } from "@/test/factories";
import { sealedRecordNumber } from "@/lib/security/sealed-columns";

/**
 * Search as FHIR defines it, through the route handlers on a real database: what each parameter
 * matches, what happens to what a type does not support (Prefer: handling), and what the self link
 * says was applied.
 */

type Entry = { resource: { resourceType: string; id: string; name?: { family?: string; given?: string[] }[]; meta?: { tag?: { code: string }[] } } & Record<string, unknown>; search?: { mode: string } };
type Bundle = { resourceType: string; type: string; total?: number; link: { relation: string; url: string }[]; entry?: Entry[]; issue?: { code: string; diagnostics: string }[] };
type Route = (request: Request) => Promise<Response>;

const base = "http://lantern.test/fhir";

async function search(route: Route, token: string, query: string, prefer?: string): Promise<{ status: number; bundle: Bundle }> {
  const response = await route(new Request(`${base}${query}`, { headers: { authorization: `Bearer ${token}`, ...(prefer ? { prefer } : {}) } }));
  return { status: response.status, bundle: (await response.json()) as Bundle };
}

const ids = (bundle: Bundle) => (bundle.entry ?? []).filter((entry) => entry.search?.mode === "match").map((entry) => entry.resource.id).sort();
const selfOf = (bundle: Bundle) => bundle.link.find((link) => link.relation === "self")!.url;

describe("Patient search", () => {
  let token: string;
  let organizationId: string;
  let maria: string;
  let mariaJose: string;
  let james: string;
  let maryAnn: string;

  beforeAll(async () => {
    organizationId = (await insertOrganization()).id;
    token = await insertBackendClientToken(organizationId, ["system/Patient.rs"]);
    const rows = await getDb()
      .insert(patients)
      .values([
        { organizationId, givenName: "Maria", familyName: "López", birthDate: "1968-05-14", timezone: "Europe/Madrid", ...sealedRecordNumber("DEMO-0001") },
        { organizationId, givenName: "María José", familyName: "Lopez-Garcia", birthDate: "1971-02-03", timezone: "Europe/Madrid", ...sealedRecordNumber("DEMO-0003") },
        { organizationId, givenName: "James", familyName: "Chen", birthDate: "1994-09-30", timezone: "Europe/London", ...sealedRecordNumber("DEMO-0002") },
        { organizationId, givenName: "Mary Ann", familyName: "O'Neil", birthDate: "2014-03-09", timezone: "Europe/Dublin" },
      ])
      .returning({ id: patients.id });
    [maria, mariaJose, james, maryAnn] = rows.map((row) => row.id) as [string, string, string, string];
    // Another organization's Lopez, with the same record number, is never found.
    await insertPatient((await insertOrganization()).id, { givenName: "Maria", familyName: "Lopez", birthDate: "1968-05-14" });
  });

  it.each([
    ["name=Lopez", () => [maria, mariaJose]],
    ["name=lopez", () => [maria, mariaJose]],
    ["name=LÓP", () => [maria, mariaJose]],
    ["name=mar", () => [maria, mariaJose, maryAnn]],
    ["name=Chen,O'Neil", () => [james, maryAnn]],
    ["name=Lopez&name=Mar", () => [maria, mariaJose]],
    ["name:exact=López", () => [maria]],
    ["name:exact=lópez", () => []],
    ["name:contains=garc", () => [mariaJose]],
    ["name:contains=%25", () => []],
    ["family=Lopez", () => [maria, mariaJose]],
    ["family=Mar", () => []],
    ["given=mar", () => [maria, mariaJose, maryAnn]],
    ["given=maria", () => [maria, mariaJose]],
    ["given=Mar&family=O", () => [maryAnn]],
    ["birthdate=1968-05-14", () => [maria]],
    ["birthdate=1968", () => [maria]],
    ["birthdate=lt1980-01-01", () => [maria, mariaJose]],
    ["birthdate=ge1990&birthdate=lt2000", () => [james]],
    ["birthdate=gt2014-03-08", () => [maryAnn]],
    ["birthdate=ne1968-05-14&birthdate=lt2000", () => [mariaJose, james]],
    ["birthdate=ap1968-05-15", () => [maria]],
    ["identifier=DEMO-0001", () => [maria]],
    ["identifier=urn:other|DEMO-0001", () => []],
    ["identifier=|DEMO-0001", () => []],
    ["identifier=urn:lantern:mrn:ORG|DEMO-0001", () => [maria]],
    ["identifier=urn:lantern:mrn:00000000-0000-4000-8000-000000000000|DEMO-0001", () => []],
    ["identifier=urn:lantern:mrn:ORG|", () => [maria, mariaJose, james]],
    ["identifier=DEMO-0001,DEMO-0002", () => [maria, james]],
    ["identifier:missing=true", () => [maryAnn]],
    ["identifier:missing=false", () => [maria, mariaJose, james]],
    ["gender=female", () => []],
    ["gender:missing=true", () => [maria, mariaJose, james, maryAnn]],
    ["_id=MARIA,JAMES", () => [maria, james]],
    ["_id=not-a-uuid", () => []],
  ])("%s", async (query, expected) => {
    const { status, bundle } = await search(searchPatientsRoute, token, `/Patient?${query.replace("ORG", organizationId).replace("MARIA", maria).replace("JAMES", james)}`, "handling=strict");
    expect(status).toBe(200);
    expect(ids(bundle)).toEqual(expected().sort());
    expect(bundle.total).toBe(expected().length);
  });

  it("answers an unsupported parameter with 400 under strict handling, and drops it from the self link under lenient", async () => {
    const strict = await search(searchPatientsRoute, token, "/Patient?name=Lopez&address-city=Madrid", "handling=strict");
    expect(strict.status).toBe(400);
    expect(strict.bundle).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "not-supported", expression: ["address-city"] }] });
    const lenient = await search(searchPatientsRoute, token, "/Patient?name=Lopez&address-city=Madrid");
    expect(ids(lenient.bundle)).toEqual([maria, mariaJose].sort());
    expect(selfOf(lenient.bundle)).toBe(`${base}/Patient?name=Lopez`);
  });

  it("pages with a total, counts with _summary=count, and subsets with _elements", async () => {
    const first = await search(searchPatientsRoute, token, "/Patient?_count=2");
    expect(first.bundle).toMatchObject({ total: 4 });
    expect(first.bundle.entry).toHaveLength(2);
    const next = first.bundle.link.find((link) => link.relation === "next")!.url;
    const second = await search(searchPatientsRoute, token, next.slice(base.length));
    expect([...ids(first.bundle), ...ids(second.bundle)].sort()).toEqual([maria, mariaJose, james, maryAnn].sort());

    const count = await search(searchPatientsRoute, token, "/Patient?family=Lopez&_summary=count");
    expect(count.bundle).toMatchObject({ total: 2 });
    expect(count.bundle.entry).toBeUndefined();

    const none = await search(searchPatientsRoute, token, "/Patient?family=Lopez&_total=none");
    expect(none.bundle.total).toBeUndefined();

    const subset = await search(searchPatientsRoute, token, `/Patient?_id=${maria}&_elements=name`);
    const resource = subset.bundle.entry![0]!.resource;
    expect(Object.keys(resource).sort()).toEqual(["id", "meta", "name", "resourceType"]);
    expect(resource.meta!.tag!.map((tag) => tag.code)).toEqual(["SUBSETTED"]);
  });
});

describe("Observation search", () => {
  let token: string;
  let patientId: string;
  const byValue = new Map<string, string>();

  beforeAll(async () => {
    const organizationId = (await insertOrganization()).id;
    token = await insertBackendClientToken(organizationId, ["system/Observation.rs"]);
    const { actor, patientId: id } = await insertPatientWithAccount(organizationId);
    patientId = id;
    const start = Date.parse("2026-10-01T00:00:00Z");
    const readings: [string, Partial<ReadingCandidate>][] = [
      ["100", { value: 100 }],
      ["260", { value: 260 }],
      [">400", { value: 400, censored: "above" }],
      ["<40", { value: 40, censored: "below" }],
      ["15 mmol/L", { value: 15, unit: "mmol/L" }],
      ["5.4 mmol/L", { value: 5.4, unit: "mmol/L", specimen: "capillary" }],
    ];
    const outcome = await ingestForTest(
      patientId,
      readings.map(([, reading], i) => ({ position: i, value: 0, unit: "mg/dL", censored: null, effectiveAt: new Date(start + i * 300_000), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `search:${i}`, ...reading })),
    );
    readings.forEach(([label], i) => byValue.set(label, String(outcome.insertedIds[i])));
    const { readingId } = await addManualReading(actor, patientId, { value: "180", unit: "mg/dL", takenAt: "2026-10-02T08:00" });
    await correctManualReading(actor, patientId, readingId, { value: "118", unit: "mg/dL", takenAt: "2026-10-02T08:00" });
    byValue.set("118 corrected", String(readingId));
  });

  it.each([
    ["value-quantity=gt250||mg/dL", ["260", ">400", "15 mmol/L"]],
    ["value-quantity=gt250|http://unitsofmeasure.org|mg/dL", ["260", ">400", "15 mmol/L"]],
    ["value-quantity=gt250", ["260", ">400"]],
    ["value-quantity=gt13.9||mmol/L", ["260", ">400", "15 mmol/L"]],
    ["value-quantity=gt450||mg/dL", []],
    ["value-quantity=lt70||mg/dL", ["<40"]],
    ["value-quantity=le40||mg/dL", ["<40"]],
    ["value-quantity=5.4||mmol/L", ["5.4 mmol/L"]],
    ["value-quantity=100", ["100"]],
    ["value-quantity=ap100||mg/dL", ["100", "5.4 mmol/L"]],
    ["value-quantity=ge100||mg/dL&value-quantity=lt200||mg/dL", ["100", "118 corrected"]],
    ["value-quantity=gt250|http://snomed.info/sct|mg/dL", []],
    ["value-quantity=gt250||g/L", []],
    ["code=http://loinc.org|", ["100", "260", ">400", "<40", "15 mmol/L", "5.4 mmol/L", "118 corrected"]],
    ["code=urn:iso:std:iso:11073:10101|", ["100", "260", ">400", "<40", "15 mmol/L", "5.4 mmol/L", "118 corrected"]],
    ["code=http://loinc.org|14743-9", ["5.4 mmol/L"]],
    ["code=http://snomed.info/sct|", []],
    ["code=|99504-3", []],
    ["status=amended", ["118 corrected"]],
    ["status=final&value-quantity=gt100||mg/dL", ["260", ">400", "15 mmol/L"]],
  ])("%s", async (query, labels) => {
    const { status, bundle } = await search(searchObservationsRoute, token, `/Observation?patient=${patientId}&${query}&_total=accurate`, "handling=strict");
    expect(status).toBe(200);
    expect(ids(bundle)).toEqual(labels.map((label) => byValue.get(label)!).sort());
    expect(bundle.total).toBe(labels.length);
  });

  it("gives total only when asked: counting every match costs more than a page", async () => {
    expect((await search(searchObservationsRoute, token, `/Observation?patient=${patientId}`)).bundle.total).toBeUndefined();
    expect((await search(searchObservationsRoute, token, `/Observation?patient=${patientId}&_count=2&_total=accurate`)).bundle.total).toBe(7);
  });

  it("drops an unsupported parameter under lenient handling and says so in the self link; refuses it under strict", async () => {
    const lenient = await search(searchObservationsRoute, token, `/Observation?patient=${patientId}&value-quantity=gt250||mg/dL&performer=Practitioner/1&code:text=glucose`);
    expect(ids(lenient.bundle)).toHaveLength(3);
    expect(selfOf(lenient.bundle)).toBe(`${base}/Observation?patient=${patientId}&value-quantity=gt250||mg/dL`);
    for (const query of ["performer=Practitioner/1", "code:text=glucose", "_sort=value", "_elements=note"]) {
      const strict = await search(searchObservationsRoute, token, `/Observation?patient=${patientId}&${query}`, "handling=strict");
      expect(strict.status).toBe(400);
      expect(strict.bundle.issue![0]!.code).toBe("not-supported");
    }
  });

  it("returns only the elements asked for, tagged SUBSETTED, with the mandatory ones", async () => {
    const { bundle } = await search(searchObservationsRoute, token, `/Observation?patient=${patientId}&_count=1&_elements=value`);
    expect(Object.keys(bundle.entry![0]!.resource).sort()).toEqual(["code", "id", "meta", "resourceType", "status", "valueQuantity"]);
  });
});

describe("Device, Practitioner and Organization search", () => {
  it("searches by each declared parameter, with totals", async () => {
    const organization = await insertOrganization({ name: `Riverside Clínica ${Math.random()}` });
    const token = await insertBackendClientToken(organization.id, ["system/Device.rs", "system/Practitioner.rs", "system/Organization.rs"]);
    const owner = await insertPatient(organization.id);
    const [active, revoked] = await getDb()
      .insert(devices)
      .values([
        { patientId: owner.id, kind: "cgm", model: "G7", serialNumber: "A-1" },
        { patientId: owner.id, kind: "cgm", model: "G6", serialNumber: "A-2", revokedAt: new Date() },
      ])
      .returning({ id: devices.id });
    const ana = await insertUser(organization.id, "clinician", { displayName: "Dr. Ana Ruíz" });
    await insertUser(organization.id, "clinician", { displayName: "Dr. Ben Okafor" });
    await insertUser(organization.id, "admin", { displayName: "Ana Admin" });

    const expectIds = async (route: Route, query: string, expected: string[]) => {
      const { status, bundle } = await search(route, token, query, "handling=strict");
      expect(status).toBe(200);
      expect(ids(bundle)).toEqual(expected.sort());
      expect(bundle.total).toBe(expected.length);
    };
    await expectIds(searchDevicesRoute, `/Device?patient=Patient/${owner.id}`, [active!.id, revoked!.id]);
    await expectIds(searchDevicesRoute, `/Device?patient=${owner.id}&status=inactive`, [revoked!.id]);
    await expectIds(searchDevicesRoute, `/Device?status=http://hl7.org/fhir/device-status|active`, [active!.id]);
    // The display name is one text, matched from its start: "Dr. Ana Ruíz".
    await expectIds(searchPractitionersRoute, "/Practitioner?name=dr.%20ana", [ana.userId]);
    await expectIds(searchPractitionersRoute, "/Practitioner?name=ana", []);
    await expectIds(searchPractitionersRoute, "/Practitioner?name:contains=ruiz", [ana.userId]);
    await expectIds(searchOrganizationsRoute, "/Organization?name=riverside", [organization.id]);
    await expectIds(searchOrganizationsRoute, `/Organization?_id=${organization.id}`, [organization.id]);
    await expectIds(searchOrganizationsRoute, "/Organization?name=elsewhere", []);
    expect((await search(searchOrganizationsRoute, token, "/Organization?address=x", "handling=strict")).status).toBe(400);
  });
});
