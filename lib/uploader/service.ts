import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { glucoseReadings, patients, uploaderCredentials } from "@/db/schema";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { getVisiblePatient } from "@/lib/patients/queries";
import { ingestReadings, type ReadingCandidate, type Rejection } from "@/lib/readings/ingest";
import { generatePassword } from "@/lib/security/generated-password";
import { sha1Hex, sha256Hex } from "@/lib/security/tokens";
import { entryToCandidate, toNightscoutEntry } from "./entries";

export interface UploaderPatient {
  patientId: string;
  timezone: string;
  preferredUnit: "mg/dL" | "mmol/L";
}

/**
 * A new uploader secret for a patient, replacing any earlier one (which stops working at once).
 * Shown once; only the SHA-256 of its SHA-1 (what apps send) is stored.
 */
export async function createUploaderSecret(actor: Actor, patientId: string): Promise<{ secret: string }> {
  assertCan(actor, "device:manage", "patient");
  const patient = await getVisiblePatient(actor, patientId);
  const secret = generatePassword();
  const apiSecretHash = sha256Hex(sha1Hex(secret));
  await getDb()
    .insert(uploaderCredentials)
    .values({ patientId: patient.id, apiSecretHash, createdByUserId: actor.userId })
    .onConflictDoUpdate({ target: uploaderCredentials.patientId, set: { apiSecretHash, createdByUserId: actor.userId, createdAt: sql`now()`, lastUsedAt: null } });
  return { secret };
}

export async function hasUploaderSecret(actor: Actor, patientId: string): Promise<boolean> {
  assertCan(actor, "device:manage", "patient");
  const patient = await getVisiblePatient(actor, patientId);
  const [row] = await getDb().select({ id: uploaderCredentials.patientId }).from(uploaderCredentials).where(eq(uploaderCredentials.patientId, patient.id));
  return Boolean(row);
}

/** The patient whose uploader secret's SHA-1 hex arrived in `api-secret`, or null. */
export async function authenticateUploader(apiSecretHeader: string | null): Promise<UploaderPatient | null> {
  const sha1 = apiSecretHeader?.trim().toLowerCase();
  if (!sha1 || !/^[0-9a-f]{40}$/.test(sha1)) return null;
  const [row] = await getDb()
    .select({ patientId: patients.id, timezone: patients.timezone, preferredUnit: patients.preferredUnit })
    .from(uploaderCredentials)
    .innerJoin(patients, eq(patients.id, uploaderCredentials.patientId))
    .where(eq(uploaderCredentials.apiSecretHash, sha256Hex(sha1)));
  return row ?? null;
}

export const UPLOADER_UNAUTHORIZED =
  "Missing or wrong api-secret header: send the SHA-1 hex of the uploader secret shown in your Lantern settings (most apps do this when you enter the secret).";

/**
 * Stores the glucose entries of an upload (sgv and mbg) for the authenticated patient and returns
 * them as stored. Entries already stored (same type and date) are skipped as duplicates; entries
 * that are not glucose (calibrations, status codes) are ignored, as Nightscout apps expect.
 */
export async function storeUploaderEntries(uploader: UploaderPatient, body: unknown, now = new Date()) {
  const entries = Array.isArray(body) ? body : typeof body === "object" && body !== null ? [body] : null;
  if (!entries) throw new AppError("invalid_input", "Send a JSON array of entries (or a single entry object).");
  const candidates: ReadingCandidate[] = [];
  const rejections: Rejection[] = [];
  entries.forEach((entry, index) => {
    const parsed = entryToCandidate(entry, index, uploader.timezone);
    if ("candidate" in parsed) candidates.push(parsed.candidate);
    else if ("rejection" in parsed) rejections.push(parsed.rejection);
  });
  const outcome = await getDb().transaction(async (tx) => {
    const written = await ingestReadings(tx, { patientId: uploader.patientId, source: "uploader" }, candidates, now);
    await tx.update(uploaderCredentials).set({ lastUsedAt: now }).where(eq(uploaderCredentials.patientId, uploader.patientId));
    return written;
  });
  const allRejected = [...rejections, ...outcome.rejected];
  if (entries.length > 0 && allRejected.length === entries.length) {
    const first = allRejected.sort((a, b) => a.index - b.index)[0]!;
    throw new AppError("invalid_input", `No entry could be stored. Entry ${first.index}: ${first.reason}`);
  }
  const stored = outcome.insertedIds.length ? await entriesByIds(uploader.patientId, outcome.insertedIds) : [];
  return { stored, duplicates: outcome.duplicates, rejected: allRejected };
}

async function entriesByIds(patientId: string, ids: number[]) {
  const rows = await getDb()
    .select(entryColumns)
    .from(glucoseReadings)
    .where(and(eq(glucoseReadings.patientId, patientId), sql`${glucoseReadings.id} = any(${sql.param(ids.map(String))}::bigint[])`))
    .orderBy(desc(glucoseReadings.effectiveAt));
  return rows.map((row) => toNightscoutEntry({ ...row, valueMgdl: Number(row.valueMgdl) }));
}

const entryColumns = {
  id: glucoseReadings.id,
  valueMgdl: glucoseReadings.valueMgdl,
  specimen: glucoseReadings.specimen,
  effectiveAt: glucoseReadings.effectiveAt,
  utcOffsetMinutes: glucoseReadings.utcOffsetMinutes,
};

export const MAX_ENTRIES_PER_READ = 1000;

/** The patient's latest entries, newest first, as followers and uploaders read them. */
export async function latestUploaderEntries(uploader: UploaderPatient, count: number, type?: "sgv" | "mbg") {
  const rows = await getDb()
    .select(entryColumns)
    .from(glucoseReadings)
    .where(
      and(
        eq(glucoseReadings.patientId, uploader.patientId),
        type ? eq(glucoseReadings.specimen, type === "sgv" ? "interstitial" : "capillary") : undefined,
      ),
    )
    .orderBy(desc(glucoseReadings.effectiveAt))
    .limit(Math.min(Math.max(count, 1), MAX_ENTRIES_PER_READ));
  return rows.map((row) => toNightscoutEntry({ ...row, valueMgdl: Number(row.valueMgdl) }));
}
