import { TransactionRollbackError, and, eq, inArray, sql } from "drizzle-orm";
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { databaseHandle, getDb, installDatabaseHandle, rowsOf, type Database } from "@/db/client";
import { careTeamMembers, careTeamPatients, devices, glucoseReadings, organizations, patients, users } from "@/db/schema";
import { internalOrigin } from "@/lib/access/actor";
import { listVisiblePatients } from "@/lib/patients/queries";
import { verifyPassword } from "@/lib/security/password-hashing";
import { ageOn } from "@/lib/time/age";
import { authenticate } from "@/lib/auth/authenticate";
import { describeCredentials, seedDemo, type DemoSeed } from "./seed";

const NOW = new Date("2026-07-14T10:17:00Z");
const GENERATED_PASSWORD = /^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){4}$/;

/**
 * The demo seed uses fixed emails, and test files may share one database: it runs inside a
 * transaction that is rolled back, with the data layer pointed at that transaction meanwhile.
 */
async function inRolledBackSeed(check: (db: Database, seed: DemoSeed) => Promise<void>): Promise<void> {
  const handle = databaseHandle();
  const rollback = handle.db.transaction(async (tx) => {
    installDatabaseHandle({ ...handle, db: tx });
    try {
      // At most one organization takes self-registrations; others' test data may hold it.
      await tx.update(organizations).set({ openForSelfRegistration: false }).where(eq(organizations.openForSelfRegistration, true));
      await check(tx, await seedDemo(tx, NOW));
    } finally {
      installDatabaseHandle(handle);
    }
    tx.rollback();
  });
  await expect(rollback).rejects.toBeInstanceOf(TransactionRollbackError);
}

async function countReadings(db: Database, patientId: string, specimen: "capillary" | "interstitial", unit: "mg/dL" | "mmol/L") {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(glucoseReadings)
    .where(and(eq(glucoseReadings.patientId, patientId), eq(glucoseReadings.specimen, specimen), eq(glucoseReadings.unit, unit)));
  return row!.count;
}

describe("seedDemo", () => {
  it("creates the demo clinic with its accounts, patients, care team and two weeks of readings, then leaves no trace", async () => {
    let seededEmails: string[] = [];

    await inRolledBackSeed(async (db, seed) => {
      seededEmails = seed.accounts.map((account) => account.email);
      expect(seed.accounts.map((account) => account.role)).toEqual(["admin", "clinician", "patient", "patient", "privacy_officer", "guardian", "patient"]);
      expect(seed.accounts.slice(0, 4).map((account) => account.email)).toEqual(["admin@lantern.example", "clinician@lantern.example", "maria@lantern.example", "james@lantern.example"]);
      const passwords = seed.accounts.map((account) => account.password);
      expect(new Set(passwords).size).toBe(7);
      for (const password of passwords) expect(password).toMatch(GENERATED_PASSWORD);

      const storedUsers = await db.select().from(users).where(eq(users.organizationId, seed.organizationId));
      expect(storedUsers).toHaveLength(7);
      for (const account of seed.accounts) {
        const stored = storedUsers.find((user) => user.id === account.userId)!;
        expect(stored).toMatchObject({ email: account.email, role: account.role });
        expect(await verifyPassword(stored.passwordHash, account.password)).toBe(true);
      }
      // Staff come with an authenticator (its secret for the credentials file); patients and guardians without.
      expect(seed.accounts.filter((account) => account.totpSecret).map((account) => account.role)).toEqual(["admin", "clinician", "privacy_officer"]);
      for (const account of seed.accounts.filter((a) => a.totpSecret)) {
        expect(await authenticate(account.email, account.password, internalOrigin())).toEqual({ userId: account.userId, secondFactorRequired: true });
        expect(await authenticate(account.email, account.password, internalOrigin(), await generate({ secret: account.totpSecret! }))).toEqual({ userId: account.userId });
      }
      // The credentials file keeps `role email password (Name)` first; the TOTP secret is appended.
      const lines = describeCredentials(seed.accounts).split("\n").slice(1);
      expect(lines).toHaveLength(7);
      for (const [index, line] of lines.entries()) {
        const account = seed.accounts[index]!;
        const [role, email, password] = line.trim().split(/\s+/);
        expect({ role, email, password }).toEqual({ role: account.role, email: account.email, password: account.password });
        expect(line).toContain(`(${account.name})`);
        expect(line.endsWith(account.totpSecret ? `totp:${account.totpSecret}` : `(${account.name})`)).toBe(true);
      }

      const [organization] = await db.select().from(organizations).where(eq(organizations.id, seed.organizationId));
      expect(organization!.openForSelfRegistration).toBe(true);

      const seededPatients = await db.select().from(patients).where(eq(patients.organizationId, seed.organizationId));
      expect(seededPatients.map((patient) => patient.id).sort()).toEqual(Object.values(seed.patientIds).sort());
      const patientUserIds = seed.accounts.filter((account) => account.role === "patient").map((account) => account.userId);
      expect(seededPatients.flatMap((patient) => (patient.userId ? [patient.userId] : [])).sort()).toEqual(patientUserIds.sort());
      const child = seededPatients.find((patient) => patient.id === seed.patientIds.youngChild)!;
      const teenager = seededPatients.find((patient) => patient.id === seed.patientIds.teenager)!;
      expect(ageOn(child.birthDate, NOW.toISOString().slice(0, 10))).toBe(9);
      expect(child.userId).toBeNull();
      expect(ageOn(teenager.birthDate, NOW.toISOString().slice(0, 10))).toBe(15);

      const guardianAccount = seed.accounts.find((account) => account.role === "guardian")!;
      const guardianSees = await listVisiblePatients({
        kind: "user", userId: guardianAccount.userId, role: "guardian", organizationId: seed.organizationId, displayName: guardianAccount.name, origin: internalOrigin(),
      });
      expect(guardianSees.map((patient) => patient.id)).toEqual([seed.patientIds.youngChild]);

      expect(await countReadings(db, seed.patientIds.cgm, "interstitial", "mmol/L")).toBe(4032);
      const [cgmTotal] = await db.select({ count: sql<number>`count(*)::int` }).from(glucoseReadings).where(eq(glucoseReadings.patientId, seed.patientIds.cgm));
      expect(cgmTotal!.count).toBe(4032);
      // The CGM's readings came from a sensor the patient has, not from a meter that does not exist.
      const cgmDevices = await db.select().from(devices).where(eq(devices.patientId, seed.patientIds.cgm));
      expect(cgmDevices).toEqual([expect.objectContaining({ kind: "cgm", revokedAt: null, tokenHash: expect.any(String) })]);
      const cgmDoors = await db
        .selectDistinct({ source: glucoseReadings.source, deviceId: glucoseReadings.deviceId, origin: glucoseReadings.origin })
        .from(glucoseReadings)
        .where(eq(glucoseReadings.patientId, seed.patientIds.cgm));
      expect(cgmDoors).toEqual([{ source: "device", deviceId: cgmDevices[0]!.id, origin: `device:${cgmDevices[0]!.id}` }]);
      const fingerstickDoors = await db.selectDistinct({ source: glucoseReadings.source, deviceId: glucoseReadings.deviceId }).from(glucoseReadings).where(eq(glucoseReadings.patientId, seed.patientIds.fingerstick));
      expect(fingerstickDoors).toEqual([{ source: "manual", deviceId: null }]);

      // The triage list reads daily aggregates: the seed keeps them as the write path does.
      const aggregated = rowsOf<{ readings: number }>(await db.execute(sql`select coalesce(sum(readings), 0)::int as readings from glucose_daily_aggregates where patient_id = ${seed.patientIds.cgm}::uuid`))[0];
      expect(aggregated!.readings).toBe(4032);
      // The feeds the triage list reads its last reading from match the readings, as the write path keeps them.
      const feeds = rowsOf<{ patient_id: string; last_reading_at: string; latest: string; first_reading_at: string; earliest: string }>(
        await db.execute(sql`select f.patient_id, f.last_reading_at::text, f.first_reading_at::text,
            (select max(effective_at)::text from glucose_readings r where r.patient_id = f.patient_id) as latest,
            (select min(effective_at)::text from glucose_readings r where r.patient_id = f.patient_id) as earliest
          from patient_feeds f where f.patient_id in (${seed.patientIds.cgm}::uuid, ${seed.patientIds.fingerstick}::uuid)`),
      );
      expect(feeds).toHaveLength(2);
      for (const feed of feeds) {
        expect(feed.last_reading_at).toBe(feed.latest);
        expect(feed.first_reading_at).toBe(feed.earliest);
      }

      const fingersticks = await countReadings(db, seed.patientIds.fingerstick, "capillary", "mg/dL");
      expect(fingersticks).toBeGreaterThanOrEqual(53);
      expect(fingersticks).toBeLessThanOrEqual(56);

      const [span] = await db
        .select({ latest: sql<string>`max(${glucoseReadings.effectiveAt})::text`, earliest: sql<string>`min(${glucoseReadings.effectiveAt})::text` })
        .from(glucoseReadings)
        .where(inArray(glucoseReadings.patientId, [seed.patientIds.cgm, seed.patientIds.fingerstick]));
      expect(new Date(span!.latest).getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(NOW.getTime() - new Date(span!.earliest).getTime()).toBeLessThanOrEqual(14 * 86_400_000);

      const members = await db.select().from(careTeamMembers).where(eq(careTeamMembers.careTeamId, seed.careTeamId));
      const clinician = seed.accounts.find((account) => account.role === "clinician")!;
      expect(members.map((member) => member.clinicianUserId)).toEqual([clinician.userId]);
      const onTeam = await db.select().from(careTeamPatients).where(eq(careTeamPatients.careTeamId, seed.careTeamId));
      expect(onTeam).toHaveLength(4);

      const visible = await listVisiblePatients({
        kind: "user",
        userId: clinician.userId,
        role: "clinician",
        organizationId: seed.organizationId,
        displayName: clinician.name,
        origin: internalOrigin(),
      });
      expect(visible.map((patient) => patient.id).sort()).toEqual(Object.values(seed.patientIds).sort());
      expect(visible.every((patient) => patient.lastReading !== null)).toBe(true);
    });

    expect(seededEmails).toHaveLength(7);
    const leftOver = await getDb().select().from(users).where(inArray(users.email, seededEmails));
    expect(leftOver).toHaveLength(0);
  });
});
