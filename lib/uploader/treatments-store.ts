import "server-only";
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { treatments } from "@/db/schema";
import type { Actor, UploaderActor } from "@/lib/access/actor";
import { authorizePatient, type AuthorizedPatient } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { timeBoundsOf } from "@/lib/readings/ingest";
import { appName, notStoredAnswer } from "./documents";
import { unreadableReason } from "./problem-reasons";
import { recordUploadProblems } from "./problems";
import { project, type CollectionQuery } from "./search-params";
import { changesInWholeMilliseconds, oneOf, orderOf, timeConditions } from "./search-sql";
import { nightscoutTreatmentSchema, toNightscoutTreatment, toNightscoutTreatmentV3, treatmentToCandidate, type StoredTreatmentRow, type TreatmentCandidate } from "./treatments";
import { BAD_REQUEST_BODY, v1Documents, v3Document, type V3ChangeOutcome, type V3CreateOutcome, type V3History, type V3ReadOutcome } from "./v3-outcomes";

/**
 * Treatments (carbohydrates, insulin and the events around them) from uploader apps, through
 * their own write path: they are not glucose readings. Every write and read is one audited unit
 * (resource type "Treatment": insulin would be a FHIR MedicationAdministration and carbs a
 * NutritionIntake, so the trail names the row Lantern keeps). A document sent again with its
 * identifier replaces the stored one, as in Nightscout; sending the same content again changes
 * nothing, not even srvModified.
 */

const treatmentColumns = {
  id: treatments.id,
  identifier: treatments.identifier,
  app: treatments.app,
  eventType: treatments.eventType,
  occurredAt: treatments.occurredAt,
  utcOffsetMinutes: treatments.utcOffsetMinutes,
  carbsGrams: treatments.carbsGrams,
  insulinUnits: treatments.insulinUnits,
  insulinKind: treatments.insulinKind,
  durationMinutes: treatments.durationMinutes,
  basalRate: treatments.basalRate,
  notes: treatments.notes,
  enteredBy: treatments.enteredBy,
  isValid: treatments.isValid,
  srvCreated: treatments.srvCreated,
  srvModified: treatments.srvModified,
};
const searchColumns = { id: treatments.id, time: treatments.occurredAt, modified: treatments.srvModified };

const selectTreatments = (tx: Transaction, patientId: string, where: SQL | undefined) =>
  tx.select(treatmentColumns).from(treatments).where(and(eq(treatments.patientId, patientId), where)).$dynamic();

type TreatmentResult = { row: StoredTreatmentRow; created: boolean } | { notStored: string };

/** The columns a candidate sets, for insert and for replacing. */
const contentOf = (candidate: TreatmentCandidate) => ({
  origin: candidate.origin,
  app: candidate.app,
  eventType: candidate.eventType,
  occurredAt: candidate.occurredAt,
  utcOffsetMinutes: candidate.utcOffsetMinutes,
  carbsGrams: candidate.carbsGrams,
  insulinUnits: candidate.insulinUnits,
  insulinKind: candidate.insulinKind,
  durationMinutes: candidate.durationMinutes,
  basalRate: candidate.basalRate,
  notes: candidate.notes,
  enteredBy: candidate.enteredBy,
});

/** The columns a resend may change, by their key in the table. */
const CONTENT = ["origin", "app", "eventType", "occurredAt", "utcOffsetMinutes", "carbsGrams", "insulinUnits", "insulinKind", "durationMinutes", "basalRate", "notes", "enteredBy"] as const;
const sent = (key: (typeof CONTENT)[number]) => sql.raw(`excluded.${treatments[key].name}`);

/** Inserts new treatments and replaces changed ones (one statement); returns which identifiers were new. */
async function upsertTreatments(tx: Transaction, patient: AuthorizedPatient, candidates: TreatmentCandidate[], now: Date): Promise<Set<string>> {
  // The same identifier twice in one upload: the later one wins, as when sent one after the other.
  const unique = [...new Map(candidates.map((candidate) => [candidate.identifier, candidate])).values()];
  if (unique.length === 0) return new Set();
  const written = await tx
    .insert(treatments)
    .values(unique.map((candidate) => ({ patientId: patient.id, identifier: candidate.identifier, ...contentOf(candidate), srvCreated: now, srvModified: now })))
    .onConflictDoUpdate({
      target: [treatments.patientId, treatments.identifier],
      set: { ...Object.fromEntries(CONTENT.map((key) => [key, sent(key)])), isValid: true, srvModified: now },
      // Unchanged content (a resend) is left as it is.
      setWhere: sql`(${sql.join(CONTENT.map((key) => treatments[key]), sql`, `)}, ${treatments.isValid}) is distinct from (${sql.join(CONTENT.map(sent), sql`, `)}, true)`,
    })
    // xmax is 0 for a row this statement inserted, the updating transaction's id for one it replaced.
    .returning({ identifier: treatments.identifier, created: sql<boolean>`(xmax = 0)` });
  return new Set(written.filter((row) => row.created).map((row) => row.identifier));
}

/**
 * Stores treatment documents and says, per document and in order, what became of it. What cannot
 * be stored is recorded as an upload problem in the same transaction.
 */
async function storeTreatmentDocuments(uploader: UploaderActor, documents: readonly unknown[], now: Date): Promise<TreatmentResult[]> {
  return audited(uploader, { action: "create", resourceType: "Treatment" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "treatment:write", uploader.patientId);
    trail.touch(patient.id);
    const context = { timeZone: patient.timezone, bounds: timeBoundsOf(patient), now };
    const parses = documents.map((document) => treatmentToCandidate(document, context));
    const candidates = parses.flatMap((parse) => ("candidate" in parse ? [parse.candidate] : []));
    await recordUploadProblems(tx, patient, parses.flatMap((parse) => ("notStored" in parse ? [parse.notStored] : [])), now);
    const created = await upsertTreatments(tx, patient, candidates, now);
    const rows = candidates.length ? await selectTreatments(tx, patient.id, inArray(treatments.identifier, candidates.map((candidate) => candidate.identifier))) : [];
    const rowByIdentifier = new Map(rows.map(({ id: _id, ...row }) => [row.identifier, row]));
    return parses.map((parse) =>
      "notStored" in parse ? { notStored: parse.notStored.reason } : { row: rowByIdentifier.get(parse.candidate.identifier)!, created: created.has(parse.candidate.identifier) },
    );
  });
}

/**
 * POST /api/v1/treatments: one answer element per document, in order: the treatment as stored,
 * or why it was not. 200 even when none was stored; only a body that is not treatments is refused.
 */
export async function storeTreatments(uploader: UploaderActor, body: unknown, now = new Date()): Promise<unknown[]> {
  const documents = v1Documents(body);
  if (!documents) throw new AppError("invalid_input", "Send a JSON array of treatments (or a single treatment object).");
  const results = await storeTreatmentDocuments(uploader, documents, now);
  return results.map((result, index) => ("row" in result ? toNightscoutTreatment(result.row) : notStoredAnswer(documents[index], result.notStored)));
}

/** PUT /api/v1/treatments (xDrip+ and Loop update this way): as POST, answering one object with one treatment. */
export async function replaceTreatments(uploader: UploaderActor, body: unknown, now = new Date()): Promise<unknown> {
  const answer = await storeTreatments(uploader, body, now);
  return Array.isArray(body) ? answer : answer[0];
}

/** POST /api/v3/treatments: created (201), already there and now replaced or unchanged (200), or not stored (400). */
export async function createTreatmentV3(uploader: UploaderActor, body: unknown, now = new Date()): Promise<V3CreateOutcome> {
  const document = v3Document(body);
  if (!document) throw new AppError("invalid_input", BAD_REQUEST_BODY);
  const [result] = await storeTreatmentDocuments(uploader, [document], now);
  if (!result || "notStored" in result) return { kind: "not-stored", reason: result?.notStored ?? BAD_REQUEST_BODY };
  return { kind: result.created ? "created" : "deduplicated", identifier: result.row.identifier, lastModified: result.row.srvModified.getTime() };
}

function treatmentConditions(query: CollectionQuery, { includeDeleted }: { includeDeleted: boolean }): SQL | undefined {
  return and(
    timeConditions(searchColumns, query),
    oneOf(treatments.eventType, query.equals.eventType),
    oneOf(treatments.enteredBy, query.equals.enteredBy),
    oneOf(treatments.identifier, query.equals.identifier),
    includeDeleted ? undefined : eq(treatments.isValid, true),
  );
}

async function searchTreatmentRows(uploader: UploaderActor, query: CollectionQuery): Promise<StoredTreatmentRow[]> {
  return audited(uploader, { action: "search", resourceType: "Treatment" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "treatment:search", uploader.patientId);
    trail.touch(patient.id);
    return selectTreatments(tx, patient.id, treatmentConditions(query, { includeDeleted: false }))
      .orderBy(...orderOf(searchColumns, query))
      .limit(query.limit)
      .offset(query.skip);
  });
}

/** GET /api/v1/treatments: deleted treatments are not listed. */
export async function searchTreatments(uploader: UploaderActor, query: CollectionQuery) {
  return (await searchTreatmentRows(uploader, query)).map(toNightscoutTreatment);
}

/** GET /api/v3/treatments. */
export async function searchTreatmentsV3(uploader: UploaderActor, query: CollectionQuery) {
  return (await searchTreatmentRows(uploader, query)).map((row) => project(toNightscoutTreatmentV3(row), query.fields));
}

/** GET /api/v3/treatments/history: changes after a time, deletions included (isValid false), oldest first. */
export async function treatmentsHistoryV3(uploader: UploaderActor, query: CollectionQuery): Promise<V3History<ReturnType<typeof toNightscoutTreatmentV3>>> {
  return audited(uploader, { action: "search", resourceType: "Treatment" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "treatment:search", uploader.patientId);
    trail.touch(patient.id);
    const rows = await changesInWholeMilliseconds(
      ({ where, limit }) => {
        const select = selectTreatments(tx, patient.id, and(treatmentConditions(query, { includeDeleted: true }), where)).orderBy(...orderOf(searchColumns, query));
        return limit === undefined ? select : select.limit(limit);
      },
      (row) => ({ id: row.id, modified: row.srvModified }),
      searchColumns,
      query.limit,
    );
    const documents = rows.map(toNightscoutTreatmentV3);
    return { documents, lastModified: documents.length ? Math.max(...documents.map((document) => document.srvModified)) : null };
  });
}

async function findByIdentifier(tx: Transaction, patientId: string, identifier: string) {
  const [row] = await selectTreatments(tx, patientId, eq(treatments.identifier, identifier));
  return row;
}

/** GET /api/v3/treatments/{identifier}: a deleted one is gone (410), as in Nightscout. */
export async function readTreatmentV3(uploader: UploaderActor, identifier: string): Promise<V3ReadOutcome<ReturnType<typeof toNightscoutTreatmentV3>>> {
  return audited(uploader, { action: "read", resourceType: "Treatment" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "treatment:search", uploader.patientId);
    trail.touch(patient.id);
    trail.resourceId = identifier;
    const row = await findByIdentifier(tx, patient.id, identifier);
    if (!row) return { kind: "not-found" };
    if (!row.isValid) return { kind: "gone" };
    return { kind: "found", document: toNightscoutTreatmentV3(row), lastModified: row.srvModified.getTime() };
  });
}

// What makes a treatment the one it is: Nightscout refuses a change to these (others it ignores
// here: apps send back fields such as srvModified as they last saw them).
const IDENTIFYING_FIELDS = ["identifier", "eventType", "date", "utcOffset"] as const;
const patchSchema = nightscoutTreatmentSchema.pick({ carbs: true, insulin: true, insulinType: true, duration: true, durationInMilliseconds: true, absolute: true, rate: true, notes: true, enteredBy: true });

/**
 * PATCH /api/v3/treatments/{identifier}: AndroidAPS's update (a temporary basal ended early,
 * carbs corrected). Only the amounts, duration, rate and notes change; a changed time or event
 * type is refused, as Nightscout refuses it.
 */
export async function patchTreatmentV3(uploader: UploaderActor, identifier: string, body: unknown, now = new Date()): Promise<V3ChangeOutcome> {
  const patch = v3Document(body);
  if (!patch) throw new AppError("invalid_input", BAD_REQUEST_BODY);
  return audited(uploader, { action: "update", resourceType: "Treatment" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "treatment:write", uploader.patientId);
    trail.touch(patient.id);
    trail.resourceId = identifier;
    const row = await findByIdentifier(tx, patient.id, identifier);
    if (!row) return { kind: "not-found" };
    if (!row.isValid) return { kind: "gone" };
    const stored = { identifier: row.identifier, eventType: row.eventType, date: row.occurredAt.getTime(), utcOffset: row.utcOffsetMinutes };
    const changed = IDENTIFYING_FIELDS.find((field) => patch[field] !== undefined && patch[field] !== null && patch[field] !== stored[field]);
    if (changed) return { kind: "refused", reason: `Field ${changed} cannot be modified by the client` };
    const parsed = patchSchema.safeParse(patch);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const reason = unreadableReason("Treatments", issue.path.join("."), issue.message);
      await recordUploadProblems(tx, patient, [{ app: appName(patch.device, patch.app, patch.enteredBy, row.app), reason }], now);
      return { kind: "refused", reason };
    }
    const fields = parsed.data;
    const has = (field: keyof typeof fields) => Object.hasOwn(patch, field);
    const durationMinutes = has("duration") ? fields.duration : has("durationInMilliseconds") ? (fields.durationInMilliseconds == null ? null : fields.durationInMilliseconds / 60_000) : undefined;
    await tx
      .update(treatments)
      .set({
        ...(has("carbs") ? { carbsGrams: fields.carbs || null } : {}),
        ...(has("insulin") ? { insulinUnits: fields.insulin || null } : {}),
        ...(has("insulinType") ? { insulinKind: fields.insulinType ?? null } : {}),
        ...(durationMinutes === undefined ? {} : { durationMinutes }),
        ...(has("absolute") || has("rate") ? { basalRate: fields.absolute ?? fields.rate ?? null } : {}),
        ...(has("notes") ? { notes: fields.notes ?? null } : {}),
        ...(has("enteredBy") ? { enteredBy: fields.enteredBy ?? null } : {}),
        srvModified: now,
      })
      .where(and(eq(treatments.patientId, patient.id), eq(treatments.identifier, identifier)));
    return { kind: "changed", lastModified: now.getTime() };
  });
}

/**
 * DELETE /api/v1/treatments/{_id} and /api/v3/treatments/{identifier}: the treatment leaves the
 * patient's record and lists, and stays as deleted (isValid false) so apps syncing changes learn
 * of it. Lantern keeps it even when asked to delete permanently: the record keeps its history.
 */
export async function deleteTreatment(uploader: UploaderActor, identifier: string, now = new Date()): Promise<{ deletedCount: number }> {
  return audited(uploader, { action: "update", resourceType: "Treatment" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "treatment:write", uploader.patientId);
    trail.touch(patient.id);
    trail.resourceId = identifier;
    const deleted = await tx
      .update(treatments)
      .set({ isValid: false, srvModified: now })
      .where(and(eq(treatments.patientId, patient.id), eq(treatments.identifier, identifier), eq(treatments.isValid, true)))
      .returning({ id: treatments.id });
    return { deletedCount: deleted.length };
  });
}

export interface TreatmentListRow {
  id: number;
  eventType: string | null;
  occurredAt: Date;
  utcOffsetMinutes: number;
  carbsGrams: number | null;
  insulinUnits: number | null;
  insulinKind: string | null;
  durationMinutes: number | null;
  basalRate: number | null;
  notes: string | null;
  app: string;
}

/**
 * A patient's treatments, newest first, for the patient's record and reports: deleted ones left
 * out. `since` (inclusive) and `until` (exclusive) limit them to a period, a report's; `limit`
 * caps how many.
 */
export async function listPatientTreatments(
  actor: Actor,
  patientId: string,
  { limit = 50, since, until }: { limit?: number; since?: Date; until?: Date } = {},
): Promise<TreatmentListRow[]> {
  return audited(actor, { action: "search", resourceType: "Treatment" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "treatment:search", patientId);
    trail.touch(patient.id);
    return tx
      .select({
        id: treatments.id,
        eventType: treatments.eventType,
        occurredAt: treatments.occurredAt,
        utcOffsetMinutes: treatments.utcOffsetMinutes,
        carbsGrams: treatments.carbsGrams,
        insulinUnits: treatments.insulinUnits,
        insulinKind: treatments.insulinKind,
        durationMinutes: treatments.durationMinutes,
        basalRate: treatments.basalRate,
        notes: treatments.notes,
        app: treatments.app,
      })
      .from(treatments)
      .where(and(eq(treatments.patientId, patient.id), eq(treatments.isValid, true), since ? gte(treatments.occurredAt, since) : undefined, until ? lt(treatments.occurredAt, until) : undefined))
      .orderBy(desc(treatments.occurredAt), desc(treatments.id))
      .limit(limit);
  });
}
