import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Transaction } from "@/db/client";
import { glucoseReadings } from "@/db/schema";
import type { Actor } from "@/lib/access/actor";
import { assertCan, authorizePatient, type AuthorizedPatient } from "@/lib/access/authorize";
import { auditedRefusals } from "@/lib/audit/record";
import { AccessDenied, AppError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { fhirIdentifierKey, readingOrigin } from "@/lib/readings/identity";
import { ingestReadings, lockPatientReadings, type ReadingCandidate } from "@/lib/readings/ingest";
import { whyUnacceptable } from "@/lib/readings/validation";
import { observationToCandidate, type ObservationParse } from "./observation-input";
import { observationColumns, type FhirObservationRow, type ObservationRow } from "./observations";
import { withThresholds } from "./thresholds";

/**
 * FHIR writes of glucose Observations, through the shared write path, with the identity rules of
 * docs/decisions/007: an Observation is the same reading as one stored when it carries the same
 * identifier (from the same system, or the same sender when it names no system) or, without one,
 * the same sender, specimen, time and value. A resend of the same reading answers 200 with the
 * stored Observation; the same identifier with another time or value is refused as a conflict
 * that names the stored Observation, never answered with it.
 */

type ParsedObservation = Extract<ObservationParse, { patientId: string }>;

/** The sender of an Observation, part of its identity. */
function senderOf(actor: Actor): string {
  switch (actor.kind) {
    case "backend-client":
      return `client:${actor.clientId}`;
    case "user":
      return `user:${actor.userId}`;
    case "device":
      return `device:${actor.deviceId}`;
    case "uploader":
      return `uploader:${actor.patientId}`;
    case "system":
      return `system:${actor.job}`;
  }
}

function sameContent(row: ObservationRow, candidate: ReadingCandidate): boolean {
  return (
    row.effectiveAt.getTime() === candidate.effectiveAt.getTime() &&
    row.valueAsReceived === candidate.value &&
    row.unit === candidate.unit &&
    row.censored === candidate.censored &&
    row.specimen === candidate.specimen
  );
}

function conflictMessage(parsed: ParsedObservation, with_: string): string {
  return `Observation.identifier ${parsed.identifier} already names ${with_} with another time or value. Send a new identifier for a new reading.`;
}

/** Stored readings of a patient under these dedupe keys. */
async function storedUnder(tx: Transaction, patientId: string, keys: string[]): Promise<Map<string, ObservationRow>> {
  if (keys.length === 0) return new Map();
  const rows = await tx
    .select({ ...observationColumns, key: glucoseReadings.dedupeKey })
    .from(glucoseReadings)
    .where(and(eq(glucoseReadings.patientId, patientId), inArray(glucoseReadings.dedupeKey, keys)));
  return new Map(rows.map(({ key, ...row }) => [key!, row]));
}

/** A stored reading with what its Observation is rendered with. */
async function rendered(tx: Transaction, row: ObservationRow): Promise<FhirObservationRow> {
  const [withTargets] = await withThresholds(tx, [row], new Date());
  return withTargets!;
}

const locationOf = (row: { id: number; version: number }) => `Observation/${row.id}/_history/${row.version}`;

/** POST /fhir/Observation. With `If-None-Exist: identifier=system|value`, an Observation stored under that identifier is returned (200). */
export async function createObservation(actor: Actor, resource: unknown, ifNoneExist: string | null): Promise<{ created: boolean; row: FhirObservationRow }> {
  return auditedRefusals(actor, { action: "create", resourceType: "Observation" }, async () => {
    assertCan(actor, "reading:create", "Observation");
    const sender = senderOf(actor);
    const parsed = observationToCandidate(resource, 0, sender);
    if ("error" in parsed) throw parseRefusal(parsed, "");
    return getDb().transaction(async (tx) => {
      const patient = await authorizePatient(tx, actor, "reading:create", parsed.patientId);
      await lockPatientReadings(tx, [patient.id]);
      if (ifNoneExist !== null) {
        const criteria = new URLSearchParams(ifNoneExist);
        const identifier = criteria.get("identifier");
        if (!identifier || [...criteria.keys()].some((key) => key !== "identifier")) {
          throw new AppError("invalid_input", "If-None-Exist supports identifier=system|value only.");
        }
        const [system, value] = identifier.includes("|") ? [identifier.slice(0, identifier.indexOf("|")) || null, identifier.slice(identifier.indexOf("|") + 1)] : [null, identifier];
        const existing = (await storedUnder(tx, patient.id, [fhirIdentifierKey({ sender, system, value })])).get(fhirIdentifierKey({ sender, system, value }));
        if (existing) return { created: false, row: await rendered(tx, existing) };
      }
      const stored = (await storedUnder(tx, patient.id, [parsed.candidate.dedupeKey])).get(parsed.candidate.dedupeKey);
      if (stored) {
        if (sameContent(stored, parsed.candidate)) return { created: false, row: await rendered(tx, stored) };
        throw new AppError("conflict", conflictMessage(parsed, `Observation/${stored.id}`));
      }
      const outcome = await ingestReadings(tx, { actor, patient, source: "fhir", origin: readingOrigin.fhir(sender) }, [parsed.candidate]);
      if (outcome.rejected[0]) throw new AppError("unprocessable", `Observation: ${outcome.rejected[0].reason}`);
      const [row] = await tx.select(observationColumns).from(glucoseReadings).where(eq(glucoseReadings.id, outcome.insertedIds[0]!));
      return { created: true, row: await rendered(tx, row!) };
    });
  });
}

type ParseRefusal = Extract<ObservationParse, { error: string }>;

/** A refused Observation as an error: 400 for what is not a valid R4 Observation, 422 for a business rule. */
function parseRefusal(parsed: ParseRefusal, where: string): AppError {
  return new AppError(parsed.kind === "invalid" ? "invalid_input" : "unprocessable", `${where}${parsed.expression}: ${parsed.error}`, { expression: [parsed.expression] });
}

/** A refused Observation as a Bundle entry's answer; a summary or another code is not stored, as the CGM IG lets a receiver answer. */
function parseRefusalEntry(parsed: ParseRefusal): EntryResult {
  if (parsed.kind === "invalid") return { status: "400 Bad Request", outcome: { severity: "error", code: "invalid", diagnostics: `${parsed.expression}: ${parsed.error}` } };
  const notStored = parsed.expression === "Observation.code";
  return { status: "422 Unprocessable Entity", outcome: { severity: notStored ? "information" : "error", code: notStored ? "not-supported" : "business-rule", diagnostics: `${parsed.expression}: ${parsed.error}` } };
}

export interface EntryResult {
  status: string;
  location?: string;
  outcome?: { severity: "error" | "information"; code: string; diagnostics: string };
}

/**
 * $submit-cgm-bundle (HL7 CGM IG): the glucose readings of a transaction Bundle are stored
 * through the shared write path; every entry gets a status in submission order. Summaries and
 * reports are not stored (Lantern computes its own from the readings); their entries say so with
 * 422, as the IG allows a receiver to keep a subset.
 */
export async function submitCgmBundle(actor: Actor, bundle: unknown): Promise<EntryResult[]> {
  const { resourceType, type, entry } = (bundle ?? {}) as { resourceType?: unknown; type?: unknown; entry?: unknown };
  if (resourceType !== "Bundle") throw new AppError("invalid_input", "Send a Bundle (type transaction) or Parameters with a resource parameter holding one.");
  if (type !== "transaction" && type !== "batch") {
    throw new AppError("invalid_input", `$submit-cgm-bundle takes the IG's cgm-data-submission-bundle, of type transaction (or batch); not ${JSON.stringify(type ?? null)}.`);
  }
  const entries = postedEntries(entry);
  return auditedRefusals(actor, { action: "create", resourceType: "Observation" }, async () => {
    assertCan(actor, "reading:create", "Observation");
    return storeObservationEntries(actor, entries, false);
  });
}

/**
 * Bundle.entry as a client posted it: a list, or absent for none. Anything else (a number, an
 * object, a string) is the client's to fix, said before any entry is looked at.
 */
function postedEntries(entry: unknown): unknown[] {
  if (entry === undefined || entry === null) return [];
  if (!Array.isArray(entry)) throw new AppError("invalid_input", "Bundle.entry must be a list (a JSON array) of entries; leave it out for an empty Bundle.");
  return entry;
}

const isObservationPost = (item: unknown) => {
  const request = (item as { request?: { method?: string; url?: string } })?.request;
  return request?.method === "POST" && /^Observation\/?$/.test(request.url ?? "");
};

/**
 * POST /fhir with a batch or transaction Bundle. Lantern accepts creates of glucose Observations.
 * A batch answers each entry on its own; a transaction is all or nothing: any entry that cannot
 * be stored refuses the whole Bundle with the entry's position, and nothing is written.
 */
export async function processBundle(actor: Actor, bundle: unknown): Promise<{ type: "batch-response" | "transaction-response"; results: EntryResult[] }> {
  const { resourceType, type, entry } = (bundle ?? {}) as { resourceType?: unknown; type?: unknown; entry?: unknown };
  if (resourceType !== "Bundle" || (type !== "batch" && type !== "transaction")) {
    throw new AppError("invalid_input", "POST /fhir takes a Bundle of type batch or transaction.");
  }
  const entries = postedEntries(entry);
  return auditedRefusals(actor, { action: "create", resourceType: "Observation" }, async () => {
    assertCan(actor, "reading:create", "Observation");
    if (type === "transaction") {
      entries.forEach((item, index) => {
        if (!isObservationPost(item)) throw new AppError("invalid_input", `Bundle.entry[${index}]: only POST Observation (glucose readings) is supported.`);
      });
      const sender = senderOf(actor);
      const parsed = entries.map((item, index) => ({ index, parsed: observationToCandidate((item as { resource?: unknown })?.resource, index, sender) }));
      const invalid = parsed.find((p) => "error" in p.parsed);
      if (invalid && "error" in invalid.parsed) throw parseRefusal(invalid.parsed, `Bundle.entry[${invalid.index}].resource: `);
      // The shared value and time checks run first too, so a transaction is refused before anything is written.
      for (const { index, parsed: entryParse } of parsed) {
        const reason = "candidate" in entryParse ? whyUnacceptable(entryParse.candidate, new Date()) : null;
        if (reason) throw new AppError("unprocessable", `Bundle.entry[${index}].resource: ${reason}`);
      }
    }
    const results = await storeObservationEntries(actor, entries, type === "transaction", (item, index) =>
      isObservationPost(item)
        ? null
        : { status: "400 Bad Request", outcome: { severity: "error", code: "not-supported", diagnostics: `Bundle.entry[${index}]: only POST Observation (glucose readings) is supported.` } },
    );
    return { type: type === "batch" ? "batch-response" : "transaction-response", results };
  });
}

/** The patients among `ids` the actor may write readings for, each authorized (the rest are absent). */
async function writablePatients(tx: Transaction, actor: Actor, ids: string[]): Promise<Map<string, AuthorizedPatient>> {
  const writable = new Map<string, AuthorizedPatient>();
  for (const id of ids) {
    try {
      writable.set(id, await authorizePatient(tx, actor, "reading:create", id));
    } catch (error) {
      if (!(error instanceof AccessDenied)) throw error;
    }
  }
  return writable;
}

const ok = (location: string, diagnostics: string): EntryResult => ({ status: "200 OK", location, outcome: { severity: "information", code: "duplicate", diagnostics } });
const conflict = (diagnostics: string): EntryResult => ({ status: "409 Conflict", outcome: { severity: "error", code: "conflict", diagnostics } });

/**
 * Stores the glucose Observations among `entries`, each answered in place. Inside the Bundle, an
 * entry repeating an earlier one is that reading again (200, the earlier entry's location); the
 * same identifier with other content is a conflict (409). Against what is stored, the same.
 */
async function storeObservationEntries(
  actor: Actor,
  entries: unknown[],
  allOrNothing: boolean,
  refuse: (entry: unknown, index: number) => EntryResult | null = () => null,
): Promise<EntryResult[]> {
  const results: EntryResult[] = new Array(entries.length);
  const sender = senderOf(actor);
  const byPatient = new Map<string, { parsed: ParsedObservation; index: number }[]>();

  entries.forEach((entry, index) => {
    const refused = refuse(entry, index);
    if (refused) {
      results[index] = refused;
      return;
    }
    const resource = (entry as { resource?: { resourceType?: string; code?: unknown } })?.resource;
    if (resource?.resourceType !== "Observation") {
      results[index] = { status: "422 Unprocessable Entity", outcome: { severity: "information", code: "not-supported", diagnostics: `${resource?.resourceType ?? "This entry"} is not stored; Lantern stores sensor readings and computes summaries itself.` } };
      return;
    }
    const parsed = observationToCandidate(resource, index, sender);
    if ("error" in parsed) {
      results[index] = parseRefusalEntry(parsed);
      return;
    }
    byPatient.set(parsed.patientId, [...(byPatient.get(parsed.patientId) ?? []), { parsed, index }]);
  });
  // In a transaction, one entry that cannot be stored refuses the whole Bundle (and rolls it back).
  const refuseWhole = (index: number, result: EntryResult) => {
    const code = result.status.startsWith("409") ? "conflict" : result.status.startsWith("422") ? "unprocessable" : "invalid_input";
    if (allOrNothing) throw new AppError(code, `Bundle.entry[${index}]: ${result.outcome!.diagnostics}`);
    results[index] = result;
  };

  await getDb().transaction(async (tx) => {
    const writable = await writablePatients(tx, actor, [...byPatient.keys()]);
    // Every patient's lock before any write: the audit chain's lock is taken by the first write.
    await lockPatientReadings(tx, [...writable.keys()]);
    for (const [patientId, items] of byPatient) {
      const patient = writable.get(patientId);
      if (!patient) {
        // A transaction with a patient the actor may not write for is refused whole, as not found.
        // The denial names the patient asked for when the id is one (the audit trail stores uuids).
        if (allOrNothing) throw new AccessDenied("Patient", isUuid(patientId) ? patientId : null);
        for (const item of items) results[item.index] = { status: "404 Not Found", outcome: { severity: "error", code: "not-found", diagnostics: `No such patient: Patient/${patientId}` } };
        continue;
      }
      const firstOfKey = new Map<string, { parsed: ParsedObservation; index: number }>();
      const repeats: { index: number; of: number }[] = [];
      const fresh: { parsed: ParsedObservation; index: number }[] = [];
      for (const item of items) {
        const earlier = firstOfKey.get(item.parsed.candidate.dedupeKey);
        if (!earlier) {
          firstOfKey.set(item.parsed.candidate.dedupeKey, item);
          fresh.push(item);
        } else if (earlier.parsed.contentKey === item.parsed.contentKey) {
          repeats.push({ index: item.index, of: earlier.index });
        } else {
          refuseWhole(item.index, conflict(conflictMessage(item.parsed, `Bundle.entry[${earlier.index}]`)));
        }
      }
      const stored = await storedUnder(tx, patient.id, fresh.map((item) => item.parsed.candidate.dedupeKey));
      const toStore = fresh.filter((item) => {
        const row = stored.get(item.parsed.candidate.dedupeKey);
        if (!row) return true;
        if (sameContent(row, item.parsed.candidate)) results[item.index] = ok(locationOf(row), "Already stored.");
        else refuseWhole(item.index, conflict(conflictMessage(item.parsed, `Observation/${row.id}`)));
        return false;
      });
      const outcome = await ingestReadings(tx, { actor, patient, source: "fhir", origin: readingOrigin.fhir(sender) }, toStore.map((item) => item.parsed.candidate));
      const rejectedAt = new Map(outcome.rejected.map((r) => [r.index, r.reason]));
      const inserted = await storedUnder(tx, patient.id, toStore.map((item) => item.parsed.candidate.dedupeKey));
      for (const item of toStore) {
        const reason = rejectedAt.get(item.index);
        const row = inserted.get(item.parsed.candidate.dedupeKey);
        if (reason) refuseWhole(item.index, { status: "422 Unprocessable Entity", outcome: { severity: "error", code: "business-rule", diagnostics: `Bundle.entry[${item.index}].resource: ${reason}` } });
        else results[item.index] = { status: "201 Created", location: locationOf(row!) };
      }
      for (const repeat of repeats) {
        const first = results[repeat.of]!;
        results[repeat.index] = first.location ? ok(first.location, `The same reading as Bundle.entry[${repeat.of}].`) : first;
      }
    }
  });
  return results;
}

/** The response Bundle of a batch, transaction or $submit-cgm-bundle: one entry per submitted entry. */
export function entryResultsBundle(type: "batch-response" | "transaction-response", results: EntryResult[]) {
  return {
    resourceType: "Bundle",
    type,
    entry: results.map((result) => ({
      response: {
        status: result.status,
        ...(result.location ? { location: result.location } : {}),
        ...(result.outcome ? { outcome: { resourceType: "OperationOutcome", issue: [result.outcome] } } : {}),
      },
    })),
  };
}
