import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as deviceReadingsRoute } from "@/app/api/devices/readings/route";
import { POST as uploaderEntriesRoute } from "@/app/api/v1/entries/route";
import { GET as patientExportRoute } from "@/app/fhir/Patient/$export/route";
import { GET as searchObservationsRoute, POST as createObservationRoute } from "@/app/fhir/Observation/route";
import { GET as readPatientRoute } from "@/app/fhir/Patient/[id]/route";
import { getDb, rowsOf } from "@/db/client";
import { auditEvents, backendAccessTokens, backendClients, devices } from "@/db/schema";
import { internalOrigin, type UserActor } from "@/lib/access/actor";
import { addClinicianToCareTeam, assignPatientToCareTeam, createCareTeam, createStaffAccount } from "@/lib/admin/organization";
import { authenticate } from "@/lib/auth/authenticate";
import { createHospitalEndpoint } from "@/lib/fhir/push/endpoints";
import { deliverDuePushes } from "@/lib/fhir/push/outbox";
import { registerBackendClient } from "@/lib/fhir/smart/clients";
import { importReadingsFile } from "@/lib/imports/file-import";
import { getVisiblePatient, listVisiblePatients } from "@/lib/patients/queries";
import { addManualReading, correctManualReading } from "@/lib/readings/manual-entry";
import { hashPassword } from "@/lib/security/password-hashing";
import { generateToken, sha1Hex, sha256Hex } from "@/lib/security/tokens";
import { createUploaderSecret } from "@/lib/uploader/credentials";
import { insertCareTeam, insertOrganization, insertPatient, insertPatientWithAccount, insertUser, originFrom, type InsertedUser } from "@/test/factories";
import { verifyAuditChain } from "./verify";

/**
 * Every door writes its audit events through the data layer: one per request or batch, with who,
 * which patients, what, the outcome, the source address and the request id; refusals too. Each
 * request below carries its own request id, so its events are found by it.
 */

type EventRow = typeof auditEvents.$inferSelect;

async function eventsOfRequest(requestId: string): Promise<EventRow[]> {
  return getDb().select().from(auditEvents).where(eq(auditEvents.requestId, requestId)).orderBy(asc(auditEvents.seq));
}

/** The events written while `act` ran for an actor (their origin's request id). */
async function eventsOf(actor: { origin: { requestId: string } }): Promise<EventRow[]> {
  return eventsOfRequest(actor.origin.requestId);
}

/** A fresh request origin for an actor, so each step's events stand apart. */
function fresh<A extends { origin: unknown }>(actor: A): A {
  return { ...actor, origin: internalOrigin() };
}

function requestIdOf(response: Response): string {
  const id = response.headers.get("x-request-id");
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id!;
}

let organizationId: string;
let admin: InsertedUser;
let clinician: InsertedUser;
let patient: UserActor;
let patientId: string;
let strangerId: string;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  admin = await insertUser(organizationId, "admin");
  clinician = await insertUser(organizationId, "clinician");
  const owner = await insertPatientWithAccount(organizationId);
  patient = owner.actor;
  patientId = owner.patientId;
  strangerId = (await insertPatient(organizationId)).id;
  await insertCareTeam(organizationId, { clinicianUserIds: [clinician.userId], patientIds: [patientId] });
});

describe("pages and server actions (the data layer called with the signed-in user)", () => {
  it("records a read with the patient, the actor and where the request came from", async () => {
    const reader = { ...clinician, origin: originFrom("198.51.100.7") };
    await getVisiblePatient(reader, patientId);
    const [event] = await eventsOf(reader);
    expect(event).toMatchObject({
      actorKind: "user", actorId: clinician.userId, actorRole: "clinician", organizationId, patientIds: [patientId],
      action: "read", resourceType: "Patient", purpose: "care", outcome: "success", sourceAddress: "198.51.100.7",
    });
  });

  it("records a refusal: a patient outside the visibility rule is a 404 and a denied event naming who was asked for", async () => {
    const reader = fresh(clinician);
    await expect(getVisiblePatient(reader, strangerId)).rejects.toMatchObject({ code: "not_found" });
    expect(await eventsOf(reader)).toEqual([expect.objectContaining({ action: "read", resourceType: "Patient", outcome: "denied", patientIds: [strangerId] })]);
  });

  it("records a refusal by the permission table: an admin reading glucose values", async () => {
    const reader = fresh(admin);
    await expect(addManualReading(reader, patientId, { value: "100", unit: "mg/dL", takenAt: "2026-01-01T08:00" })).rejects.toMatchObject({ code: "not_found" });
    expect(await eventsOf(reader)).toEqual([expect.objectContaining({ actorRole: "admin", action: "create", outcome: "denied" })]);
  });

  it("records a list with every patient it showed, and no health value or name anywhere in the row", async () => {
    const reader = fresh(clinician);
    const listed = await listVisiblePatients(reader);
    const [event] = await eventsOf(reader);
    expect(event).toMatchObject({ action: "search", resourceType: "Patient", outcome: "success" });
    expect([...event!.patientIds].sort()).toEqual(listed.map((row) => row.id).sort());
    const text = JSON.stringify(event);
    for (const row of listed) {
      expect(text).not.toContain(row.familyName);
      expect(text).not.toContain(row.givenName);
    }
  });

  it("records a hand entry and its correction; the correction reaches hospitals as a new version through the outbox", async () => {
    const writer = fresh(patient);
    const { readingId } = await addManualReading(writer, patientId, { value: "187", unit: "mg/dL", takenAt: "2026-11-01T08:00", note: "after a run" });
    const corrector = fresh(patient);
    await createHospitalEndpoint(fresh(admin), { name: "Audit test EHR", baseUrl: "http://127.0.0.1:9/fhir" });
    await correctManualReading(corrector, patientId, readingId, { value: "178", unit: "mg/dL", takenAt: "2026-11-01T08:00", note: "after a run" });
    expect(await eventsOf(writer)).toEqual([expect.objectContaining({ action: "create", resourceType: "Observation", patientIds: [patientId], outcome: "success" })]);
    expect(await eventsOf(corrector)).toEqual([expect.objectContaining({ action: "update", resourceType: "Observation", resourceId: String(readingId), outcome: "success" })]);
    // The readings' entry (alert changes the correction caused are queued after it, with no readings).
    const queued = rowsOf<{ reading_ids: string[] | number[] }>(await getDb().execute(sql`select reading_ids from push_outbox where patient_id = ${patientId} and cardinality(reading_ids) > 0 order by id desc limit 1`));
    expect(queued[0]!.reading_ids.map(Number)).toEqual([readingId]);
    const text = JSON.stringify([...(await eventsOf(writer)), ...(await eventsOf(corrector))]);
    expect(text).not.toContain("187");
    expect(text).not.toContain("after a run");
  });

  it("records access-granting admin actions: staff accounts, care teams and their members and patients, backend clients, hospital endpoints", async () => {
    const actor = fresh(admin);
    const { email } = await createStaffAccount(actor, { displayName: "New Nurse", email: `nurse-${Date.now()}@test.lantern.example`, role: "clinician" }, "https://lantern.test");
    const { careTeamId } = await createCareTeam(actor, { name: `Team ${Date.now()}` });
    const nurse = await getDb().execute(sql`select id from users where email = ${email}`);
    const nurseId = rowsOf<{ id: string }>(nurse)[0]!.id;
    await assignPatientToCareTeam(actor, { careTeamId, patientId });
    await addClinicianToCareTeam(actor, { careTeamId, clinicianUserId: nurseId });
    await registerBackendClient(actor, { name: "Audit EHR", jwksUrl: "https://ehr.example.org/jwks.json", scopes: ["system/Patient.rs"] });
    // Outbound destinations must match the allowlist, which by default holds this machine only.
    await createHospitalEndpoint(actor, { name: "Audit push", baseUrl: "http://127.0.0.1:1/fhir" });
    const events = await eventsOf(actor);
    expect(events.map((event) => [event.action, event.resourceType, event.purpose])).toEqual([
      ["grant", "User", "administration"],
      ["create", "CareTeam", "administration"],
      ["grant", "CareTeam", "administration"],
      ["grant", "CareTeam", "administration"],
      ["grant", "BackendClient", "administration"],
      ["grant", "Endpoint", "administration"],
    ]);
    // Adding the clinician grants them the team's patients: the event names those patients.
    expect(events[3]!.patientIds).toEqual([patientId]);
    expect(events[0]!.resourceId).toBe(nurseId);
  });
});

describe("sign-in", () => {
  it("records success as the user and failure as an anonymous caller naming the account tried", async () => {
    const password = "tundra kettle orbit saffron 4";
    const user = await insertUser(organizationId, "clinician", { passwordHash: await hashPassword(password) });
    const good = originFrom("203.0.113.5");
    const bad = originFrom("203.0.113.6");
    const unknown = originFrom("203.0.113.8");
    expect(await authenticate(user.email, password, good)).toEqual({ userId: user.userId });
    expect(await authenticate(user.email, "not the password", bad)).toBeNull();
    expect(await authenticate("nobody@test.lantern.example", password, unknown)).toBeNull();
    expect(await eventsOfRequest(good.requestId)).toEqual([expect.objectContaining({ actorKind: "user", actorId: user.userId, action: "sign-in", outcome: "success", sourceAddress: "203.0.113.5" })]);
    expect(await eventsOfRequest(bad.requestId)).toEqual([expect.objectContaining({ actorKind: "anonymous", actorId: user.userId, action: "sign-in", outcome: "failure" })]);
    expect(await eventsOfRequest(unknown.requestId)).toEqual([expect.objectContaining({ actorKind: "anonymous", actorId: null, organizationId: null, outcome: "failure" })]);
  });
});

describe("the device door", () => {
  it("records one event per batch, not per reading, in the statement that stores it", async () => {
    const token = generateToken("lnt_dev");
    const [device] = await getDb()
      .insert(devices)
      .values({ patientId, kind: "cgm", model: "Audit CGM", serialNumber: `AUD-${Date.now()}`, tokenHash: sha256Hex(token), tokenIssuedAt: new Date() })
      .returning({ id: devices.id });
    const readings = Array.from({ length: 12 }, (_, i) => ({ time: new Date(Date.now() - (i + 1) * 300_000).toISOString(), value: 120 + i, unit: "mg/dL", seq: i }));
    const response = await deviceReadingsRoute(
      new Request("http://lantern.test/api/devices/readings", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ readings }) }),
    );
    expect(response.status).toBe(200);
    expect(await eventsOfRequest(requestIdOf(response))).toEqual([
      expect.objectContaining({ actorKind: "device", actorId: device!.id, patientIds: [patientId], action: "create", resourceType: "Observation", outcome: "success" }),
    ]);
  });
});

describe("the uploader door", () => {
  it("records the upload as the uploader app acting for its patient", async () => {
    const { secret } = await createUploaderSecret(fresh(patient), patientId);
    const date = Date.now() - 600_000;
    const response = await uploaderEntriesRoute(
      new Request("http://lantern.test/api/v1/entries", {
        method: "POST",
        headers: { "content-type": "application/json", "api-secret": sha1Hex(secret) },
        body: JSON.stringify([{ type: "sgv", sgv: 133, date, dateString: new Date(date).toISOString() }]),
      }),
    );
    expect(response.status).toBe(200);
    expect(await eventsOfRequest(requestIdOf(response))).toEqual([expect.objectContaining({ actorKind: "uploader", actorId: patientId, patientIds: [patientId], action: "create" })]);
  });
});

describe("the file door", () => {
  it("records each committed batch, and a refusal for a patient outside the actor's view", async () => {
    const lines = ["time,value,unit", ...Array.from({ length: 7 }, (_, i) => `2026-10-0${i + 1}T08:00:00+00:00,${100 + i},mg/dL`)];
    const importer = fresh(patient);
    const summary = await importReadingsFile(importer, patientId, new Blob([lines.join("\n")]).stream(), "commit");
    expect(summary.accepted).toBe(7);
    expect(await eventsOf(importer)).toEqual([expect.objectContaining({ action: "create", resourceType: "Observation", patientIds: [patientId], outcome: "success" })]);

    const intruder = fresh(patient);
    await expect(importReadingsFile(intruder, strangerId, new Blob([lines.join("\n")]).stream(), "commit")).rejects.toMatchObject({ code: "not_found" });
    expect(await eventsOf(intruder)).toEqual([expect.objectContaining({ action: "create", outcome: "denied", patientIds: [strangerId] })]);
  });
});

describe("the FHIR door", () => {
  let token: string;
  let clientId: string;

  beforeAll(async () => {
    const [client] = await getDb().insert(backendClients).values({ organizationId, name: "Audit EHR", jwks: { keys: [] }, allowedScopes: ["system/Patient.rs", "system/Observation.rs", "system/Observation.cu"] }).returning({ id: backendClients.id });
    clientId = client!.id;
    token = generateToken("lnt_at");
    await getDb().insert(backendAccessTokens).values({ tokenHash: sha256Hex(token), clientId, scopes: ["system/Patient.rs", "system/Observation.rs", "system/Observation.cu"], expiresAt: new Date(Date.now() + 300_000) });
  });

  const fhir = (path: string, init: RequestInit = {}) =>
    new Request(`http://lantern.test/fhir${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/fhir+json", ...init.headers } });

  it("records reads, refusals, searches with the patients on the page, writes and exports", async () => {
    const read = await readPatientRoute(fhir(`/Patient/${patientId}`), { params: Promise.resolve({ id: patientId }) });
    expect(read.status).toBe(200);
    expect(await eventsOfRequest(requestIdOf(read))).toEqual([expect.objectContaining({ actorKind: "backend-client", actorId: clientId, action: "read", resourceType: "Patient", patientIds: [patientId], outcome: "success" })]);

    const foreign = (await insertPatient((await insertOrganization()).id)).id;
    const refused = await readPatientRoute(fhir(`/Patient/${foreign}`), { params: Promise.resolve({ id: foreign }) });
    expect(refused.status).toBe(404);
    expect(await eventsOfRequest(requestIdOf(refused))).toEqual([expect.objectContaining({ action: "read", outcome: "denied", patientIds: [foreign] })]);

    const search = await searchObservationsRoute(fhir(`/Observation?patient=${patientId}&_count=5`));
    expect(search.status).toBe(200);
    expect(await eventsOfRequest(requestIdOf(search))).toEqual([expect.objectContaining({ action: "search", resourceType: "Observation", patientIds: [patientId] })]);

    const created = await createObservationRoute(
      fhir("/Observation", {
        method: "POST",
        body: JSON.stringify({
          resourceType: "Observation", status: "final", subject: { reference: `Patient/${patientId}` },
          code: { coding: [{ system: "http://loinc.org", code: "99504-3" }] }, effectiveDateTime: "2026-11-02T10:00:00+01:00",
          valueQuantity: { value: 144, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
        }),
      }),
    );
    expect(created.status).toBe(201);
    expect(await eventsOfRequest(requestIdOf(created))).toEqual([expect.objectContaining({ action: "create", resourceType: "Observation", patientIds: [patientId] })]);

    const kickOff = await patientExportRoute(fhir("/Patient/$export?_type=Patient", { headers: { prefer: "respond-async" } }));
    expect(kickOff.status).toBe(202);
    const exportRequest = requestIdOf(kickOff);
    for (let attempt = 0; attempt < 200 && (await eventsOfRequest(exportRequest)).length < 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
    const exportEvents = await eventsOfRequest(exportRequest);
    expect(exportEvents.map((event) => event.action)).toEqual(["export", "export"]);
    expect(exportEvents[1]!.patientIds).toEqual(expect.arrayContaining([patientId, strangerId]));
  });
});

describe("pushes to hospital FHIR servers", () => {
  let hospital: Server;
  afterAll(() => new Promise<void>((resolve) => hospital.close(() => resolve())));

  it("records each delivery as a disclosure for sharing, with its outcome", async () => {
    const org = (await insertOrganization()).id;
    const pushAdmin = await insertUser(org, "admin");
    const owner = await insertPatientWithAccount(org);
    hospital = createServer((request, response) => {
      request.resume();
      request.on("end", () => response.writeHead(200, { "content-type": "application/fhir+json" }).end(JSON.stringify({ resourceType: "Bundle", type: "transaction-response", entry: [] })));
    });
    await new Promise<void>((resolve) => hospital.listen(0, "127.0.0.1", resolve));
    const { endpointId } = await createHospitalEndpoint(pushAdmin, { name: "Push EHR", baseUrl: `http://127.0.0.1:${(hospital.address() as AddressInfo).port}/fhir` });
    await addManualReading(owner.actor, owner.patientId, { value: "99", unit: "mg/dL", takenAt: "2026-11-03T09:00" });
    await deliverDuePushes(new Date(Date.now() + 1000));
    const disclosures = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "disclose"), eq(auditEvents.resourceId, endpointId)));
    expect(disclosures).toEqual([expect.objectContaining({ actorKind: "system", actorRole: "hospital-push", organizationId: org, patientIds: [owner.patientId], purpose: "sharing", outcome: "success" })]);
  });
});

describe("the chain", () => {
  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    for (const statement of [sql`update audit_events set action = 'read' where seq = 1`, sql`delete from audit_events where seq = 1`, sql`truncate audit_events`]) {
      await expect(getDb().execute(statement)).rejects.toThrow();
    }
  });

  it("verifies on a clean run, names the first row changed behind the triggers' back, and verifies again once it is put back", async () => {
    const before = await verifyAuditChain(getDb());
    expect(before).toMatchObject({ ok: true });
    expect(before.ok && before.verified).toBeGreaterThan(10);

    const victim = fresh(clinician);
    await getVisiblePatient(victim, patientId);
    const [row] = await eventsOf(victim);
    const tamper = (action: string) =>
      getDb().transaction(async (tx) => {
        await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
        await tx.execute(sql`update audit_events set action = ${action} where seq = ${row!.seq}`);
        await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
      });
    await tamper("search");
    const broken = await verifyAuditChain(getDb());
    expect(broken).toMatchObject({ ok: false, seq: row!.seq });
    expect(!broken.ok && broken.problem).toMatch(/changed after it was written/);

    await tamper("read");
    expect(await verifyAuditChain(getDb())).toMatchObject({ ok: true });
  });

  it("catches rows removed from the end, given an anchor", async () => {
    const last = await verifyAuditChain(getDb());
    if (!last.ok || last.lastSeq === null) throw new Error("the chain should verify");
    expect(await verifyAuditChain(getDb(), { seq: last.lastSeq, hash: last.lastHash })).toMatchObject({ ok: true });
    expect(await verifyAuditChain(getDb(), { seq: last.lastSeq, hash: "0".repeat(64) })).toMatchObject({ ok: false, seq: last.lastSeq });
    expect(await verifyAuditChain(getDb(), { seq: last.lastSeq + 1_000_000, hash: last.lastHash })).toMatchObject({ ok: false, problem: expect.stringMatching(/removed from the end/) });
  });
});
