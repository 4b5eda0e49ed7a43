import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db/client";
import { hospitalEndpoints, patients } from "@/db/schema";
import { dataKeyring } from "@/lib/config";
import { createHospitalEndpoint } from "@/lib/fhir/push/endpoints";
import { deliverDuePushes } from "@/lib/fhir/push/outbox";
import { createNotificationChannel } from "@/lib/monitoring/channels";
import { type DataKeyring, isSealed, open, sealingKeyId } from "@/lib/security/data-encryption";
import { lookupsFor, openFrom, sealedRecordNumber, sealingContext } from "@/lib/security/sealed-columns";
import { ingestForTest, insertOrganization, insertPatient, insertUser, type InsertedUser } from "@/test/factories";
import { assertDataKeysPresent, dataKeyUsage, resealColumns } from "./encryption-at-rest";

const BEARER = "hospital-bearer-token-3f9c2a";

/** A stand-in hospital FHIR server that remembers the Authorization header of each push. */
function hospitalRecordingAuthorization() {
  const authorizations: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    request.resume().on("end", () => response.writeHead(200, { "content-type": "application/fhir+json" }).end(JSON.stringify({ resourceType: "Bundle", type: "transaction-response", entry: [] })));
  });
  return {
    authorizations,
    start: () => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function storedBearerToken(endpointId: string): Promise<string> {
  const [row] = rowsOf<{ bearer_token: string }>(await getDb().execute(sql`select bearer_token from hospital_endpoints where id = ${endpointId}`));
  return row!.bearer_token;
}

describe("stored outbound credentials, encrypted at rest", () => {
  const hospital = hospitalRecordingAuthorization();
  let admin: InsertedUser;
  let patientId: string;
  let endpointId: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    admin = await insertUser(organization.id, "admin");
    patientId = (await insertPatient(organization.id)).id;
    const port = await hospital.start();
    ({ endpointId } = await createHospitalEndpoint(admin, { name: "Riverside", baseUrl: `http://127.0.0.1:${port}/fhir`, bearerToken: BEARER }));
  });
  afterAll(() => hospital.stop());

  it("keeps a hospital's bearer token only sealed, and sends it in clear to the hospital", async () => {
    const stored = await storedBearerToken(endpointId);
    expect(isSealed(stored)).toBe(true);
    expect(stored).not.toContain(BEARER);
    expect(JSON.stringify(rowsOf(await getDb().execute(sql`select * from hospital_endpoints where id = ${endpointId}`)))).not.toContain(BEARER);

    await ingestForTest(patientId, [{ position: 0, value: 120, unit: "mg/dL", censored: null, effectiveAt: new Date("2026-11-30T10:00:00Z"), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: "sealed-bearer:1" }]);
    await deliverDuePushes();
    expect(hospital.authorizations).toContain(`Bearer ${BEARER}`);
  });

  it("keeps a webhook's signing secret only sealed", async () => {
    const { channelId, signingSecret } = await createNotificationChannel(admin, { kind: "webhook", name: "On-call", target: "http://127.0.0.1:9/lantern" });
    const [row] = rowsOf<{ signing_secret: string }>(await getDb().execute(sql`select signing_secret from notification_channels where id = ${channelId}`));
    expect(isSealed(row!.signing_secret)).toBe(true);
    expect(row!.signing_secret).not.toContain(signingSecret!.slice(6));
    expect(openFrom("notificationChannelSigningSecret", row!.signing_secret)).toBe(signingSecret);
  });

  it("seals, at start-up, values stored in plaintext before the column was encrypted, once", async () => {
    const [legacy] = await getDb()
      .insert(hospitalEndpoints)
      .values({ organizationId: admin.organizationId, name: "Stored before encryption", baseUrl: "http://127.0.0.1:9/fhir", bearerTokenSealed: "legacy-plaintext-token" })
      .returning({ id: hospitalEndpoints.id });
    expect((await dataKeyUsage(getDb())).some((usage) => usage.keyId === null)).toBe(true);

    const report = await resealColumns(getDb(), { rotate: false });
    expect(report.find((entry) => entry.column === "hospital_endpoints.bearer_token")!.resealed).toBeGreaterThanOrEqual(1);
    const stored = await storedBearerToken(legacy!.id);
    expect(stored).not.toContain("legacy-plaintext-token");
    expect(openFrom("hospitalEndpointBearerToken", stored)).toBe("legacy-plaintext-token");
    expect((await dataKeyUsage(getDb())).some((usage) => usage.keyId === null)).toBe(false);

    // Idempotent: the sealed value is left as it is.
    await resealColumns(getDb(), { rotate: false });
    expect(await storedBearerToken(legacy!.id)).toBe(stored);
  });
});

async function storedRecordNumber(patientId: string): Promise<{ medical_record_number: string; medical_record_number_index: string }> {
  const [row] = rowsOf<{ medical_record_number: string; medical_record_number_index: string }>(
    await getDb().execute(sql`select medical_record_number, medical_record_number_index from patients where id = ${patientId}`),
  );
  return row!;
}

async function patientsWithRecordNumber(recordNumber: string): Promise<string[]> {
  return (await getDb().select({ id: patients.id }).from(patients).where(inArray(patients.medicalRecordNumberIndex, lookupsFor("patientMedicalRecordNumber", recordNumber)))).map((row) => row.id);
}

describe("patients' record numbers, encrypted at rest and found through a blind index", () => {
  it("stores no record number in clear, and finds the patient by it, ignoring case", async () => {
    const organization = await insertOrganization();
    const patientId = (await insertPatient(organization.id)).id;
    const recordNumber = `MRN-${patientId.slice(0, 8)}`;
    await getDb().update(patients).set(sealedRecordNumber(recordNumber)).where(eq(patients.id, patientId));
    const stored = await storedRecordNumber(patientId);
    expect(isSealed(stored.medical_record_number)).toBe(true);
    expect(JSON.stringify(rowsOf(await getDb().execute(sql`select * from patients where id = ${patientId}`)))).not.toContain(recordNumber);
    expect(await patientsWithRecordNumber(recordNumber)).toEqual([patientId]);
    expect(await patientsWithRecordNumber(` ${recordNumber.toLowerCase()} `)).toEqual([patientId]);
    expect(await patientsWithRecordNumber(`${recordNumber}0`)).toEqual([]);
  });

  it("seals a record number stored in clear before this release, and fills its blind index", async () => {
    const organization = await insertOrganization();
    const patientId = (await insertPatient(organization.id)).id;
    const recordNumber = `LEGACY-${patientId.slice(0, 8)}`;
    await getDb().execute(sql`update patients set medical_record_number = ${recordNumber}, medical_record_number_index = null where id = ${patientId}`);
    expect(await patientsWithRecordNumber(recordNumber)).toEqual([]);
    await resealColumns(getDb(), { rotate: false });
    const stored = await storedRecordNumber(patientId);
    expect(openFrom("patientMedicalRecordNumber", stored.medical_record_number)).toBe(recordNumber);
    expect(await patientsWithRecordNumber(recordNumber)).toEqual([patientId]);
  });
});

describe("rotating the data key", () => {
  // The integration environment holds two keys (vitest.config.ts): "integration-tests" seals,
  // "integration-rotated" is the next one. Files running beside this one hold both, so they
  // keep opening every value while this test rotates to the second key and back.
  const current = dataKeyring();
  const next: DataKeyring = { active: { id: "integration-rotated", key: current.byId.get("integration-rotated")! }, byId: current.byId };
  const withoutNext: DataKeyring = { active: current.active, byId: new Map([[current.active.id, current.active.key]]) };

  it("re-seals every value under the new key, keeps each value, and needs only the new key afterwards", async () => {
    const organization = await insertOrganization();
    const admin = await insertUser(organization.id, "admin");
    const { endpointId } = await createHospitalEndpoint(admin, { name: "Rotated", baseUrl: "http://127.0.0.1:9/fhir", bearerToken: BEARER });
    const patientId = (await insertPatient(organization.id)).id;
    const recordNumber = `ROT-${patientId.slice(0, 8)}`;
    await getDb().update(patients).set(sealedRecordNumber(recordNumber)).where(eq(patients.id, patientId));
    const indexBefore = (await storedRecordNumber(patientId)).medical_record_number_index;
    const before = await storedBearerToken(endpointId);
    expect(sealingKeyId(before)).toBe("integration-tests");

    const report = await resealColumns(getDb(), { rotate: true }, next);
    expect(report.map((entry) => entry.column)).toEqual(["hospital_endpoints.bearer_token", "notification_channels.signing_secret", "patients.medical_record_number"]);
    // The record number is re-sealed and its blind index rebuilt under the new key; lookups hash under every key, so it is still found.
    const rotatedNumber = await storedRecordNumber(patientId);
    expect(sealingKeyId(rotatedNumber.medical_record_number)).toBe("integration-rotated");
    expect(rotatedNumber.medical_record_number_index).not.toBe(indexBefore);
    expect(await patientsWithRecordNumber(recordNumber)).toEqual([patientId]);
    const after = await storedBearerToken(endpointId);
    expect(sealingKeyId(after)).toBe("integration-rotated");
    expect(open(next, sealingContext("hospitalEndpointBearerToken"), after)).toBe(BEARER);
    // (On PostgreSQL other files may be writing beside this one: it checks its own rows only.)
    expect((await dataKeyUsage(getDb())).find((usage) => usage.column === "hospital_endpoints.bearer_token" && usage.keyId === "integration-rotated")).toBeDefined();

    // A server still on the old keys only is stopped at start with the key it lacks.
    await expect(assertDataKeysPresent(getDb(), withoutNext)).rejects.toThrow(/encrypted with the data key integration-rotated, which this server does not have/);

    // And back, so that the files that run after this one find the key they seal with.
    await resealColumns(getDb(), { rotate: true }, current);
    expect(sealingKeyId(await storedBearerToken(endpointId))).toBe("integration-tests");
    await assertDataKeysPresent(getDb(), withoutNext);
    const [row] = await getDb().select({ sealed: hospitalEndpoints.bearerTokenSealed }).from(hospitalEndpoints).where(eq(hospitalEndpoints.id, endpointId));
    expect(openFrom("hospitalEndpointBearerToken", row!.sealed!)).toBe(BEARER);
  });
});
