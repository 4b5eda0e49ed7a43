import "server-only";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb, type Transaction } from "@/db/client";
import { glucoseReadings, uploaderOrigins } from "@/db/schema";
import type { UploaderActor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { audited, auditedRefusals } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { readingOrigin } from "@/lib/readings/identity";
import { countedReading, ingestReadings } from "@/lib/readings/ingest";
import { appName, asDocument, notStoredAnswer } from "./documents";
import { entryToCandidate, toNightscoutEntry, toNightscoutEntryV3, type EntryParse, type StoredEntryRow } from "./entries";
import { unacceptableReason, type UploadProblem } from "./problem-reasons";
import { recordUploadProblems } from "./problems";
import { project, type CollectionQuery } from "./search-params";
import { changesInWholeMilliseconds, oneOf, orderOf, timeConditions } from "./search-sql";
import { BAD_REQUEST_BODY, v1Documents, v3Document, type V3CreateOutcome, type V3History, type V3ReadOutcome } from "./v3-outcomes";

/**
 * Glucose entries through the Nightscout API: uploads go through the one write path for readings
 * (lib/readings/ingest.ts); searches read the patient's counted readings, whatever door brought
 * them, as followers expect every glucose value.
 */

const entryColumns = {
  id: glucoseReadings.id,
  valueMgdl: glucoseReadings.valueMgdl,
  censored: glucoseReadings.censored,
  specimen: glucoseReadings.specimen,
  effectiveAt: glucoseReadings.effectiveAt,
  utcOffsetMinutes: glucoseReadings.utcOffsetMinutes,
  trend: glucoseReadings.trend,
  noise: glucoseReadings.noise,
  device: uploaderOrigins.device,
  createdAt: glucoseReadings.createdAt,
  updatedAt: glucoseReadings.updatedAt,
  dedupeKey: glucoseReadings.dedupeKey,
};
const searchColumns = { id: glucoseReadings.id, time: glucoseReadings.effectiveAt, modified: glucoseReadings.updatedAt };

/** The patient's readings with their uploader's device string; searches see counted readings only (docs/decisions/007). */
function selectEntries(tx: Transaction, patientId: string, where: SQL | undefined, { countedOnly = true } = {}) {
  return tx
    .select(entryColumns)
    .from(glucoseReadings)
    .leftJoin(uploaderOrigins, and(eq(uploaderOrigins.patientId, glucoseReadings.patientId), eq(uploaderOrigins.origin, glucoseReadings.origin)))
    .where(and(eq(glucoseReadings.patientId, patientId), countedOnly ? countedReading : undefined, where))
    .$dynamic();
}

/** A selected row as an entry: the dedupe key is only for matching an upload to what it stored. */
const entryOf = ({ dedupeKey: _key, ...row }: StoredEntryRow & { dedupeKey: string | null }): StoredEntryRow => row;

type EntryResult = { row: StoredEntryRow; inserted: boolean } | { notStored: string };

const deviceOf = (document: unknown) => asDocument(document)?.device;

/**
 * Stores an upload's entries and says, per entry and in order, what became of it: stored now,
 * stored before (a resend), or not stored and why. What is not stored is recorded as an upload
 * problem in the same transaction; nothing an app sends disappears without a trace.
 */
async function storeEntries(uploader: UploaderActor, documents: readonly unknown[], now: Date): Promise<EntryResult[]> {
  const parses: EntryParse[] = documents.map((document, index) => entryToCandidate(document, index, uploader.timezone));
  const candidates = parses.flatMap((parse) => ("candidate" in parse ? [parse.candidate] : []));
  return auditedRefusals(uploader, { action: "create", resourceType: "Observation" }, () =>
    getDb().transaction(async (tx) => {
      const patient = await authorizePatient(tx, uploader, "reading:create", uploader.patientId);
      // The device strings behind the origins, so followers get them back.
      const devices = new Map(parses.flatMap((parse) => ("candidate" in parse && parse.details.device ? [[parse.candidate.origin!, parse.details.device] as const] : [])));
      if (devices.size) {
        await tx
          .insert(uploaderOrigins)
          .values([...devices].map(([origin, device]) => ({ patientId: patient.id, origin, device })))
          .onConflictDoNothing();
      }
      const outcome = await ingestReadings(tx, { actor: uploader, patient, source: "uploader", origin: readingOrigin.uploader(null) }, candidates, now);
      const rejectedAt = new Map(outcome.rejected.map((rejection) => [rejection.index, rejection]));
      const problems: UploadProblem[] = parses.flatMap((parse, index) => {
        const app = appName(deviceOf(documents[index]));
        if ("notStored" in parse) return [{ app, reason: parse.notStored.problem }];
        const rejection = rejectedAt.get(index);
        return rejection ? [{ app, reason: unacceptableReason("Glucose entries", rejection.kind) }] : [];
      });
      await recordUploadProblems(tx, patient, problems, now);

      const keys = candidates.filter((candidate) => !rejectedAt.has(candidate.position)).map((candidate) => candidate.dedupeKey!);
      // Stored now or before, counted or kept as another app's copy of the same sensor reading.
      const rows = keys.length ? await selectEntries(tx, patient.id, inArray(glucoseReadings.dedupeKey, keys), { countedOnly: false }) : [];
      const rowByKey = new Map(rows.map((row) => [row.dedupeKey, entryOf(row)]));
      const inserted = new Set(outcome.insertedIds);
      return parses.map((parse, index): EntryResult => {
        if ("notStored" in parse) return { notStored: parse.notStored.reason };
        const rejection = rejectedAt.get(index);
        if (rejection) return { notStored: rejection.reason };
        const row = rowByKey.get(parse.candidate.dedupeKey)!;
        return { row, inserted: inserted.has(row.id) };
      });
    }),
  );
}

/**
 * POST /api/v1/entries: the answer has one element per entry, in order (Loop resends everything
 * when the count differs): the entry as stored (now or by an earlier resend), or why it was not.
 * 200 even when none was stored, so the app does not resend it for ever; only a body that is
 * not entries at all is refused.
 */
export async function storeUploaderEntries(uploader: UploaderActor, body: unknown, now = new Date()): Promise<unknown[]> {
  const documents = v1Documents(body);
  if (!documents) throw new AppError("invalid_input", "Send a JSON array of entries (or a single entry object).");
  const results = await storeEntries(uploader, documents, now);
  return results.map((result, index) => ("row" in result ? toNightscoutEntry(result.row) : notStoredAnswer(documents[index], result.notStored)));
}

/** POST /api/v3/entries: one document; created (201), already there (200), or not stored (400 with why, and an upload problem). */
export async function createEntryV3(uploader: UploaderActor, body: unknown, now = new Date()): Promise<V3CreateOutcome> {
  const document = v3Document(body);
  if (!document) throw new AppError("invalid_input", BAD_REQUEST_BODY);
  const [result] = await storeEntries(uploader, [document], now);
  if (!result || "notStored" in result) return { kind: "not-stored", reason: result?.notStored ?? BAD_REQUEST_BODY };
  return { kind: result.inserted ? "created" : "deduplicated", identifier: String(result.row.id), lastModified: result.row.updatedAt.getTime() };
}

const SPECIMEN_OF_TYPE: Record<string, "interstitial" | "capillary"> = { sgv: "interstitial", mbg: "capillary" };

function entryConditions(query: CollectionQuery): SQL | undefined {
  const specimens = query.equals.type?.flatMap((type) => (SPECIMEN_OF_TYPE[type] ? [SPECIMEN_OF_TYPE[type]] : []));
  // Readings are named by their id; anything else names none of them.
  const ids = query.equals.identifier?.filter((identifier) => /^\d{1,15}$/.test(identifier));
  return and(timeConditions(searchColumns, query), oneOf(glucoseReadings.specimen, specimens), ids === undefined ? undefined : ids.length ? inArray(glucoseReadings.id, ids.map(Number)) : sql`false`);
}

async function searchEntryRows(uploader: UploaderActor, query: CollectionQuery): Promise<StoredEntryRow[]> {
  return audited(uploader, { action: "search", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "reading:search", uploader.patientId);
    trail.touch(patient.id);
    const rows = await selectEntries(tx, patient.id, entryConditions(query))
      .orderBy(...orderOf(searchColumns, query))
      .limit(query.limit)
      .offset(query.skip);
    return rows.map(entryOf);
  });
}

/** GET /api/v1/entries (and .json, /entries/sgv.json, /entries/current.json...): the entries a search asks for. */
export async function searchUploaderEntries(uploader: UploaderActor, query: CollectionQuery) {
  return (await searchEntryRows(uploader, query)).map(toNightscoutEntry);
}

/** GET /api/v3/entries. */
export async function searchEntriesV3(uploader: UploaderActor, query: CollectionQuery) {
  return (await searchEntryRows(uploader, query)).map((row) => project(toNightscoutEntryV3(row), query.fields));
}

/** GET /api/v3/entries/history: readings changed after a time (new ones and corrections), oldest first. */
export async function entriesHistoryV3(uploader: UploaderActor, query: CollectionQuery): Promise<V3History<ReturnType<typeof toNightscoutEntryV3>>> {
  return audited(uploader, { action: "search", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "reading:search", uploader.patientId);
    trail.touch(patient.id);
    const rows = await changesInWholeMilliseconds(
      ({ where, limit }) => {
        const select = selectEntries(tx, patient.id, and(entryConditions(query), where)).orderBy(...orderOf(searchColumns, query));
        return limit === undefined ? select : select.limit(limit);
      },
      (row) => ({ id: row.id, modified: row.updatedAt }),
      searchColumns,
      query.limit,
    );
    const documents = rows.map((row) => toNightscoutEntryV3(entryOf(row)));
    return { documents, lastModified: documents.length ? Math.max(...documents.map((document) => document.srvModified)) : null };
  });
}

/** GET /api/v3/entries/{identifier}. */
export async function readEntryV3(uploader: UploaderActor, identifier: string): Promise<V3ReadOutcome<ReturnType<typeof toNightscoutEntryV3>>> {
  return audited(uploader, { action: "read", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "reading:read", uploader.patientId);
    trail.touch(patient.id);
    trail.resourceId = identifier;
    if (!/^\d{1,15}$/.test(identifier)) return { kind: "not-found" };
    const [row] = await selectEntries(tx, patient.id, eq(glucoseReadings.id, Number(identifier)));
    if (!row) return { kind: "not-found" };
    return { kind: "found", document: toNightscoutEntryV3(entryOf(row)), lastModified: row.updatedAt.getTime() };
  });
}
