import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alerts, patients, pushOutbox } from "@/db/schema";
import { isAppError } from "@/lib/errors";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { resolveAlert } from "@/lib/monitoring/inbox";
import { correctManualReading } from "@/lib/readings/manual-entry";
import { formatAtOffset } from "@/lib/time/zones";
import { ingestForTest, insertCareTeam, insertOrganization, insertPatient, insertPatientWithAccount, insertUser, type InsertedUser } from "@/test/factories";
import { createHospitalEndpoint, listDeadPushes, listHospitalEndpoints, replayPush } from "./endpoints";
import { deliverDuePushes, LANTERN_OBSERVATION_SYSTEM, MAX_ATTEMPTS } from "./outbox";
import { allErrors } from "@/lib/fhir/testing/fhir-validator";

/** A stand-in hospital FHIR server: records transaction Bundles, or fails on demand. */
function standInHospital() {
  const received: {
    resourceType: string;
    entry: { resource: { resourceType: string; effectiveDateTime: string; identifier: { system: string; value: string }[] } & Record<string, unknown>; request: { method: string; url: string } }[];
  }[] = [];
  let mode: "ok" | "error" = "ok";
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      if (mode === "error") {
        response.writeHead(503, { "content-type": "application/fhir+json" }).end(JSON.stringify({ resourceType: "OperationOutcome", issue: [] }));
        return;
      }
      const bundle = JSON.parse(body) as (typeof received)[number];
      received.push(bundle);
      response.writeHead(200, { "content-type": "application/fhir+json" }).end(JSON.stringify({ resourceType: "Bundle", type: "transaction-response", entry: bundle.entry.map(() => ({ response: { status: "201 Created" } })) }));
    });
  });
  return {
    received,
    failWith: (next: "ok" | "error") => (mode = next),
    start: (port = 0) => new Promise<number>((resolve) => server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const candidates = (from: number, count: number): ReadingCandidate[] =>
  Array.from({ length: count }, (_, i) => ({
    position: i, value: 100 + i, unit: "mg/dL", censored: null, effectiveAt: new Date(Date.parse("2026-11-20T00:00:00Z") + (from + i) * 300_000),
    utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `push:${from + i}`,
  }));

describe("pushing new readings to a hospital's FHIR server", () => {
  const hospital = standInHospital();
  let admin: InsertedUser;
  let patientId: string;
  let port: number;

  beforeAll(async () => {
    const organization = await insertOrganization();
    admin = await insertUser(organization.id, "admin");
    patientId = (await insertPatient(organization.id)).id;
    port = await hospital.start();
    await createHospitalEndpoint(admin, { name: "Riverside", baseUrl: `http://127.0.0.1:${port}/fhir` });
  });
  afterAll(() => hospital.stop());

  const pending = async () =>
    (await getDb().select().from(pushOutbox).where(eq(pushOutbox.patientId, patientId)).orderBy(asc(pushOutbox.id))).filter((item) => item.status !== "delivered");

  it("loses nothing while the hospital is down and delivers in order when it returns", async () => {
    await hospital.stop();
    for (const from of [0, 10, 20]) await ingestForTest(patientId, candidates(from, 10));
    expect(await pending()).toHaveLength(3);

    const now = Date.now();
    expect(await deliverDuePushes(new Date(now))).toBe(0);
    const afterFailure = await pending();
    // Only the head of the patient's queue was tried: later entries wait behind it, keeping order.
    expect(afterFailure.map((item) => item.attempts)).toEqual([1, 0, 0]);
    expect(afterFailure[0]!.lastError).toBe("The hospital's server could not be reached");

    await hospital.start(port);
    expect(await deliverDuePushes(new Date(now + 60_000))).toBe(3);
    expect(await pending()).toHaveLength(0);
    const times = hospital.received.flatMap((bundle) => bundle.entry.map((entry) => Date.parse(entry.resource.effectiveDateTime)));
    expect(times).toHaveLength(30);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const first = hospital.received[0]!.entry[0]!;
    expect(first.request.method).toBe("PUT");
    expect(first.resource.identifier[0]!.system).toBe(LANTERN_OBSERVATION_SYSTEM);
  });

  it("parks a delivery that keeps failing in the dead-letter list, and an admin replays it", async () => {
    hospital.failWith("error");
    await ingestForTest(patientId, candidates(100, 2));
    let clock = Date.now();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      clock += 3_600_000;
      await deliverDuePushes(new Date(clock));
    }
    const dead = await listDeadPushes(admin);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ readings: 2, attempts: MAX_ATTEMPTS, lastError: "The hospital answered HTTP 503" });
    expect(await listHospitalEndpoints(admin)).toEqual([expect.objectContaining({ name: "Riverside", pending: 0, dead: 1 })]);

    hospital.failWith("ok");
    const before = hospital.received.length;
    await replayPush(admin, dead[0]!.id);
    expect(await deliverDuePushes(new Date(clock + 1000))).toBe(1);
    expect(hospital.received.length).toBe(before + 1);
    expect(await listDeadPushes(admin)).toHaveLength(0);
  });

  it("keeps other organizations' admins away from the dead letters", async () => {
    const stranger = await insertUser((await insertOrganization()).id, "admin");
    expect(await listDeadPushes(stranger)).toEqual([]);
    expect(isAppError(await replayPush(stranger, 1).catch((e: unknown) => e), "not_found")).toBe(true);
  });
});

describe("pushing alert changes to a hospital's FHIR server as Flags", () => {
  const hospital = standInHospital();
  let patientId: string;
  let hospitalPort: number;

  /** CGM every 5 minutes, ending `endsAt`. */
  const trace = (values: readonly number[], endsAt: number): ReadingCandidate[] =>
    values.map((value, i) => {
      const at = endsAt - (values.length - 1 - i) * 300_000;
      return { position: i, value, unit: "mg/dL", censored: null, effectiveAt: new Date(at), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `flag:${at}` };
    });

  beforeAll(async () => {
    const organization = await insertOrganization();
    const admin = await insertUser(organization.id, "admin");
    patientId = (await insertPatient(organization.id, { birthDate: "1980-01-01" })).id;
    hospitalPort = await hospital.start();
    await createHospitalEndpoint(admin, { name: "Riverside", baseUrl: `http://127.0.0.1:${hospitalPort}/fhir` });
  });
  afterAll(() => hospital.stop());

  const flagsReceived = () => hospital.received.flatMap((bundle) => bundle.entry).filter((entry) => entry.resource.resourceType === "Flag");

  it("queues the alert in the transaction that opens it, after its readings, and sends it as a conditional update of a valid Flag", async () => {
    const start = Date.now() - 3_600_000;
    await ingestForTest(patientId, trace([110, 52, 48, 45, 47, 50], start));
    const queued = await getDb().select().from(pushOutbox).where(eq(pushOutbox.patientId, patientId)).orderBy(asc(pushOutbox.id));
    expect(queued[0]!.readingIds).toHaveLength(6);
    expect(queued.slice(1).every((item) => item.readingIds.length === 0 && item.alertIds.length === 1)).toBe(true);
    expect(queued.length).toBeGreaterThan(1);

    expect(await deliverDuePushes(new Date())).toBe(queued.length);
    const flags = flagsReceived();
    expect(flags.length).toBe(queued.length - 1);
    for (const { resource, request } of flags) {
      const alertId = (resource.identifier as { system: string; value: string }[])[0]!;
      expect(alertId.system).toBe("urn:lantern:alert");
      expect([request.method, request.url]).toEqual(["PUT", `Flag?identifier=${encodeURIComponent(`urn:lantern:alert|${alertId.value}`)}`]);
      expect(resource).toMatchObject({ status: "active", subject: { reference: `Patient/${patientId}` } });
      expect(resource).not.toHaveProperty("id");
      expect(allErrors(resource as never)).toEqual([]);
    }
    const levelTwo = flags.find((flag) => JSON.stringify(flag.resource.code).includes("hypo-level-2"))!.resource;
    expect(levelTwo.extension).toEqual([{ url: "http://hl7.org/fhir/StructureDefinition/flag-detail", valueReference: { type: "Observation", identifier: { system: LANTERN_OBSERVATION_SYSTEM, value: expect.any(String) } } }]);
  });

  it("sends the Flag again when the episode ends, with the end of its period", async () => {
    const before = flagsReceived().length;
    await ingestForTest(patientId, trace([110, 115, 120, 125], Date.now() - 3_600_000 + 20 * 60_000));
    // The stand-in closes idle keep-alive sockets after 5 s: a first try may meet a closed one, and the outbox retries.
    await deliverDuePushes(new Date());
    await deliverDuePushes(new Date(Date.now() + 60_000));
    expect(await getDb().select().from(pushOutbox).where(and(eq(pushOutbox.patientId, patientId), eq(pushOutbox.status, "pending")))).toEqual([]);
    const updates = flagsReceived().slice(before);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.some((flag) => (flag.resource.period as { end?: string }).end !== undefined)).toBe(true);
  });

  it("sends the Flag as inactive once a clinician resolves the ended alert", async () => {
    const organizationId = (await getDb().select({ organizationId: patients.organizationId }).from(patients).where(eq(patients.id, patientId)))[0]!.organizationId;
    const clinician = await insertUser(organizationId, "clinician");
    await insertCareTeam(organizationId, { clinicianUserIds: [clinician.userId], patientIds: [patientId] });
    const [ended] = await getDb().select({ id: alerts.id }).from(alerts).where(and(eq(alerts.patientId, patientId), eq(alerts.kind, "hypo-level-2"), isNotNull(alerts.endedAt)));
    const before = flagsReceived().length;
    await resolveAlert(clinician, ended!.id);
    await deliverDuePushes(new Date());
    await deliverDuePushes(new Date(Date.now() + 60_000));
    const sent = flagsReceived()
      .slice(before)
      .filter((flag) => (flag.resource.identifier as { value: string }[])[0]!.value === String(ended!.id));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.resource.status).toBe("inactive");
  });
  it("sends a withdrawn alert as a Flag entered-in-error, so the hospital withdraws it too", async () => {
    const organization = await insertOrganization();
    const admin = await insertUser(organization.id, "admin");
    const { actor: patient, patientId: ownId } = await insertPatientWithAccount(organization.id, { timezone: "UTC" });
    await createHospitalEndpoint(admin, { name: "Riverside", baseUrl: `http://127.0.0.1:${hospitalPort}/fhir` });
    // A single fingerstick below 54 mg/dL alerts at once; corrected to 120, it was never a low.
    const takenAt = new Date(Date.now() - 10 * 60_000);
    const { insertedIds } = await ingestForTest(ownId, [{ position: 0, value: 45, unit: "mg/dL", censored: null, effectiveAt: takenAt, utcOffsetMinutes: 0, specimen: "capillary", dedupeKey: null }], new Date(), "manual");
    const [alert] = await getDb().select({ id: alerts.id }).from(alerts).where(and(eq(alerts.patientId, ownId), eq(alerts.kind, "hypo-level-2")));
    expect(alert).toBeDefined();
    await deliverDuePushes(new Date());
    await deliverDuePushes(new Date(Date.now() + 60_000));
    const ofAlert = () => flagsReceived().filter((flag) => (flag.resource.identifier as { value: string }[])[0]!.value === String(alert!.id));
    expect(ofAlert().map((flag) => flag.resource.status)).toEqual(["active"]);

    await correctManualReading(patient, ownId, insertedIds[0]!, { value: "120", unit: "mg/dL", takenAt: formatAtOffset(takenAt, 0).replace(" ", "T"), mealContext: "", note: "" });
    const [withdrawn] = await getDb().select({ withdrawnAt: alerts.withdrawnAt, mergedIntoId: alerts.mergedIntoId }).from(alerts).where(eq(alerts.id, alert!.id));
    expect(withdrawn!.withdrawnAt ?? withdrawn!.mergedIntoId).not.toBeNull();
    await deliverDuePushes(new Date());
    await deliverDuePushes(new Date(Date.now() + 60_000));
    const sent = ofAlert();
    expect(sent.map((flag) => flag.resource.status)).toEqual(["active", "entered-in-error"]);
    expect(sent[1]!.request).toEqual({ method: "PUT", url: `Flag?identifier=${encodeURIComponent(`urn:lantern:alert|${alert!.id}`)}` });
    expect(allErrors(sent[1]!.resource as never)).toEqual([]);
  });
});
