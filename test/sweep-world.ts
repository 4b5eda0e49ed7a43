import "./next-async-storage";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alerts, glucoseReadings } from "@/db/schema";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { sha1Hex } from "@/lib/security/tokens";
import { createAccessToken, requestAccessJwt } from "@/lib/uploader/access-tokens";
import { createUploaderSecret } from "@/lib/uploader/credentials";
import { internalOrigin } from "@/lib/access/actor";
import { enrolWithNewSecret } from "@/lib/auth/mfa/second-factor";
import {
  ingestForTest,
  insertBackendClientToken,
  insertCareTeam,
  insertGuardianLink,
  insertOrganization,
  insertPatient,
  insertPatientWithAccount,
  insertUser,
  pairedMeter,
  type InsertedUser,
} from "./factories";
import { sessionCookieFor } from "./next-request";

/**
 * The world of the authorization sweep (lib/http/authorization-sweep.int.test.ts): one actor of
 * every kind, and patients each actor may and may not see, children included.
 *
 * Organization A: care team T (clinician; adult P with an account; child K with guardian G; child
 * K2 with guardian G2), adult Q outside T with an account, child J outside T (guardian G2), an
 * admin and a privacy officer, a paired meter and an uploader app of P, a hospital system.
 * Organization B: patient PB and a hospital system of its own.
 */

export const actorNames = ["anonymous", "patient", "guardian", "clinician", "admin", "privacy_officer", "device", "uploader", "backend", "foreignBackend"] as const;
export type ActorName = (typeof actorNames)[number];

export const patientNames = ["P", "K", "K2", "Q", "J", "PB"] as const;
export type PatientName = (typeof patientNames)[number];

/** One patient and an object of each kind that belongs to them. */
export interface PatientFixture {
  name: PatientName;
  id: string;
  /** A reading entered by hand (the kind a person may correct). */
  readingId: number;
  alertId: number;
  deviceId: string;
  /** The guardian linked to the child, or for an adult some guardian who is not. */
  guardianUserId: string;
}

export interface SweepWorld {
  organizationA: string;
  organizationB: string;
  careTeamId: string;
  clinician: InsertedUser;
  users: Record<"patient" | "guardian" | "clinician" | "admin" | "privacy_officer", InsertedUser>;
  patients: Record<PatientName, PatientFixture>;
  deviceToken: string;
  uploader: { apiSecret: string; accessToken: string; jwt: string };
  backendToken: string;
  foreignBackendToken: string;
}

/** Whose objects an actor's own requests name: a guardian acts for the child, everyone else for P. */
export const subjectOf = (actor: ActorName): PatientName => (actor === "guardian" ? "K" : "P");

/** The patients each actor may see at all (for some action); every other patient's ids must answer 404. */
export const visiblePatients: Record<ActorName, readonly PatientName[]> = {
  anonymous: [],
  patient: ["P"],
  guardian: ["K"],
  clinician: ["P", "K", "K2"],
  admin: ["P", "K", "K2", "Q", "J"],
  privacy_officer: [],
  device: ["P"],
  uploader: ["P"],
  backend: ["P", "K", "K2", "Q", "J"],
  foreignBackend: ["PB"],
};

const MINUTE = 60_000;

/** A CGM trace every 5 minutes ending now: 20 minutes below 54 mg/dL, so it raises an urgent alert. */
function lowTrace(now: Date): ReadingCandidate[] {
  const values = [110, 52, 50, 48, 47, 49];
  return values.map((value, i) => {
    const at = now.getTime() - (values.length - 1 - i) * 5 * MINUTE;
    return { position: i, value, unit: "mg/dL", censored: null, effectiveAt: new Date(at), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `cgm:${at}` };
  });
}

async function fixtureOf(name: PatientName, id: string, guardianUserId: string, now: Date): Promise<PatientFixture> {
  await ingestForTest(id, lowTrace(now), now);
  const manualAt = new Date(now.getTime() - 3 * 3_600_000);
  const manual = { position: 0, value: 140, unit: "mg/dL", censored: null, effectiveAt: manualAt, utcOffsetMinutes: 0, specimen: "capillary", dedupeKey: `manual:${manualAt.getTime()}` } as const;
  await ingestForTest(id, [manual], now, "manual");
  const [reading] = await getDb().select({ id: glucoseReadings.id }).from(glucoseReadings).where(and(eq(glucoseReadings.patientId, id), eq(glucoseReadings.source, "manual"))).limit(1);
  const [alert] = await getDb().select({ id: alerts.id }).from(alerts).where(eq(alerts.patientId, id)).limit(1);
  const { deviceId } = await pairedMeter(id);
  return { name, id, readingId: reading!.id, alertId: alert!.id, deviceId, guardianUserId };
}

export async function buildSweepWorld(now = new Date()): Promise<SweepWorld> {
  const organizationA = (await insertOrganization()).id;
  const organizationB = (await insertOrganization()).id;
  const p = await insertPatientWithAccount(organizationA);
  const q = await insertPatientWithAccount(organizationA);
  const guardian = await insertUser(organizationA, "guardian");
  const otherGuardian = await insertUser(organizationA, "guardian");
  const childBirth = `${now.getUTCFullYear() - 8}-03-01`;
  const k = await insertPatient(organizationA, { birthDate: childBirth });
  const k2 = await insertPatient(organizationA, { birthDate: childBirth });
  const j = await insertPatient(organizationA, { birthDate: childBirth });
  const pb = await insertPatient(organizationB);
  await insertGuardianLink(guardian.userId, k.id);
  await insertGuardianLink(otherGuardian.userId, k2.id);
  await insertGuardianLink(otherGuardian.userId, j.id);
  const clinician = await insertUser(organizationA, "clinician");
  const admin = await insertUser(organizationA, "admin");
  const privacyOfficer = await insertUser(organizationA, "privacy_officer");
  // Staff must use two-step sign-in; enrolled, their sessions open the portal (unenrolled ones are confined to set-up).
  for (const staff of [clinician, admin, privacyOfficer]) await enrolWithNewSecret(getDb(), staff.userId, now);
  const careTeamId = (await insertCareTeam(organizationA, { clinicianUserIds: [clinician.userId], patientIds: [p.patientId, k.id, k2.id] })).id;

  const patients = {
    P: await fixtureOf("P", p.patientId, guardian.userId, now),
    K: await fixtureOf("K", k.id, guardian.userId, now),
    K2: await fixtureOf("K2", k2.id, otherGuardian.userId, now),
    Q: await fixtureOf("Q", q.patientId, guardian.userId, now),
    J: await fixtureOf("J", j.id, otherGuardian.userId, now),
    PB: await fixtureOf("PB", pb.id, guardian.userId, now),
  } satisfies Record<PatientName, PatientFixture>;

  const users = { patient: p.actor, guardian, clinician, admin, privacy_officer: privacyOfficer };

  const { secret } = await createUploaderSecret(p.actor, p.patientId);
  const { token: accessToken } = await createAccessToken(p.actor, p.patientId, { name: "Sweep uploader", access: "read-write" });
  const { token: jwt } = await requestAccessJwt(accessToken, internalOrigin());

  const allScopes = ["system/*.cruds"];
  return {
    organizationA,
    organizationB,
    careTeamId,
    clinician,
    users,
    patients,
    deviceToken: (await pairedMeter(p.patientId)).token,
    uploader: { apiSecret: sha1Hex(secret), accessToken, jwt },
    backendToken: await insertBackendClientToken(organizationA, allScopes),
    foreignBackendToken: await insertBackendClientToken(organizationB, allScopes),
  };
}

/**
 * The headers that carry an actor's credential, as its client sends them. Each call signs a new
 * session in, so a request that signs out (POST /sign-out) ends only its own session.
 */
export async function credentialHeaders(world: SweepWorld, actor: ActorName): Promise<Record<string, string>> {
  switch (actor) {
    case "anonymous":
      return {};
    case "device":
      return { authorization: `Bearer ${world.deviceToken}` };
    case "uploader":
      // API v1 reads the api-secret header first; API v3 the Bearer JWT.
      return { "api-secret": world.uploader.apiSecret, authorization: `Bearer ${world.uploader.jwt}` };
    case "backend":
      return { authorization: `Bearer ${world.backendToken}` };
    case "foreignBackend":
      return { authorization: `Bearer ${world.foreignBackendToken}` };
    default:
      return { cookie: await sessionCookieFor(world.users[actor].userId) };
  }
}
