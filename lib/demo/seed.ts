import "server-only";
import { sql } from "drizzle-orm";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import type { Database } from "@/db/client";
import { careTeamMembers, careTeamPatients, careTeams, devices, glucoseReadings, guardianLinks, organizations, patients, users } from "@/db/schema";
import type { GlucoseUnit, Specimen } from "@/db/schema/readings-enums";
import type { UserRole } from "@/db/schema/users";
import { internalOrigin } from "@/lib/access/actor";
import { mfaRequiredFor } from "@/lib/auth/mfa/policy";
import { enrolWithNewSecret } from "@/lib/auth/mfa/second-factor";
import { registerBackendClient } from "@/lib/fhir/smart/clients";
import { offsetAt } from "@/lib/time/zones";
import { readingOrigin } from "@/lib/readings/identity";
import { mgdlIn, normalizedMgdl } from "@/lib/readings/units";
import { generatePassword } from "@/lib/security/generated-password";
import { generateToken, sha256Hex } from "@/lib/security/tokens";
import { hashPassword } from "@/lib/security/password-hashing";
import { cgmSeries, fingerstickSeries, type GeneratedReading } from "./glucose-series";
import { sealedRecordNumber } from "@/lib/security/sealed-columns";

export interface SeededAccount {
  role: UserRole;
  name: string;
  email: string;
  password: string;
  userId: string;
  /** Base32 TOTP secret of the account's authenticator, for roles that must use one (lib/auth/mfa/policy.ts). */
  totpSecret?: string;
}

/** A hospital system registered for the FHIR API, with the private key it signs assertions with. */
export interface SeededBackendClient {
  clientId: string;
  name: string;
  scopes: string[];
  /** ES384 private key as a JWK (with its kid): written to the data folder, never committed. */
  privateJwk: JWK;
}

export interface DemoSeed {
  organizationId: string;
  careTeamId: string;
  accounts: SeededAccount[];
  patientIds: { fingerstick: string; cgm: string; youngChild: string; teenager: string };
  backendClient: SeededBackendClient;
}

const DEMO_TIMEZONE = "Europe/London";

export async function databaseIsEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(organizations);
  return (row?.count ?? 0) === 0;
}

/**
 * Creates a sign-in with a password generated for this installation. Staff, who must use a second
 * factor, come with an authenticator set up unless `withAuthenticator` is false (then they set it
 * up at their first sign-in).
 */
export async function createAccount(
  db: Database,
  organizationId: string,
  role: UserRole,
  name: string,
  email: string,
  options: { withAuthenticator?: boolean } = {},
): Promise<SeededAccount> {
  const password = generatePassword();
  const [user] = await db
    .insert(users)
    .values({ organizationId, role, displayName: name, email, passwordHash: await hashPassword(password) })
    .returning({ id: users.id });
  const account: SeededAccount = { role, name, email, password, userId: user!.id };
  if (mfaRequiredFor(role) && options.withAuthenticator !== false) account.totpSecret = await enrolWithNewSecret(db, account.userId);
  return account;
}

/** The door a demo series came through: typed in by hand, or sent by one of the patient's registered devices. */
export type SeriesDoor = { source: "manual" } | { source: "device"; deviceId: string };

export async function insertSeriesAsReadings(
  db: Database,
  patientId: string,
  series: GeneratedReading[],
  unit: GlucoseUnit,
  specimen: Specimen,
  timeZone: string,
  door: SeriesDoor = { source: "manual" },
): Promise<void> {
  const rows = series.map((reading) => {
    // Store as the meter would have sent it: in its unit, at its display precision.
    const value = unit === "mg/dL" ? reading.valueMgdl : Math.round(mgdlIn(reading.valueMgdl, unit) * 10) / 10;
    return {
      patientId,
      valueAsReceived: value,
      unit,
      valueMgdl: normalizedMgdl(value, unit),
      effectiveAt: reading.effectiveAt,
      utcOffsetMinutes: offsetAt(reading.effectiveAt, timeZone),
      specimen,
      source: door.source,
      ...(door.source === "device" ? { deviceId: door.deviceId, origin: readingOrigin.device(door.deviceId) } : {}),
    };
  });
  for (let start = 0; start < rows.length; start += 1000) {
    await db.insert(glucoseReadings).values(rows.slice(start, start + 1000));
  }
  // The write path keeps the daily aggregates and the patient's feed (first and last reading, which
  // the triage list shows); rows inserted here get both kept the same way.
  await db.execute(sql`
    select refresh_glucose_days(${patientId}::uuid, ${specimen}::specimen, array_agg(distinct (r.effective_at at time zone p.timezone)::date))
    from glucose_readings r join patients p on p.id = r.patient_id
    where r.patient_id = ${patientId}::uuid and r.specimen = ${specimen}::specimen`);
  await db.execute(sql`
    insert into patient_feeds (patient_id, specimen, first_reading_at, last_reading_at, last_value_mgdl, last_censored)
    select patient_id, specimen, min(effective_at) over (), effective_at, value_mgdl, censored
    from glucose_readings where patient_id = ${patientId}::uuid and specimen = ${specimen}::specimen and duplicate_of_id is null
    order by effective_at desc limit 1
    on conflict (patient_id, specimen) do update set
      first_reading_at = least(patient_feeds.first_reading_at, excluded.first_reading_at),
      last_value_mgdl = case when excluded.last_reading_at > patient_feeds.last_reading_at then excluded.last_value_mgdl else patient_feeds.last_value_mgdl end,
      last_censored = case when excluded.last_reading_at > patient_feeds.last_reading_at then excluded.last_censored else patient_feeds.last_censored end,
      last_reading_at = greatest(patient_feeds.last_reading_at, excluded.last_reading_at)`);
}

/**
 * The demo clinic: an admin, a clinician, a privacy officer, a care team, two adult patients with
 * 14 days of readings (one fingerstick meter four times a day, one CGM every 5 minutes), a child
 * under 13 without an account whose guardian signs in (the link confirmed by the clinician), and
 * a teenager with their own account. Every password is
 * generated here, so no two installations share one. A demo hospital system is registered for
 * the FHIR API with a key pair generated here too.
 */
export async function seedDemo(db: Database, now = new Date()): Promise<DemoSeed> {
  const [organization] = await db
    .insert(organizations)
    .values({ name: "Lantern Demo Clinic", openForSelfRegistration: true })
    .returning({ id: organizations.id });
  const organizationId = organization!.id;

  const admin = await createAccount(db, organizationId, "admin", "Morgan Reyes", "admin@lantern.example");
  const clinician = await createAccount(db, organizationId, "clinician", "Dr Sam Okafor", "clinician@lantern.example");
  const maria = await createAccount(db, organizationId, "patient", "Maria Lopez", "maria@lantern.example");
  const james = await createAccount(db, organizationId, "patient", "James Chen", "james@lantern.example");

  const [fingerstickPatient, cgmPatient] = await db
    .insert(patients)
    .values([
      {
        organizationId, userId: maria.userId, givenName: "Maria", familyName: "Lopez", birthDate: "1968-05-14",
        timezone: DEMO_TIMEZONE, preferredUnit: "mg/dL", ...sealedRecordNumber("DEMO-0001"),
      },
      {
        organizationId, userId: james.userId, givenName: "James", familyName: "Chen", birthDate: "1994-09-30",
        timezone: DEMO_TIMEZONE, preferredUnit: "mmol/L", ...sealedRecordNumber("DEMO-0002"),
      },
    ])
    .returning({ id: patients.id });

  const privacyOfficer = await createAccount(db, organizationId, "privacy_officer", "Jordan Blake", "privacy@lantern.example");
  const guardian = await createAccount(db, organizationId, "guardian", "Priya Shah", "priya@lantern.example");
  const teen = await createAccount(db, organizationId, "patient", "Ava Brooks", "ava@lantern.example");
  // Ages follow the clock: on the day of seeding the child is 9 (10 on 31 December) and the teenager 15 (16).
  const yearsAgo = (years: number, monthDay: string) => `${now.getUTCFullYear() - years - 1}-${monthDay}`;
  const [youngChild, teenager] = await db
    .insert(patients)
    .values([
      {
        organizationId, givenName: "Leo", familyName: "Shah", birthDate: yearsAgo(9, "12-31"),
        timezone: DEMO_TIMEZONE, preferredUnit: "mmol/L", ...sealedRecordNumber("DEMO-0003"),
      },
      {
        organizationId, userId: teen.userId, givenName: "Ava", familyName: "Brooks", birthDate: yearsAgo(15, "12-31"),
        timezone: DEMO_TIMEZONE, preferredUnit: "mmol/L", ...sealedRecordNumber("DEMO-0004"),
      },
    ])
    .returning({ id: patients.id });
  await db.insert(guardianLinks).values({ guardianUserId: guardian.userId, patientId: youngChild!.id, confirmedByUserId: clinician.userId, confirmedAt: now });

  const [team] = await db.insert(careTeams).values({ organizationId, name: "Diabetes Team" }).returning({ id: careTeams.id });
  await db.insert(careTeamMembers).values({ careTeamId: team!.id, clinicianUserId: clinician.userId });
  await db.insert(careTeamPatients).values([
    { careTeamId: team!.id, patientId: fingerstickPatient!.id },
    { careTeamId: team!.id, patientId: cgmPatient!.id },
    { careTeamId: team!.id, patientId: youngChild!.id },
    { careTeamId: team!.id, patientId: teenager!.id },
  ]);

  const londonOffset = offsetAt(now, DEMO_TIMEZONE);
  await insertSeriesAsReadings(db, fingerstickPatient!.id, fingerstickSeries(now, 14, londonOffset, 11), "mg/dL", "capillary", DEMO_TIMEZONE);
  const cgm = cgmSeries(now, 14, londonOffset, 23);
  const cgmDeviceId = await insertDemoCgm(db, cgmPatient!.id, cgm[0]!.effectiveAt, cgm.at(-1)!.effectiveAt);
  await insertSeriesAsReadings(db, cgmPatient!.id, cgm, "mmol/L", "interstitial", DEMO_TIMEZONE, { source: "device", deviceId: cgmDeviceId });
  await insertSeriesAsReadings(db, youngChild!.id, fingerstickSeries(now, 14, londonOffset, 37), "mmol/L", "capillary", DEMO_TIMEZONE);
  await insertSeriesAsReadings(db, teenager!.id, fingerstickSeries(now, 14, londonOffset, 41), "mmol/L", "capillary", DEMO_TIMEZONE);

  const backendClient = await seedDemoBackendClient(db, organizationId);

  return {
    organizationId,
    careTeamId: team!.id,
    // The first four stay first, in this order: scripts and the e2e world read them by position.
    accounts: [admin, clinician, maria, james, privacyOfficer, guardian, teen],
    patientIds: { fingerstick: fingerstickPatient!.id, cgm: cgmPatient!.id, youngChild: youngChild!.id, teenager: teenager!.id },
    backendClient,
  };
}

/**
 * The demo CGM patient's sensor, paired (its token is random and thrown away: nothing can send as
 * it), last heard from with its latest reading; its readings name it as their device.
 */
async function insertDemoCgm(db: Database, patientId: string, pairedAt: Date, lastContactAt: Date): Promise<string> {
  const [device] = await db
    .insert(devices)
    .values({
      patientId, kind: "cgm", model: "Dexcom G7", serialNumber: "DEMO-CGM-0002", firmwareVersion: "1.4.2", batteryPercent: 82,
      lastContactAt, tokenHash: sha256Hex(generateToken("lnt_dev")), tokenIssuedAt: pairedAt, createdAt: pairedAt,
    })
    .returning({ id: devices.id });
  return device!.id;
}

/** A demo hospital system (SMART Backend Services) with an ES384 key pair generated for this installation. */
export async function seedDemoBackendClient(db: Database, organizationId: string): Promise<SeededBackendClient> {
  const { publicKey, privateKey } = await generateKeyPair("ES384", { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const name = "Demo Hospital EHR";
  const operator = { kind: "system", job: "operator", organizationId, origin: internalOrigin() } as const;
  const { clientId, allowedScopes } = await registerBackendClient(
    operator,
    {
      name,
      jwks: JSON.stringify({ keys: [{ ...publicJwk, kid, alg: "ES384", use: "sig" }] }),
      scopes: ["system/Patient.rs", "system/Observation.rs", "system/Device.rs", "system/Flag.rs", "system/Observation.cu"],
    },
    db,
  );
  return { clientId, name, scopes: allowedScopes, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "ES384", use: "sig" } };
}

/**
 * The demo credentials file: a header line, then one account a line as
 * `role email password (Name)`, and for accounts with an authenticator ` totp:BASE32SECRET` after
 * the name. The first four fields never move, so readers of role, email, password and name keep
 * working; the TOTP secret is the last field, present only for accounts that have one.
 */
export function describeCredentials(accounts: SeededAccount[]): string {
  const lines = accounts.map((a) => `  ${a.role.padEnd(15)} ${a.email.padEnd(28)} ${a.password}   (${a.name})${a.totpSecret ? `   totp:${a.totpSecret}` : ""}`);
  return [
    "Demo accounts (passwords generated for this installation; shown once). Lines: role email password (Name), then totp:SECRET for accounts with two-step sign-in (add the Base32 SECRET to an authenticator app, or send its current code as `otp`):",
    ...lines,
  ].join("\n");
}
