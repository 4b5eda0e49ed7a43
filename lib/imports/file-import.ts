import "server-only";
import { getDb } from "@/db/client";
import type { UserActor } from "@/lib/access/actor";
import { authorizePatient, type AuthorizedPatient } from "@/lib/access/authorize";
import { auditedRefusals } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { fileReadingKey, readingOrigin } from "@/lib/readings/identity";
import { createImportParser, createTextFileDecoder, type ImportFormat, type RowOutcome } from "@/lib/readings/import";
import { ingestReadings, timeBoundsOf, type ReadingCandidate } from "@/lib/readings/ingest";
import { whyUnacceptable } from "@/lib/readings/validation";
import { TimePlacer } from "./placement";

import { MAX_IMPORT_BYTES, PREVIEW_BYTES } from "./limits";


// Rows written per transaction: big enough for unnest() to be fast, small enough that memory stays flat.
const BATCH_SIZE = 5_000;
// Rejections listed in full; beyond this only counted, so a broken 1-million-row file stays small.
const MAX_LISTED_REJECTIONS = 100;

export interface ImportSummary {
  format: ImportFormat;
  /** The file's text encoding, for people: "UTF-8", "UTF-16 LE (Excel Unicode text)"... */
  encoding: string;
  readings: number;
  skippedRows: number;
  rejectedRows: number;
  rejections: { row: number; reason: string }[];
  firstTime: string | null;
  lastTime: string | null;
  timeNotes: string[];
  /** Set when a preview read only the file's beginning: how much it read, and the file's size when known. */
  sampled?: { bytes: number; fileBytes: number | null; estimatedReadings: number | null };
  /** Set after a commit: stored now, and already present from an earlier import. */
  accepted?: number;
  duplicates?: number;
}

export interface ImportProgress {
  bytes: number;
  rows: number;
}

/**
 * A meter export file, streamed: detected, parsed row by row, placed in the patient's time zone
 * and checked by the shared rules. `preview` writes nothing; `commit` writes batches through the
 * shared write path, where re-uploaded or overlapping rows are duplicates and store nothing.
 * A reading is never half-written; a commit interrupted midway keeps the batches before it, and
 * uploading the same file again completes it.
 */
export async function importReadingsFile(
  actor: UserActor,
  patientId: string,
  file: ReadableStream<Uint8Array>,
  mode: "preview" | "commit",
  onProgress: (progress: ImportProgress) => void = () => {},
  now = new Date(),
): Promise<ImportSummary> {
  const run = await authorizeImport(actor, patientId);
  return run(file, mode, { onProgress, now });
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  now?: Date;
  /** The whole file's size, when the caller sends a preview only its beginning. */
  fileBytes?: number | null;
}

export type ImportRun = (file: ReadableStream<Uint8Array>, mode: "preview" | "commit", options?: ImportOptions) => Promise<ImportSummary>;

/**
 * Authorizes an import before the first byte of the file is read (a patient outside the actor's
 * view is a plain 404, never a stream that fails), and returns the import to run.
 */
export async function authorizeImport(actor: UserActor, patientId: string): Promise<ImportRun> {
  const patient = await auditedRefusals(actor, { action: "create", resourceType: "Observation" }, () => authorizePatient(getDb(), actor, "reading:create", patientId));
  return (file, mode, { onProgress = () => {}, now = new Date(), fileBytes = null } = {}) => runImport(actor, patient, file, mode, onProgress, now, fileBytes);
}

async function runImport(
  actor: UserActor,
  patient: AuthorizedPatient,
  file: ReadableStream<Uint8Array>,
  mode: "preview" | "commit",
  onProgress: (progress: ImportProgress) => void,
  now: Date,
  fileBytes: number | null,
): Promise<ImportSummary> {
  const parser = createImportParser();
  const placer = new TimePlacer(patient.timezone);
  const bounds = timeBoundsOf(patient);
  const summary: ImportSummary = { format: "generic", encoding: "UTF-8", readings: 0, skippedRows: 0, rejectedRows: 0, rejections: [], firstTime: null, lastTime: null, timeNotes: [] };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let batch: ReadingCandidate[] = [];
  let bytes = 0;
  let rows = 0;

  const reject = (row: number, reason: string) => {
    summary.rejectedRows += 1;
    if (summary.rejections.length < MAX_LISTED_REJECTIONS) summary.rejections.push({ row, reason });
  };
  const flush = async () => {
    if (mode === "commit" && batch.length > 0) {
      const written = batch;
      // Each batch is one statement with its audit event: an interrupted import keeps whole batches.
      const outcome = await ingestReadings(getDb(), { actor, patient, source: "file", origin: readingOrigin.file(null, "generic"), enteredByUserId: actor.userId }, written, now);
      summary.accepted = (summary.accepted ?? 0) + outcome.accepted;
      summary.duplicates = (summary.duplicates ?? 0) + outcome.duplicates;
    }
    batch = [];
    onProgress({ bytes, rows });
  };
  const consume = async (outcomes: RowOutcome[]) => {
    for (const outcome of outcomes) {
      rows += 1;
      if (outcome.kind === "skipped") summary.skippedRows += 1;
      else if (outcome.kind === "rejected") reject(outcome.row, outcome.reason);
      else {
        const parsed = outcome.reading;
        const placed = placer.place(parsed);
        if ("reason" in placed) {
          reject(parsed.row, placed.reason);
          continue;
        }
        const candidate: ReadingCandidate = {
          position: parsed.row,
          value: parsed.value,
          unit: parsed.unit,
          censored: parsed.censored,
          effectiveAt: placed.effectiveAt,
          utcOffsetMinutes: placed.utcOffsetMinutes,
          specimen: parsed.specimen,
          dedupeKey: fileReadingKey({ ...parsed, effectiveAt: placed.effectiveAt }),
          origin: readingOrigin.file(parsed.deviceSerial, parsed.recordKind),
        };
        const reason = whyUnacceptable(candidate, now, bounds);
        if (reason) {
          reject(parsed.row, `Row ${parsed.row}: ${reason}`);
          continue;
        }
        summary.readings += 1;
        first = Math.min(first, placed.effectiveAt.getTime());
        last = Math.max(last, placed.effectiveAt.getTime());
        batch.push(candidate);
        if (batch.length >= BATCH_SIZE) await flush();
      }
    }
  };

  const decoder = createTextFileDecoder();
  const reader = file.getReader();
  let sampled = false;
  for (;;) {
    const { value: chunk, done } = await reader.read();
    if (done) break;
    bytes += chunk.byteLength;
    if (bytes > MAX_IMPORT_BYTES) throw new AppError("payload_too_large", "The file is larger than 50 MB. Export a shorter period and upload the parts.");
    await consume(parser.push(decoder.push(chunk)));
    if (decoder.error) throw new AppError("invalid_input", decoder.error);
    if (parser.error) throw new AppError("invalid_input", parser.error);
    if (mode === "preview" && bytes >= PREVIEW_BYTES) {
      sampled = true;
      await reader.cancel();
      break;
    }
  }
  // A sample ends mid-line: its last, partial row is not the file's, so it is not parsed.
  if (!sampled) {
    await consume(parser.push(decoder.end()));
    if (decoder.error) throw new AppError("invalid_input", decoder.error);
    await consume(parser.end());
    if (parser.error) throw new AppError("invalid_input", parser.error);
  }
  summary.encoding = decoder.encoding ?? "UTF-8";
  await flush();
  if (mode === "preview" && (sampled || (fileBytes !== null && fileBytes > bytes))) {
    const total = fileBytes ?? null;
    summary.sampled = { bytes, fileBytes: total, estimatedReadings: total ? Math.round((summary.readings * total) / bytes) : null };
  }

  summary.format = parser.format ?? "generic";
  summary.timeNotes = placer.explanations();
  if (summary.readings > 0) {
    summary.firstTime = new Date(first).toISOString();
    summary.lastTime = new Date(last).toISOString();
  }
  return summary;
}
