import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { backendAccessTokens, backendClients, careTeamMembers, careTeamPatients, careTeams, devices, glucoseReadings, guardianLinks, organizations, patients, users } from "@/db/schema";
import type { GlucoseUnit } from "@/db/schema/readings-enums";
import type { UserRole } from "@/db/schema/users";
import { internalOrigin, type DeviceActor, type UserActor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { ingestReadings, type IngestOutcome, type ReadingCandidate } from "@/lib/readings/ingest";
import { generateToken, sha256Hex } from "@/lib/security/tokens";

/**
 * Builders for integration-test worlds. Rows go straight into the database through getDb(),
 * bypassing the domain functions under test. Every name and email carries a random suffix, so
 * test files can share one database and never rely on it being empty.
 */

/** Not a valid argon2 hash: no password ever verifies against it. Tests needing sign-in hash a real one. */
export const UNUSABLE_PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$dW51c2FibGU$dW51c2FibGUtdGVzdC1oYXNo";

export function uniqueSuffix(): string {
  return randomBytes(5).toString("hex");
}

export function uniqueEmail(label: string): string {
  return `${label}-${uniqueSuffix()}@test.lantern.example`;
}

export async function insertOrganization(options: { name?: string; openForSelfRegistration?: boolean } = {}): Promise<{ id: string; name: string }> {
  const name = options.name ?? `Test Clinic ${uniqueSuffix()}`;
  const [organization] = await getDb()
    .insert(organizations)
    .values({ name, openForSelfRegistration: options.openForSelfRegistration ?? false })
    .returning({ id: organizations.id });
  return { id: organization!.id, name };
}

export interface InsertedUser extends UserActor {
  email: string;
}

export async function insertUser(
  organizationId: string,
  role: UserRole,
  options: { email?: string; displayName?: string; passwordHash?: string; disabledAt?: Date } = {},
): Promise<InsertedUser> {
  const email = options.email ?? uniqueEmail(role);
  const displayName = options.displayName ?? `Test ${role} ${uniqueSuffix()}`;
  const [user] = await getDb()
    .insert(users)
    .values({
      organizationId,
      role,
      email,
      displayName,
      passwordHash: options.passwordHash ?? UNUSABLE_PASSWORD_HASH,
      disabledAt: options.disabledAt ?? null,
    })
    .returning({ id: users.id });
  return { kind: "user", userId: user!.id, role, organizationId, displayName, email, origin: internalOrigin() };
}

export async function insertPatient(
  organizationId: string,
  options: { userId?: string; givenName?: string; familyName?: string; birthDate?: string; timezone?: string; preferredUnit?: GlucoseUnit } = {},
): Promise<{ id: string }> {
  const [patient] = await getDb()
    .insert(patients)
    .values({
      organizationId,
      userId: options.userId ?? null,
      givenName: options.givenName ?? `Given${uniqueSuffix()}`,
      familyName: options.familyName ?? `Family${uniqueSuffix()}`,
      birthDate: options.birthDate ?? "1980-01-15",
      timezone: options.timezone ?? "Europe/London",
      preferredUnit: options.preferredUnit ?? "mg/dL",
    })
    .returning({ id: patients.id });
  return { id: patient!.id };
}

/** A patient with their own sign-in: the user row and the patient row it owns. */
export async function insertPatientWithAccount(
  organizationId: string,
  options: { timezone?: string; passwordHash?: string } = {},
): Promise<{ actor: InsertedUser; patientId: string }> {
  const actor = await insertUser(organizationId, "patient", { passwordHash: options.passwordHash });
  const { id } = await insertPatient(organizationId, { userId: actor.userId, timezone: options.timezone });
  return { actor, patientId: id };
}

export async function insertCareTeam(
  organizationId: string,
  members: { clinicianUserIds?: string[]; patientIds?: string[]; name?: string } = {},
): Promise<{ id: string; name: string }> {
  const db = getDb();
  const name = members.name ?? `Team ${uniqueSuffix()}`;
  const [team] = await db.insert(careTeams).values({ organizationId, name }).returning({ id: careTeams.id });
  const careTeamId = team!.id;
  if (members.clinicianUserIds?.length) {
    await db.insert(careTeamMembers).values(members.clinicianUserIds.map((clinicianUserId) => ({ careTeamId, clinicianUserId })));
  }
  if (members.patientIds?.length) {
    await db.insert(careTeamPatients).values(members.patientIds.map((patientId) => ({ careTeamId, patientId })));
  }
  return { id: careTeamId, name };
}

/** A guardian link, confirmed by a clinician unless `confirmed` is false. */
export async function insertGuardianLink(guardianUserId: string, patientId: string, options: { confirmed?: boolean; confirmedAt?: Date; renewedUntil?: string } = {}): Promise<void> {
  const confirmedAt = options.confirmed === false ? null : (options.confirmedAt ?? new Date());
  await getDb().insert(guardianLinks).values({ guardianUserId, patientId, confirmedAt, renewedUntil: options.renewedUntil ?? null });
}

export async function countReadingsOf(patientId: string): Promise<number> {
  const [row] = await getDb()
    .select({ count: sql<number>`count(*)::int` })
    .from(glucoseReadings)
    .where(eq(glucoseReadings.patientId, patientId));
  return row!.count;
}

/** A paired meter of the patient, as its token would authenticate it (no device row needed for the audit trail). */
export async function meterOf(patientId: string, deviceKind: DeviceActor["deviceKind"] = "cgm"): Promise<DeviceActor> {
  const [patient] = await getDb().select({ organizationId: patients.organizationId }).from(patients).where(eq(patients.id, patientId));
  return { kind: "device", deviceId: crypto.randomUUID(), patientId, deviceKind, organizationId: patient!.organizationId, origin: internalOrigin() };
}

/**
 * Readings stored through the real write path for a patient, as one of their meters would store
 * them (tests that need readings in place, not the door under test).
 */
export async function ingestForTest(patientId: string, candidates: readonly ReadingCandidate[], now = new Date(), source: "device" | "manual" = "device"): Promise<IngestOutcome> {
  const writer = await meterOf(patientId);
  const patient = await authorizePatient(getDb(), writer, "reading:create", patientId);
  return ingestReadings(getDb(), { actor: writer, patient, source, origin: `test:${writer.deviceId}` }, candidates, now);
}

/** A request origin from a given client address (the per-address sign-in window keys on it). */
export function originFrom(sourceAddress: string) {
  return { ...internalOrigin(), sourceAddress };
}

/**
 * A hospital system registered in the organization and an access token it holds with `scopes`, as
 * the token endpoint would issue it (for tests of the FHIR API, not of the token endpoint).
 */
export async function insertBackendClientToken(organizationId: string, scopes: string[]): Promise<string> {
  const [client] = await getDb()
    .insert(backendClients)
    .values({ organizationId, name: `Test EHR ${uniqueSuffix()}`, jwks: { keys: [] }, allowedScopes: scopes })
    .returning({ id: backendClients.id });
  const token = generateToken("lnt_at");
  await getDb().insert(backendAccessTokens).values({ tokenHash: sha256Hex(token), clientId: client!.id, scopes, expiresAt: new Date(Date.now() + 300_000) });
  return token;
}

/** A paired connected meter with its bearer token, as pairing leaves it. */
export async function pairedMeter(patientId: string, kind: "cgm" | "fingerstick-meter" = "cgm"): Promise<{ deviceId: string; token: string }> {
  const token = generateToken("lnt_dev");
  const [device] = await getDb()
    .insert(devices)
    .values({ patientId, kind, model: "Test meter", serialNumber: `SN-${uniqueSuffix()}`, tokenHash: sha256Hex(token), tokenIssuedAt: new Date() })
    .returning({ id: devices.id });
  return { deviceId: device!.id, token };
}
