import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, patients } from "@/db/schema";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { ingestForTest, insertGuardianLink, insertOrganization, insertPatient, insertPatientWithAccount, insertUser, type InsertedUser } from "@/test/factories";
import { decideConsent } from "./consent";
import { CSV_HEADER, exportPatientRecord } from "./record-export";
import { answerPrivacyRequest, createPrivacyRequest, dueDateOf, listPatientPrivacyRequests, listPrivacyRequests } from "./requests";
import { allErrors } from "@/lib/fhir/testing/fhir-validator";
import type { Bundle } from "@medplum/fhirtypes";

const YEAR_OF_CGM = 365 * 288;
const start = Date.parse("2025-11-01T00:00:00Z");

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("exporting the whole record (right of access and portability)", () => {
  let patient: InsertedUser;
  let patientId: string;
  let guardian: InsertedUser;
  let clinician: InsertedUser;

  beforeAll(async () => {
    const organization = await insertOrganization();
    ({ actor: patient, patientId } = await insertPatientWithAccount(organization.id));
    await getDb().update(patients).set({ birthDate: "1990-04-05" }).where(eq(patients.id, patientId));
    guardian = await insertUser(organization.id, "guardian");
    // An adult with their own account: the guardian keeps access because a clinician renewed it past 18.
    await insertGuardianLink(guardian.userId, patientId, { renewedUntil: "2099-12-31" });
    clinician = await insertUser(organization.id, "clinician");
    const candidates: ReadingCandidate[] = Array.from({ length: YEAR_OF_CGM }, (_, i) => ({
      position: i, value: 80 + (i % 120), unit: "mg/dL", censored: null, effectiveAt: new Date(start + i * 300_000), utcOffsetMinutes: 60,
      specimen: "interstitial", dedupeKey: `year:${i}`,
    }));
    for (let i = 0; i < candidates.length; i += 20_000) await ingestForTest(patientId, candidates.slice(i, i + 20_000));
    await decideConsent(patient, patientId, { purpose: "research", decision: "permit" });
  }, 600_000);

  it("a year of CGM as CSV: a header and one line per reading, in order", async () => {
    const download = await exportPatientRecord(patient, patientId, "csv");
    expect(download.contentType).toBe("text/csv; charset=utf-8");
    const lines = (await text(download.body)).split("\r\n");
    expect(lines[0]).toBe(CSV_HEADER.trim());
    expect(lines.at(-1)).toBe("");
    expect(lines).toHaveLength(YEAR_OF_CGM + 2);
    expect(lines[1]).toMatch(/^\d+,2025-11-01T01:00:00,\+01:00,80,mg\/dL,80,,interstitial,device,,,1,$/);
  }, 120_000);

  it("a year of CGM as one FHIR Bundle: the Patient, every Observation and the Consent, each valid R4", async () => {
    const download = await exportPatientRecord(guardian, patientId, "fhir");
    expect(download.filename).toMatch(/^lantern-record-\d{4}-\d{2}-\d{2}\.json$/);
    const bundle = JSON.parse(await text(download.body)) as Bundle;
    expect(bundle).toMatchObject({ resourceType: "Bundle", type: "collection" });
    const types = bundle.entry!.map((entry) => entry.resource!.resourceType);
    expect(types.filter((t) => t === "Observation")).toHaveLength(YEAR_OF_CGM);
    expect(types.filter((t) => t === "Patient")).toEqual(["Patient"]);
    expect(types.filter((t) => t === "Consent")).toEqual(["Consent"]);
    const sample = [bundle.entry![0]!.resource!, ...bundle.entry!.filter((e) => e.resource!.resourceType !== "Observation").map((e) => e.resource!), bundle.entry!.at(-1)!.resource!];
    for (const resource of sample) expect(allErrors(resource)).toEqual([]);
    expect(allErrors({ ...bundle, entry: bundle.entry!.slice(0, 50) })).toEqual([]);
  }, 120_000);

  it("is audited as an export of the patient, and refused (404) to anyone who may not export", async () => {
    const exports = await getDb().select().from(auditEvents).where(eq(auditEvents.action, "export"));
    expect(exports.filter((e) => e.patientIds.includes(patientId)).map((e) => [e.actorId, e.outcome, e.purpose])).toEqual([
      [patient.userId, "success", "patient-request"],
      [guardian.userId, "success", "patient-request"],
    ]);
    await expect(exportPatientRecord(clinician, patientId, "csv")).rejects.toMatchObject({ code: "not_found" });
    const stranger = await insertPatientWithAccount((await insertOrganization()).id);
    await expect(exportPatientRecord(stranger.actor, patientId, "fhir")).rejects.toMatchObject({ code: "not_found" });
    await expect(exportPatientRecord(patient, patientId, "xml")).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("restriction and erasure requests", () => {
  let admin: InsertedUser;
  let otherAdmin: InsertedUser;
  let patient: InsertedUser;
  let patientId: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    admin = await insertUser(organization.id, "admin");
    otherAdmin = await insertUser((await insertOrganization()).id, "admin");
    ({ actor: patient, patientId } = await insertPatientWithAccount(organization.id));
  });

  it.each([
    ["2026-01-31T10:00:00Z", "2026-02-28T10:00:00.000Z"],
    ["2028-01-31T10:00:00Z", "2028-02-29T10:00:00.000Z"],
    ["2026-03-15T23:30:00Z", "2026-04-15T23:30:00.000Z"],
    ["2026-12-31T00:00:00Z", "2027-01-31T00:00:00.000Z"],
  ])("a request received %s is due %s (one calendar month)", (received, due) => {
    expect(dueDateOf(new Date(received)).toISOString()).toBe(due);
  });

  it("the patient asks, the admin sees it with its deadline and overdue once past it, and answers with the care-records exemption recorded", async () => {
    const received = new Date("2026-11-01T09:00:00Z");
    const { id, dueAt } = await createPrivacyRequest(patient, patientId, { kind: "erasure", details: "Please delete my readings." }, received);
    expect(dueAt.toISOString()).toBe("2026-12-01T09:00:00.000Z");

    const before = await listPrivacyRequests(admin, new Date("2026-11-20T00:00:00Z"));
    expect(before.map((r) => [r.id, r.kind, r.status, r.overdue])).toEqual([[id, "erasure", "open", false]]);
    const late = await listPrivacyRequests(admin, new Date("2026-12-02T00:00:00Z"));
    expect(late[0]!.overdue).toBe(true);
    expect(await listPrivacyRequests(otherAdmin)).toEqual([]);

    await expect(answerPrivacyRequest(otherAdmin, id, { status: "refused", response: "No.", careRecordsExemption: "yes" })).rejects.toMatchObject({ code: "not_found" });
    await answerPrivacyRequest(admin, id, { status: "refused", response: "Your readings are care records we must keep for 8 years; your marketing data was deleted.", careRecordsExemption: "yes" });
    await expect(answerPrivacyRequest(admin, id, { status: "completed", response: "Done.", careRecordsExemption: "no" })).rejects.toMatchObject({ code: "conflict" });

    const own = await listPatientPrivacyRequests(patient, patientId);
    expect(own.map((r) => [r.kind, r.status, r.careRecordsExemption, r.response])).toEqual([["erasure", "refused", true, expect.stringMatching(/care records/)]]);
  });

  it("refuses bad input with sentences, and requests for a patient one may not see", async () => {
    await expect(createPrivacyRequest(patient, patientId, { kind: "forget", details: "" })).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { kind: ["Choose restriction or erasure."], details: [expect.stringMatching(/Say what/)] },
    });
    const other = await insertPatient(patient.organizationId);
    await expect(createPrivacyRequest(patient, other.id, { kind: "restriction", details: "x" })).rejects.toMatchObject({ code: "not_found" });
    await expect(listPrivacyRequests(patient)).rejects.toMatchObject({ code: "not_found" });
  });
});
