import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as patientExportRoute } from "@/app/fhir/Patient/$export/route";
import { GET as statusRoute } from "@/app/fhir/bulk-status/[jobId]/route";
import { GET as fileRoute } from "@/app/fhir/bulk-files/[jobId]/[fileId]/route";
import { GET as searchObservationsRoute } from "@/app/fhir/Observation/route";
import { GET as readPatientRoute } from "@/app/fhir/Patient/[id]/route";
import { GET as searchPatientsRoute } from "@/app/fhir/Patient/route";
import { getDb } from "@/db/client";
import { auditEvents, consentRecords, hospitalEndpoints, pushOutbox } from "@/db/schema";
import { deliverDuePushes } from "@/lib/fhir/push/outbox";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import {
  ingestForTest, insertBackendClientToken, insertGuardianLink, insertOrganization, insertPatient, insertPatientWithAccount, insertUser, type InsertedUser,
} from "@/test/factories";
import { decideConsent, getPrivacyChoices } from "./consent";

const base = "http://lantern.test/fhir";
const get = (path: string, token: string) => new Request(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, prefer: "respond-async" } });

let readingCount = 0;
/** Readings an hour apart, never at the time and value of an earlier one (which would count as its duplicate). */
function readings(count: number): ReadingCandidate[] {
  const first = readingCount;
  readingCount += count;
  return Array.from({ length: count }, (_, i) => ({
    position: i, value: 100 + first + i, unit: "mg/dL", censored: null, effectiveAt: new Date(Date.parse("2026-11-20T00:00:00Z") + (first + i) * 3_600_000),
    utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `consent:${first + i}`,
  }));
}

async function exportedPatientIds(token: string): Promise<string[]> {
  const kickOff = await patientExportRoute(get("/Patient/$export?_type=Patient", token));
  expect(kickOff.status).toBe(202);
  const jobId = kickOff.headers.get("content-location")!.split("/").at(-1)!;
  for (let attempt = 0; attempt < 400; attempt++) {
    const status = await statusRoute(get(`/bulk-status/${jobId}`, token), { params: Promise.resolve({ jobId }) });
    if (status.status === 200) {
      const manifest = (await status.json()) as { output: { url: string }[] };
      const ids: string[] = [];
      for (const { url } of manifest.output) {
        const [, fileId] = url.split("/").slice(-2) as [string, string];
        const file = await fileRoute(get(`/bulk-files/${jobId}/${fileId}`, token), { params: Promise.resolve({ jobId, fileId }) });
        ids.push(...(await file.text()).trim().split("\n").filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id));
      }
      return ids;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("export did not finish");
}

describe("objecting to hospital sharing takes effect for hospital systems at their next request", () => {
  let token: string;
  let patient: InsertedUser;
  let patientId: string;
  let neighbourId: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    token = await insertBackendClientToken(organization.id, ["system/Patient.rs", "system/Observation.rs"]);
    ({ actor: patient, patientId } = await insertPatientWithAccount(organization.id));
    neighbourId = (await insertPatient(organization.id)).id;
    await ingestForTest(patientId, readings(3));
    await ingestForTest(neighbourId, readings(2));
  });

  const read = async () => (await readPatientRoute(get(`/Patient/${patientId}`, token), { params: Promise.resolve({ id: patientId }) })).status;
  const searchIds = async () => ((await (await searchPatientsRoute(get("/Patient?_count=100", token))).json()) as { entry?: { resource: { id: string } }[] }).entry?.map((e) => e.resource.id) ?? [];
  const observationTotal = async () => ((await (await searchObservationsRoute(get(`/Observation?patient=${patientId}&_summary=count`, token))).json()) as { total: number }).total;

  it("is on by default: the hospital system sees the patient", async () => {
    expect(await read()).toBe(200);
    expect(await searchIds()).toEqual(expect.arrayContaining([patientId, neighbourId]));
    expect(await observationTotal()).toBe(3);
    expect(await exportedPatientIds(token)).toEqual(expect.arrayContaining([patientId, neighbourId]));
  });

  it("after the patient objects: read 404, absent from searches, totals and Bulk exports; others unaffected", async () => {
    await decideConsent(patient, patientId, { purpose: "hospital-sharing", decision: "deny" });
    expect(await read()).toBe(404);
    expect(await searchIds()).not.toContain(patientId);
    expect(await searchIds()).toContain(neighbourId);
    expect(await observationTotal()).toBe(0);
    const exported = await exportedPatientIds(token);
    expect(exported).not.toContain(patientId);
    expect(exported).toContain(neighbourId);
  });

  it("allowing it again brings the patient back, with one step", async () => {
    await decideConsent(patient, patientId, { purpose: "hospital-sharing", decision: "permit" });
    expect(await read()).toBe(200);
    expect(await observationTotal()).toBe(3);
  });

  it("keeps every decision, the latest one current, each audited with the patient", async () => {
    const choices = await getPrivacyChoices(patient, patientId);
    expect(choices.history.map((r) => [r.purpose, r.decision, r.decidedAs, r.supersededAt === null])).toEqual([
      ["hospital-sharing", "permit", "patient", true],
      ["hospital-sharing", "deny", "patient", false],
    ]);
    expect(choices.history[0]!.policyVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const events = await getDb().select().from(auditEvents).where(and(eq(auditEvents.resourceType, "Consent"), eq(auditEvents.action, "update"), eq(auditEvents.actorId, patient.userId)));
    expect(events.map((e) => [e.patientIds, e.outcome, e.purpose])).toEqual([
      [[patientId], "success", "privacy"],
      [[patientId], "success", "privacy"],
    ]);
  });
});

describe("objecting to hospital sharing stops pushes", () => {
  it("drops queued deliveries of the patient and queues none while the objection stands", async () => {
    const organization = await insertOrganization();
    const { actor: patient, patientId } = await insertPatientWithAccount(organization.id);
    // Nothing listens there: an attempted delivery would fail and stay pending with one attempt.
    const [endpoint] = await getDb().insert(hospitalEndpoints).values({ organizationId: organization.id, name: "Closed", baseUrl: "http://127.0.0.1:9/fhir" }).returning();
    const queued = () => getDb().select().from(pushOutbox).where(eq(pushOutbox.endpointId, endpoint!.id));

    await ingestForTest(patientId, readings(2));
    expect(await queued()).toHaveLength(1);

    await decideConsent(patient, patientId, { purpose: "hospital-sharing", decision: "deny" });
    await deliverDuePushes();
    expect(await queued()).toEqual([]);

    await ingestForTest(patientId, readings(2));
    expect(await queued()).toEqual([]);

    await decideConsent(patient, patientId, { purpose: "hospital-sharing", decision: "permit" });
    await ingestForTest(patientId, readings(1));
    expect(await queued()).toHaveLength(1);
  });
});

describe("children and guardians", () => {
  let organizationId: string;
  let guardian: InsertedUser;
  let child: { actor: InsertedUser; patientId: string };
  let clinician: InsertedUser;

  beforeAll(async () => {
    organizationId = (await insertOrganization()).id;
    guardian = await insertUser(organizationId, "guardian");
    clinician = await insertUser(organizationId, "clinician");
    child = await insertPatientWithAccount(organizationId);
    // Ten years old on the day of the tests, below every preset age of digital consent.
    const tenYearsAgo = new Date();
    tenYearsAgo.setUTCFullYear(tenYearsAgo.getUTCFullYear() - 10);
    await getDb().execute(`update patients set birth_date = '${tenYearsAgo.toISOString().slice(0, 10)}' where id = '${child.patientId}'`);
    await insertGuardianLink(guardian.userId, child.patientId);
  });

  it("a child below the age of digital consent cannot decide optional purposes alone", async () => {
    await expect(decideConsent(child.actor, child.patientId, { purpose: "research", decision: "permit" })).rejects.toMatchObject({ code: "forbidden", message: /parent or guardian/ });
    const choices = await getPrivacyChoices(child.actor, child.patientId);
    expect(choices.decidedBy).toBe("guardian");
    expect(choices.purposes.find((p) => p.id === "research")).toMatchObject({ permitted: false, lockedBecause: expect.stringMatching(/parent or guardian/) });
  });

  it("the guardian decides on the child's behalf, recorded as the guardian's decision", async () => {
    const record = await decideConsent(guardian, child.patientId, { purpose: "research", decision: "permit" });
    expect(record).toMatchObject({ decidedAs: "guardian", decidedByUserId: guardian.userId, decision: "permit" });
    const choices = await getPrivacyChoices(guardian, child.patientId);
    expect(choices.purposes.find((p) => p.id === "research")).toMatchObject({ permitted: true, lockedBecause: null });
  });

  it("nobody can switch marketing on for a child, and research and analytics stay off until the guardian says yes", async () => {
    await expect(decideConsent(guardian, child.patientId, { purpose: "marketing", decision: "permit" })).rejects.toMatchObject({ code: "forbidden", message: /never/ });
    const choices = await getPrivacyChoices(guardian, child.patientId);
    expect(choices.purposes.find((p) => p.id === "product-analytics")).toMatchObject({ permitted: false, current: null });
    expect(choices.purposes.find((p) => p.id === "marketing")).toMatchObject({ permitted: false, lockedBecause: expect.stringMatching(/never/) });
    const rows = await getDb().select().from(consentRecords).where(and(eq(consentRecords.patientId, child.patientId), eq(consentRecords.purpose, "marketing")));
    expect(rows).toEqual([]);
  });

  it("a clinician may read the choices but not make them; an unlinked guardian sees nothing", async () => {
    await expect(decideConsent(clinician, child.patientId, { purpose: "research", decision: "deny" })).rejects.toMatchObject({ code: "not_found" });
    const stranger = await insertUser(organizationId, "guardian");
    await expect(getPrivacyChoices(stranger, child.patientId)).rejects.toMatchObject({ code: "not_found" });
    await expect(decideConsent(stranger, child.patientId, { purpose: "research", decision: "deny" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses a purpose that is not declared, with a sentence", async () => {
    await expect(decideConsent(guardian, child.patientId, { purpose: "direct-care", decision: "deny" })).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { purpose: ["Choose one of the listed purposes."] } });
  });
});
