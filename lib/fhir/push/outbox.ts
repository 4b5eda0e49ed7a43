import "server-only";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { Client } from "fhir-kit-client";
import { getDb } from "@/db/client";
import { alerts, glucoseReadings, hospitalEndpoints, patients, pushOutbox } from "@/db/schema";
import { internalOrigin, type SystemActor } from "@/lib/access/actor";
import { patientVisibleTo } from "@/lib/access/visibility";
import { recordAudit } from "@/lib/audit/record";
import type { Flag, Observation } from "@medplum/fhirtypes";
import { FLAG_DETAIL_EXTENSION, LANTERN_ALERT_SYSTEM, toFhirFlag } from "@/lib/fhir/flag";
import { toFhirObservation } from "@/lib/fhir/mapping";
import { flagColumns } from "@/lib/fhir/server/flags";
import { withThresholds } from "@/lib/fhir/server/thresholds";
import { isAppError } from "@/lib/errors";
import { startPeriodicJob } from "@/lib/periodic";
import { SealedValueError } from "@/lib/security/data-encryption";
import { assertOutboundAllowed } from "@/lib/security/outbound";
import { openFrom } from "@/lib/security/sealed-columns";

/** After this many failed tries an entry waits in the dead-letter list for an admin's replay. */
export const MAX_ATTEMPTS = 12;
const MAX_BACKOFF_SECONDS = 300;
export const LANTERN_OBSERVATION_SYSTEM = "urn:lantern:observation";

export function backoffSeconds(attempts: number): number {
  return Math.min(2 ** attempts, MAX_BACKOFF_SECONDS);
}

/**
 * The transaction Bundle announcing readings and alerts: one conditional update per Observation
 * and per Flag, keyed by Lantern's identifier, so a redelivery after a lost answer changes nothing
 * at the hospital. A Flag's evidence names its reading by that identifier too (the hospital's
 * Observation has the hospital's id).
 */
export function pushBundle(observations: readonly Observation[], flags: readonly Flag[] = []) {
  const observationEntries = observations.map((observation) => {
    const identifier = { system: LANTERN_OBSERVATION_SYSTEM, value: observation.id! };
    return {
      resource: { ...observation, id: undefined, meta: undefined, identifier: [identifier] },
      request: { method: "PUT" as const, url: `Observation?identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}` },
    };
  });
  const flagEntries = flags.map((flag) => {
    const extension = flag.extension?.map((detail) =>
      detail.url === FLAG_DETAIL_EXTENSION && detail.valueReference?.reference?.startsWith("Observation/")
        ? { url: detail.url, valueReference: { type: "Observation", identifier: { system: LANTERN_OBSERVATION_SYSTEM, value: detail.valueReference.reference.slice("Observation/".length) } } }
        : detail,
    );
    return {
      resource: { ...flag, id: undefined, meta: undefined, ...(extension ? { extension } : {}) },
      request: { method: "PUT" as const, url: `Flag?identifier=${encodeURIComponent(`${LANTERN_ALERT_SYSTEM}|${flag.id!}`)}` },
    };
  });
  return { resourceType: "Bundle" as const, type: "transaction" as const, entry: [...observationEntries, ...flagEntries] };
}

/**
 * Delivers due outbox entries, oldest first, one at a time per endpoint and patient (a later entry
 * waits while an earlier one is pending or dead, so a hospital sees a patient's readings in
 * order). Each entry is claimed with SKIP LOCKED, so several server processes never send one twice.
 * An entry for a patient the push job may no longer see (they object to hospital sharing since it
 * was queued) is dropped unsent. Returns how many were delivered.
 */
export async function deliverDuePushes(now = new Date(), limit = 50): Promise<number> {
  let delivered = 0;
  for (let i = 0; i < limit; i++) {
    const outcome = await getDb().transaction(async (tx) => {
      const [item] = await tx
        .select({ id: pushOutbox.id, endpointId: pushOutbox.endpointId, patientId: pushOutbox.patientId, readingIds: pushOutbox.readingIds, alertIds: pushOutbox.alertIds, attempts: pushOutbox.attempts })
        .from(pushOutbox)
        .where(
          and(
            eq(pushOutbox.status, "pending"),
            lte(pushOutbox.nextAttemptAt, now),
            sql`not exists (select 1 from push_outbox earlier where earlier.endpoint_id = ${pushOutbox.endpointId}
              and earlier.patient_id = ${pushOutbox.patientId} and earlier.id < ${pushOutbox.id} and earlier.status <> 'delivered')`,
          ),
        )
        .orderBy(asc(pushOutbox.id))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!item) return "idle" as const;
      const [endpoint] = await tx.select().from(hospitalEndpoints).where(eq(hospitalEndpoints.id, item.endpointId));
      const job: SystemActor = { kind: "system", job: "hospital-push", organizationId: endpoint?.organizationId ?? "", origin: internalOrigin() };
      const [visible] = await tx.select({ id: patients.id }).from(patients).where(and(eq(patients.id, item.patientId), patientVisibleTo(job)));
      if (!visible) {
        await tx.delete(pushOutbox).where(eq(pushOutbox.id, item.id));
        return "withheld" as const;
      }
      const readings = await tx.select().from(glucoseReadings).where(inArray(glucoseReadings.id, item.readingIds)).orderBy(asc(glucoseReadings.effectiveAt));
      // A merged or withdrawn alert goes as a Flag `entered-in-error`, so the hospital withdraws it too.
      const flags = item.alertIds.length ? await tx.select(flagColumns).from(alerts).where(inArray(alerts.id, item.alertIds)).orderBy(asc(alerts.id)) : [];
      const bundle = pushBundle((await withThresholds(tx, readings, now)).map((row) => toFhirObservation(row, row.patientId)), flags.map(toFhirFlag));
      // Each attempt to send a patient's readings out is a disclosure, on record with its outcome.
      const disclosure = { action: "disclose", resourceType: item.readingIds.length ? "Observation" : "Flag", resourceId: item.endpointId, patientIds: [item.patientId], purpose: "sharing" } as const;
      try {
        if (!endpoint?.enabled) throw new Error("The endpoint is disabled.");
        // Checked again at each delivery: an allowlist narrowed since the endpoint was added stops it at once.
        assertOutboundAllowed(endpoint.baseUrl);
        const client = new Client({ baseUrl: endpoint.baseUrl, ...(endpoint.bearerTokenSealed ? { bearerToken: openFrom("hospitalEndpointBearerToken", endpoint.bearerTokenSealed) } : {}) });
        await client.transaction({ body: bundle as never });
        await tx.update(pushOutbox).set({ status: "delivered", deliveredAt: now, attempts: item.attempts + 1, lastError: null }).where(eq(pushOutbox.id, item.id));
        await recordAudit(tx, job, { ...disclosure, outcome: "success" });
        return "delivered" as const;
      } catch (error) {
        const attempts = item.attempts + 1;
        const status = (error as { response?: { status?: number } }).response?.status;
        await tx
          .update(pushOutbox)
          .set({
            attempts,
            status: attempts >= MAX_ATTEMPTS ? "dead" : "pending",
            nextAttemptAt: new Date(now.getTime() + backoffSeconds(attempts) * 1000),
            lastError: isAppError(error) || error instanceof SealedValueError ? error.message : status ? `The hospital answered HTTP ${status}` : "The hospital's server could not be reached",
          })
          .where(eq(pushOutbox.id, item.id));
        if (endpoint) await recordAudit(tx, job, { ...disclosure, outcome: "failure" });
        return "failed" as const;
      }
    });
    if (outcome === "idle") break;
    if (outcome === "delivered") delivered++;
  }
  return delivered;
}

/** Started once per server process; the database decides who sends what. */
export function startPushWorker(intervalMs = 2000): void {
  startPeriodicJob("push", intervalMs, deliverDuePushes);
}
