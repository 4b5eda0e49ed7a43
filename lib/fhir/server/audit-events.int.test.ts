import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as searchAuditEventsRoute } from "@/app/fhir/AuditEvent/route";
import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { toFhirAuditEvent } from "@/lib/fhir/audit-event";
import { allErrors } from "@/lib/fhir/testing/fhir-validator";
import { getVisiblePatient } from "@/lib/patients/queries";
import { insertBackendClientToken, insertCareTeam, insertOrganization, insertPatient, insertUser } from "@/test/factories";
import { auditEventSearch } from "./audit-event-search";
import { readAuditEvent, searchAuditEvents } from "./audit-events";
import { parseSearch } from "./search/framework";

/**
 * The audit trail as FHIR AuditEvent for privacy officers: search by patient and date, read,
 * organization boundaries, who else is refused, and validation of what is served.
 */

const searchOf = (query: string) => {
  const search = parseSearch(auditEventSearch, new URLSearchParams(query), "strict");
  if ("error" in search) throw new Error(search.error);
  return search;
};

let officer: UserActor;
let clinician: UserActor;
let patientId: string;
let otherPatientId: string;
let startedAt: Date;

beforeAll(async () => {
  const organizationId = (await insertOrganization()).id;
  officer = await insertUser(organizationId, "privacy_officer");
  clinician = await insertUser(organizationId, "clinician");
  patientId = (await insertPatient(organizationId)).id;
  otherPatientId = (await insertPatient(organizationId)).id;
  await insertCareTeam(organizationId, { clinicianUserIds: [clinician.userId], patientIds: [patientId, otherPatientId] });
  startedAt = new Date(Date.now() - 1000);
  await getVisiblePatient(clinician, patientId);
  await getVisiblePatient(clinician, otherPatientId);
  // A refusal is on the trail too: a clinician outside the care team.
  const outsider = await insertUser(organizationId, "clinician");
  await getVisiblePatient(outsider, patientId).catch(() => undefined);
});

describe("AuditEvent for privacy officers", () => {
  it("finds who accessed a patient's record, as valid IHE BALP style AuditEvents", async () => {
    const page = await searchAuditEvents(officer, searchOf(`patient=Patient/${patientId}`));
    const events = page.rows.map(toFhirAuditEvent);
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const event of events) {
      expect(allErrors(event)).toEqual([]);
      expect(event.entity!.map((entity) => entity.what?.reference)).toContain(`Patient/${patientId}`);
      expect(event.entity!.map((entity) => entity.what?.reference)).not.toContain(`Patient/${otherPatientId}`);
    }
    const read = events.find((event) => event.outcome === "0" && event.agent[0]!.who?.identifier?.value === clinician.userId)!;
    expect(read).toMatchObject({
      resourceType: "AuditEvent",
      type: { system: "http://terminology.hl7.org/CodeSystem/audit-event-type", code: "rest" },
      subtype: [{ system: "http://hl7.org/fhir/restful-interaction", code: "read" }, { system: "urn:lantern:audit-action", code: "read" }],
      action: "R",
      outcome: "0",
      purposeOfEvent: [{ coding: [{ code: "TREAT" }] }],
      agent: [{ who: { identifier: { system: "urn:lantern:user", value: clinician.userId }, display: clinician.displayName }, requestor: true, role: [{ text: "clinician" }] }],
      source: { observer: { display: "Lantern" } },
    });
    expect(Date.parse(read.recorded)).toBeGreaterThanOrEqual(startedAt.getTime());
    const refused = events.find((event) => event.outcome === "4");
    expect(refused).toMatchObject({ outcomeDesc: "Refused: outside what the actor may see or do", action: "R" });
  });

  it("searches by date: events recorded in the range only", async () => {
    const inRange = await searchAuditEvents(officer, searchOf(`patient=${patientId}&date=ge${startedAt.toISOString()}&date=lt${new Date(Date.now() + 60_000).toISOString()}`));
    expect(inRange.rows.length).toBeGreaterThanOrEqual(2);
    expect(inRange.rows.every((row) => row.occurredAt.getTime() >= startedAt.getTime())).toBe(true);
    const before = await searchAuditEvents(officer, searchOf(`patient=${patientId}&date=lt2020-01-01`));
    expect(before.rows).toEqual([]);
  });

  it("reads one event by id; an event of another organization does not exist for the officer", async () => {
    const [row] = (await searchAuditEvents(officer, searchOf(`patient=${patientId}&_count=1`))).rows;
    expect((await readAuditEvent(officer, String(row!.seq))).seq).toBe(row!.seq);
    const strangerOfficer = await insertUser((await insertOrganization()).id, "privacy_officer");
    await expect(readAuditEvent(strangerOfficer, String(row!.seq))).rejects.toMatchObject({ code: "not_found" });
    expect((await searchAuditEvents(strangerOfficer, searchOf(`patient=${patientId}`))).rows).toEqual([]);
  });

  it("is refused to clinicians and admins (404) and to hospital systems whatever their scopes (403)", async () => {
    await expect(searchAuditEvents(clinician, searchOf(`patient=${patientId}`))).rejects.toMatchObject({ code: "not_found" });
    const admin = await insertUser(clinician.organizationId, "admin");
    await expect(readAuditEvent(admin, "1")).rejects.toMatchObject({ code: "not_found" });
    const token = await insertBackendClientToken(clinician.organizationId, ["system/*.cruds"]);
    const response = await searchAuditEventsRoute(new Request(`http://lantern.test/fhir/AuditEvent?patient=${patientId}`, { headers: { authorization: `Bearer ${token}` } }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ resourceType: "OperationOutcome", issue: [{ diagnostics: "This interaction is not available to backend clients." }] });
  });

  it("puts the officer's own searches on the trail", async () => {
    await searchAuditEvents(officer, searchOf(`patient=${patientId}`));
    const own = await getDb().select().from(auditEvents).where(and(eq(auditEvents.actorId, officer.userId), eq(auditEvents.resourceType, "AuditEvent")));
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((event) => event.purpose === "oversight" && event.outcome === "success")).toBe(true);
  });
});
