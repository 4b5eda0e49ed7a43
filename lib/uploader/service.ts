import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb, type Transaction } from "@/db/client";
import { glucoseReadings, patients, uploaderCredentials } from "@/db/schema";
import type { Actor, RequestOrigin, UploaderActor, UserActor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { audited, auditedRefusals } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { readingOrigin } from "@/lib/readings/identity";
import { countedReading, ingestReadings, type ReadingCandidate, type Rejection } from "@/lib/readings/ingest";
import { generatePassword } from "@/lib/security/generated-password";
import { sha1Hex, sha256Hex } from "@/lib/security/tokens";
import { entryToCandidate, toNightscoutEntry } from "./entries";

/**
 * A new uploader secret for a patient, replacing any earlier one (which stops working at once).
 * Shown once; only the SHA-256 of its SHA-1 (what apps send) is stored.
 */
export async function createUploaderSecret(actor: UserActor, patientId: string): Promise<{ secret: string }> {
  return audited(actor, { action: "grant", resourceType: "UploaderCredential" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:manage", patientId);
    trail.touch(patient.id);
    const secret = generatePassword();
    const apiSecretHash = sha256Hex(sha1Hex(secret));
    await tx
      .insert(uploaderCredentials)
      .values({ patientId: patient.id, apiSecretHash, createdByUserId: actor.userId })
      .onConflictDoUpdate({ target: uploaderCredentials.patientId, set: { apiSecretHash, createdByUserId: actor.userId, createdAt: sql`now()`, lastUsedAt: null } });
    return { secret };
  });
}

export async function hasUploaderSecret(actor: Actor, patientId: string): Promise<boolean> {
  return audited(actor, { action: "read", resourceType: "UploaderCredential" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:read", patientId);
    trail.touch(patient.id);
    const [row] = await tx.select({ id: uploaderCredentials.patientId }).from(uploaderCredentials).where(eq(uploaderCredentials.patientId, patient.id));
    return Boolean(row);
  });
}

/** The uploader app whose secret's SHA-1 hex arrived in `api-secret`, acting for its patient; or null. */
export async function authenticateUploader(apiSecretHeader: string | null, origin: RequestOrigin): Promise<UploaderActor | null> {
  const sha1 = apiSecretHeader?.trim().toLowerCase();
  if (!sha1 || !/^[0-9a-f]{40}$/.test(sha1)) return null;
  const [row] = await getDb()
    .select({ patientId: patients.id, timezone: patients.timezone, preferredUnit: patients.preferredUnit, organizationId: patients.organizationId })
    .from(uploaderCredentials)
    .innerJoin(patients, eq(patients.id, uploaderCredentials.patientId))
    .where(eq(uploaderCredentials.apiSecretHash, sha256Hex(sha1)));
  return row ? { kind: "uploader", ...row, origin } : null;
}

export const UPLOADER_UNAUTHORIZED =
  "Missing or wrong api-secret header: send the SHA-1 hex of the uploader secret shown in your Lantern settings (most apps do this when you enter the secret).";

/**
 * Stores the glucose entries of an upload (sgv and mbg) for the authenticated patient and returns
 * them as stored. Entries already stored (same type and date) are skipped as duplicates; entries
 * that are not glucose (calibrations, status codes) are ignored, as Nightscout apps expect.
 */
export async function storeUploaderEntries(uploader: UploaderActor, body: unknown, now = new Date()) {
  const entries = Array.isArray(body) ? body : typeof body === "object" && body !== null ? [body] : null;
  if (!entries) throw new AppError("invalid_input", "Send a JSON array of entries (or a single entry object).");
  const candidates: ReadingCandidate[] = [];
  const rejections: Rejection[] = [];
  entries.forEach((entry, index) => {
    const parsed = entryToCandidate(entry, index, uploader.timezone);
    if ("candidate" in parsed) candidates.push(parsed.candidate);
    else if ("rejection" in parsed) rejections.push(parsed.rejection);
  });
  const { outcome, stored } = await auditedRefusals(uploader, { action: "create", resourceType: "Observation" }, () =>
    getDb().transaction(async (tx) => {
      const patient = await authorizePatient(tx, uploader, "reading:create", uploader.patientId);
      const written = await ingestReadings(tx, { actor: uploader, patient, source: "uploader", origin: readingOrigin.uploader(null) }, candidates, now);
      await tx.update(uploaderCredentials).set({ lastUsedAt: now }).where(eq(uploaderCredentials.patientId, patient.id));
      return { outcome: written, stored: written.insertedIds.length ? await entriesByIds(tx, patient.id, written.insertedIds) : [] };
    }),
  );
  const allRejected = [...rejections, ...outcome.rejected];
  if (entries.length > 0 && allRejected.length === entries.length) {
    const first = allRejected.sort((a, b) => a.index - b.index)[0]!;
    throw new AppError("invalid_input", `No entry could be stored. Entry ${first.index}: ${first.reason}`);
  }
  return { stored, duplicates: outcome.duplicates, rejected: allRejected };
}

async function entriesByIds(tx: Transaction, patientId: string, ids: number[]) {
  const rows = await tx
    .select(entryColumns)
    .from(glucoseReadings)
    .where(and(eq(glucoseReadings.patientId, patientId), sql`${glucoseReadings.id} = any(${sql.param(ids.map(String))}::bigint[])`))
    .orderBy(desc(glucoseReadings.effectiveAt));
  return rows.map(toNightscoutEntry);
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
export async function latestUploaderEntries(uploader: UploaderActor, count: number, type?: "sgv" | "mbg") {
  return audited(uploader, { action: "search", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "reading:search", uploader.patientId);
    trail.touch(patient.id);
    const rows = await tx
      .select(entryColumns)
      .from(glucoseReadings)
      .where(and(eq(glucoseReadings.patientId, patient.id), countedReading, type ? eq(glucoseReadings.specimen, type === "sgv" ? "interstitial" : "capillary") : undefined))
      .orderBy(desc(glucoseReadings.effectiveAt))
      .limit(Math.min(Math.max(count, 1), MAX_ENTRIES_PER_READ));
    return rows.map(toNightscoutEntry);
  });
}
