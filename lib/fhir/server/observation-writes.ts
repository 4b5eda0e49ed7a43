import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Transaction } from "@/db/client";
import { glucoseReadings } from "@/db/schema";
import type { Actor } from "@/lib/access/actor";
import { assertCan, authorizePatient, type AuthorizedPatient } from "@/lib/access/authorize";
import { auditedRefusals } from "@/lib/audit/record";
import { AccessDenied, AppError } from "@/lib/errors";
import { ingestReadings, type ReadingCandidate } from "@/lib/readings/ingest";
import { whyUnacceptable } from "@/lib/readings/validation";
import { observationToCandidate } from "./observation-input";
import { observationColumns, type ObservationRow } from "./observations";

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

async function rowsByDedupeKey(tx: Transaction, patientId: string, dedupeKey: string): Promise<ObservationRow[]> {
  return tx
    .select(observationColumns)
    .from(glucoseReadings)
    .where(and(eq(glucoseReadings.patientId, patientId), eq(glucoseReadings.dedupeKey, dedupeKey)));
}

/**
 * POST /fhir/Observation through the shared write path. With `If-None-Exist: identifier=system|value`
 * an Observation already stored under that identifier is returned (200) instead of created. A
 * resubmission of the same reading (same identifier, or same code and time) is never stored twice.
 */
export async function createObservation(actor: Actor, resource: unknown, ifNoneExist: string | null): Promise<{ created: boolean; row: ObservationRow }> {
  return auditedRefusals(actor, { action: "create", resourceType: "Observation" }, async () => {
    assertCan(actor, "reading:create", "Observation");
    const parsed = observationToCandidate(resource, 0);
    if ("error" in parsed) throw new AppError("invalid_input", `${parsed.expression}: ${parsed.error}`);
    return getDb().transaction(async (tx) => {
      const patient = await authorizePatient(tx, actor, "reading:create", parsed.patientId);
      if (ifNoneExist !== null) {
        const criteria = new URLSearchParams(ifNoneExist);
        const identifier = criteria.get("identifier");
        if (!identifier || [...criteria.keys()].some((key) => key !== "identifier")) {
          throw new AppError("invalid_input", "If-None-Exist supports identifier=system|value only.");
        }
        const existing = await rowsByDedupeKey(tx, patient.id, `fhir:identifier:${identifier}`);
        if (existing.length > 1) throw new AppError("precondition_failed", "Several Observations match If-None-Exist.");
        if (existing[0]) return { created: false, row: existing[0] };
      }
      const outcome = await ingestReadings(tx, { actor, patient, source: "fhir" }, [parsed.candidate]);
      if (outcome.rejected[0]) throw new AppError("invalid_input", `Observation.valueQuantity: ${outcome.rejected[0].reason}`);
      const [insertedId] = outcome.insertedIds;
      if (insertedId !== undefined) {
        const [row] = await tx.select(observationColumns).from(glucoseReadings).where(eq(glucoseReadings.id, insertedId));
        return { created: true, row: row! };
      }
      const [duplicate] = await rowsByDedupeKey(tx, patient.id, parsed.candidate.dedupeKey!);
      return { created: false, row: duplicate! };
    });
  });
}

export interface EntryResult {
  status: string;
  location?: string;
  outcome?: { severity: "error" | "information"; code: string; diagnostics: string };
}

/**
 * $submit-cgm-bundle (HL7 CGM IG): the glucose readings of a transaction Bundle are stored
 * atomically through the shared write path; every entry gets a status in submission order.
 * Summaries and reports are not stored (Lantern computes its own from the readings); their entries
 * say so with 422, as the IG allows a receiver to keep a subset.
 */
export async function submitCgmBundle(actor: Actor, bundle: unknown): Promise<EntryResult[]> {
  const entries = (bundle as { resourceType?: string; entry?: unknown[] })?.resourceType === "Bundle" ? ((bundle as { entry?: unknown[] }).entry ?? []) : null;
  if (!entries) throw new AppError("invalid_input", "Send a Bundle (type transaction) or Parameters with a resource parameter holding one.");
  return auditedRefusals(actor, { action: "create", resourceType: "Observation" }, () => storeObservationEntries(actor, entries, false));
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
  const { resourceType, type, entry } = (bundle ?? {}) as { resourceType?: string; type?: string; entry?: unknown[] };
  if (resourceType !== "Bundle" || (type !== "batch" && type !== "transaction")) {
    throw new AppError("invalid_input", "POST /fhir takes a Bundle of type batch or transaction.");
  }
  const entries = entry ?? [];
  return auditedRefusals(actor, { action: "create", resourceType: "Observation" }, async () => {
    assertCan(actor, "reading:create", "Observation");
    if (type === "transaction") {
      entries.forEach((item, index) => {
        if (!isObservationPost(item)) throw new AppError("invalid_input", `Bundle.entry[${index}]: only POST Observation (glucose readings) is supported.`);
      });
      const parsed = entries.map((item, index) => ({ index, parsed: observationToCandidate((item as { resource?: unknown })?.resource, index) }));
      const invalid = parsed.find((p) => "error" in p.parsed);
      if (invalid && "error" in invalid.parsed) throw new AppError("invalid_input", `Bundle.entry[${invalid.index}].resource: ${invalid.parsed.expression}: ${invalid.parsed.error}`);
      // The shared checks run here too, so a transaction is refused before anything is written.
      for (const { index, parsed: entryParse } of parsed) {
        const reason = "candidate" in entryParse ? whyUnacceptable(entryParse.candidate, new Date()) : null;
        if (reason) throw new AppError("invalid_input", `Bundle.entry[${index}].resource: ${reason}`);
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

async function storeObservationEntries(
  actor: Actor,
  entries: unknown[],
  allOrNothing: boolean,
  refuse: (entry: unknown, index: number) => EntryResult | null = () => null,
): Promise<EntryResult[]> {
  const results: EntryResult[] = new Array(entries.length);
  const byPatient = new Map<string, { candidate: ReadingCandidate; index: number }[]>();

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
    const parsed = observationToCandidate(resource, index);
    if ("error" in parsed) {
      const isSummary = parsed.expression === "Observation.code";
      results[index] = {
        status: isSummary ? "422 Unprocessable Entity" : "400 Bad Request",
        outcome: { severity: isSummary ? "information" : "error", code: isSummary ? "not-supported" : "invalid", diagnostics: isSummary ? "Only sensor readings are stored; Lantern computes summaries itself." : `${parsed.expression}: ${parsed.error}` },
      };
      return;
    }
    byPatient.set(parsed.patientId, [...(byPatient.get(parsed.patientId) ?? []), { candidate: parsed.candidate, index }]);
  });

  await getDb().transaction(async (tx) => {
    const writable = await writablePatients(tx, actor, [...byPatient.keys()]);
    for (const [patientId, items] of byPatient) {
      const patient = writable.get(patientId);
      if (!patient) {
        // A transaction with a patient the actor may not write for is refused whole, as not found.
        if (allOrNothing) throw new AccessDenied("Patient", patientId);
        for (const item of items) results[item.index] = { status: "404 Not Found", outcome: { severity: "error", code: "not-found", diagnostics: `No such patient: Patient/${patientId}` } };
        continue;
      }
      const outcome = await ingestReadings(tx, { actor, patient, source: "fhir" }, items.map((item) => item.candidate));
      const rejectedAt = new Map(outcome.rejected.map((r) => [r.index, r.reason]));
      // Inserted ids come back for the rows that were new; the rest were duplicates.
      const insertedKeys = outcome.insertedIds.length
        ? new Map((await tx.select({ id: glucoseReadings.id, key: glucoseReadings.dedupeKey }).from(glucoseReadings).where(inArray(glucoseReadings.id, outcome.insertedIds))).map((r) => [r.key, r.id]))
        : new Map<string | null, number>();
      for (const item of items) {
        const reason = rejectedAt.get(item.index);
        if (reason) {
          results[item.index] = { status: "400 Bad Request", outcome: { severity: "error", code: "invalid", diagnostics: reason } };
          continue;
        }
        const id = insertedKeys.get(item.candidate.dedupeKey);
        results[item.index] = id !== undefined ? { status: "201 Created", location: `Observation/${id}/_history/1` } : { status: "200 OK", outcome: { severity: "information", code: "duplicate", diagnostics: "Already stored." } };
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
