import "server-only";
import { and, asc, eq, gt, gte, inArray, sql } from "drizzle-orm";
import { getDb, rowsOf, type Database, type Transaction } from "@/db/client";
import { alerts, backendClients, bulkExportFiles, bulkExportJobs, careTeamPatients, careTeams, devices, glucoseReadings, patients } from "@/db/schema";
import { internalOrigin, type Actor, type BackendClientActor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { can, type Action } from "@/lib/access/permissions";
import { patientVisibleTo } from "@/lib/access/visibility";
import { audited, recordAudit } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { AccessDenied, AppError } from "@/lib/errors";
import { toFhirFlag } from "@/lib/fhir/flag";
import { toFhirDevice, toFhirObservation, toFhirPatient } from "@/lib/fhir/mapping";
import { logUnexpected } from "@/lib/log";
import { isUuid } from "@/lib/ids";
import { startPeriodicJob } from "@/lib/periodic";
import { countedReading } from "@/lib/readings/ingest";
import { parseDateCondition } from "./date-search";
import { flagColumns, renderedAlert } from "./flags";
import { thresholdsOf } from "./thresholds";
import { withRecordNumber } from "@/lib/security/sealed-columns";

/**
 * FHIR Bulk Data export (Patient/$export, Group/[id]/$export where a Group is a care team) for
 * hospital systems. The job and its NDJSON files live in the database, so any server process can
 * answer status polls and file downloads. The export runs in the process that accepted it, under
 * a lease it renews with every file; if that process dies, the lease runs out
 * (LANTERN_BULK_EXPORT_LEASE_SECONDS) and another process takes the job over from the start, so
 * no export stays "in progress" for ever.
 */
export const EXPORT_TYPES = ["Patient", "Observation", "Device", "Flag"] as const;
type ExportType = (typeof EXPORT_TYPES)[number];
const RESOURCES_PER_FILE = 10_000;

export interface ExportRequest {
  careTeamId: string | null;
  typeParameter: string | null;
  sinceParameter: string | null;
  requestUrl: string;
}

/** The permission that lets an exporter include a type. */
const searchActionOf: Record<ExportType, Action> = { Patient: "patient:search", Observation: "reading:search", Device: "device:search", Flag: "alert:search" };

/** Only hospital systems export in bulk; anyone else does not see the export endpoints at all. */
function asExporter(actor: Actor): BackendClientActor {
  assertCan(actor, "bulk:export", "export");
  if (actor.kind !== "backend-client") throw new AccessDenied("export");
  return actor;
}

export async function startExport(actor: Actor, request: ExportRequest): Promise<string> {
  const holder = newLeaseHolder();
  const jobId = await audited(actor, { action: "export", resourceType: "Group" }, async (tx, trail) => {
    const client = asExporter(actor);
    trail.resourceId = request.careTeamId;
    const requested = request.typeParameter ? request.typeParameter.split(",").map((t) => t.trim()) : [...EXPORT_TYPES];
    const unknown = requested.filter((type) => !(EXPORT_TYPES as readonly string[]).includes(type));
    if (unknown.length) throw new AppError("invalid_input", `_type may list ${EXPORT_TYPES.join(", ")}; not ${unknown.join(", ")}.`);
    const types = (requested as ExportType[]).filter((type) => can(client, searchActionOf[type]));
    if (types.length === 0) throw new AppError("invalid_input", "The access token has no read scope for any requested type.");
    let since: Date | null = null;
    if (request.sinceParameter) {
      const parsed = parseDateCondition(request.sinceParameter);
      if ("error" in parsed || parsed.prefix !== "eq") throw new AppError("invalid_input", "_since must be an instant such as 2026-11-01T00:00:00Z.");
      since = new Date(parsed.start);
    }
    if (request.careTeamId !== null) {
      const [team] = isUuid(request.careTeamId)
        ? await tx.select({ id: careTeams.id }).from(careTeams).where(and(eq(careTeams.id, request.careTeamId), eq(careTeams.organizationId, client.organizationId)))
        : [];
      if (!team) throw new AccessDenied("Group");
    }
    const [job] = await tx
      .insert(bulkExportJobs)
      .values({ clientId: client.clientId, organizationId: client.organizationId, careTeamId: request.careTeamId, requestUrl: request.requestUrl, resourceTypes: types, since, leaseHolder: holder, leaseExpiresAt: leaseEnd() })
      .returning({ id: bulkExportJobs.id });
    return job!.id;
  });
  // Started once the job row is committed, so any process can answer its status at once.
  runInBackground(asExporter(actor), jobId, holder);
  return jobId;
}

/** Each run of an export holds the lease under its own name. */
function newLeaseHolder(): string {
  return `${process.pid}:${crypto.randomUUID()}`;
}

function leaseEnd() {
  return sql`now() + make_interval(secs => ${environment().LANTERN_BULK_EXPORT_LEASE_SECONDS})`;
}

function runInBackground(client: BackendClientActor, jobId: string, leaseHolder: string): void {
  void runExport(client, jobId, leaseHolder).catch(async (error: unknown) => {
    logUnexpected("bulk-export", client.origin.requestId, error);
    await getDb()
      .update(bulkExportJobs)
      .set({ status: "failed", error: "The export failed; start it again.", leaseHolder: null, leaseExpiresAt: null })
      .where(and(eq(bulkExportJobs.id, jobId), eq(bulkExportJobs.leaseHolder, leaseHolder)))
      .catch((failed: unknown) => logUnexpected("bulk-export", client.origin.requestId, failed));
  });
}

/**
 * Renews the run's lease; false when the export should stop: cancelled, or taken over by another
 * process because this one stalled past its lease.
 */
async function renewLease(db: Database | Transaction, jobId: string, leaseHolder: string): Promise<boolean> {
  const renewed = await db
    .update(bulkExportJobs)
    .set({ leaseExpiresAt: leaseEnd() })
    .where(and(eq(bulkExportJobs.id, jobId), eq(bulkExportJobs.status, "in-progress"), eq(bulkExportJobs.leaseHolder, leaseHolder)))
    .returning({ id: bulkExportJobs.id });
  return renewed.length > 0;
}

/**
 * Takes over one export whose lease ran out (its process died or stalled): claims it under a new
 * lease (SKIP LOCKED, so one process wins), drops the files its first run wrote, and runs it again
 * from the start as the client that asked. A client revoked meanwhile gets nothing: the job fails.
 * Returns whether a job was taken over.
 */
export async function takeOverAbandonedExport(): Promise<boolean> {
  const leaseHolder = newLeaseHolder();
  const [claimed] = rowsOf<{ id: string }>(
    await getDb().execute(sql`
      update bulk_export_jobs set lease_holder = ${leaseHolder}, lease_expires_at = ${leaseEnd()}, progress = 'Restarted: the server running it stopped'
      where id = (select id from bulk_export_jobs where status = 'in-progress' and (lease_expires_at is null or lease_expires_at < now())
                  order by transaction_time limit 1 for update skip locked)
      returning id`),
  );
  if (!claimed) return false;
  const [job] = await getDb()
    .select({ id: bulkExportJobs.id, clientId: bulkExportJobs.clientId, organizationId: bulkExportJobs.organizationId, resourceTypes: bulkExportJobs.resourceTypes, revokedAt: backendClients.revokedAt })
    .from(bulkExportJobs)
    .innerJoin(backendClients, eq(backendClients.id, bulkExportJobs.clientId))
    .where(eq(bulkExportJobs.id, claimed.id));
  await getDb().delete(bulkExportFiles).where(eq(bulkExportFiles.jobId, claimed.id));
  if (!job || job.revokedAt) {
    await getDb().update(bulkExportJobs).set({ status: "failed", error: "The hospital system's access was revoked before the export finished.", leaseHolder: null, leaseExpiresAt: null }).where(eq(bulkExportJobs.id, claimed.id));
    return true;
  }
  // The client as it asked: the job's types were already narrowed to its scopes at kick-off.
  const client: BackendClientActor = {
    kind: "backend-client",
    clientId: job.clientId,
    organizationId: job.organizationId,
    scopes: job.resourceTypes.map((type) => `system/${type}.rs`),
    origin: internalOrigin(),
  };
  runInBackground(client, job.id, leaseHolder);
  return true;
}

/** Started once per server process: exports abandoned by a dead process are finished by a live one. */
export function startBulkExportTakeover(): void {
  const intervalMs = Math.min(5_000, (environment().LANTERN_BULK_EXPORT_LEASE_SECONDS * 1000) / 2);
  startPeriodicJob("bulk-export-takeover", intervalMs, takeOverAbandonedExport);
}

async function runExport(client: BackendClientActor, jobId: string, leaseHolder: string): Promise<void> {
  const [job] = await getDb().select().from(bulkExportJobs).where(eq(bulkExportJobs.id, jobId));
  if (!job) return;
  const patientRows = (
    await getDb()
    .select({ id: patients.id, organizationId: patients.organizationId, givenName: patients.givenName, familyName: patients.familyName, birthDate: patients.birthDate, medicalRecordNumberSealed: patients.medicalRecordNumberSealed })
    .from(patients)
    .where(
      and(
        patientVisibleTo(client),
        job.careTeamId ? sql`exists (select 1 from ${careTeamPatients} where ${careTeamPatients.patientId} = ${patients.id} and ${careTeamPatients.careTeamId} = ${job.careTeamId})` : undefined,
      ),
    )
    .orderBy(asc(patients.id))
  ).map(withRecordNumber);
  const patientIds = patientRows.map((p) => p.id);
  let sequence = 0;
  // A file is written only under the run's lease, renewed in the same transaction: a process that
  // lost its lease never adds a file to the run that took the job over.
  const writeFile = async (resourceType: ExportType, lines: string[]) => {
    if (lines.length === 0) return;
    await getDb().transaction(async (tx) => {
      if (!(await renewLease(tx, jobId, leaseHolder))) return;
      await tx.insert(bulkExportFiles).values({ jobId, resourceType, sequence: sequence++, resourceCount: lines.length, ndjson: `${lines.join("\n")}\n` });
    });
  };
  const stopped = async () => !(await renewLease(getDb(), jobId, leaseHolder));

  for (const type of job.resourceTypes as ExportType[]) {
    if (await stopped()) return;
    await getDb().update(bulkExportJobs).set({ progress: `Exporting ${type}` }).where(eq(bulkExportJobs.id, jobId));
    if (type === "Patient") {
      for (let i = 0; i < patientRows.length; i += RESOURCES_PER_FILE) {
        await writeFile(type, patientRows.slice(i, i + RESOURCES_PER_FILE).map((p) => JSON.stringify(toFhirPatient(p, p.organizationId))));
      }
    } else if (type === "Device" && patientIds.length) {
      const rows = await getDb()
        .select({ id: devices.id, patientId: devices.patientId, kind: devices.kind, model: devices.model, serialNumber: devices.serialNumber, firmwareVersion: devices.firmwareVersion, revokedAt: devices.revokedAt })
        .from(devices)
        .where(inArray(devices.patientId, patientIds));
      for (let i = 0; i < rows.length; i += RESOURCES_PER_FILE) await writeFile(type, rows.slice(i, i + RESOURCES_PER_FILE).map((d) => JSON.stringify(toFhirDevice(d))));
    } else if (type === "Observation" && patientIds.length) {
      // Keyset over ids so memory holds one file at a time, whatever the size of the export.
      let afterId = 0;
      const thresholds = await thresholdsOf(getDb(), patientIds, new Date());
      for (;;) {
        if (await stopped()) return;
        const rows = await getDb()
          .select({
            id: glucoseReadings.id, patientId: glucoseReadings.patientId, deviceId: glucoseReadings.deviceId, valueAsReceived: glucoseReadings.valueAsReceived,
            unit: glucoseReadings.unit, valueMgdl: glucoseReadings.valueMgdl, censored: glucoseReadings.censored, effectiveAt: glucoseReadings.effectiveAt,
            utcOffsetMinutes: glucoseReadings.utcOffsetMinutes, specimen: glucoseReadings.specimen, source: glucoseReadings.source,
            version: glucoseReadings.version, updatedAt: glucoseReadings.updatedAt,
          })
          .from(glucoseReadings)
          .where(and(inArray(glucoseReadings.patientId, patientIds), countedReading, gt(glucoseReadings.id, afterId), job.since ? gte(glucoseReadings.updatedAt, job.since) : undefined))
          .orderBy(asc(glucoseReadings.id))
          .limit(RESOURCES_PER_FILE);
        if (rows.length === 0) break;
        await writeFile(
          type,
          rows.map((row) => JSON.stringify(toFhirObservation({ ...row, thresholds: thresholds.get(row.patientId)! }, row.patientId))),
        );
        afterId = rows.at(-1)!.id;
      }
    } else if (type === "Flag" && patientIds.length) {
      let afterId = 0;
      for (;;) {
        if (await stopped()) return;
        const rows = await getDb()
          .select(flagColumns)
          .from(alerts)
          .where(and(inArray(alerts.patientId, patientIds), renderedAlert, gt(alerts.id, afterId), job.since ? gte(alerts.updatedAt, job.since) : undefined))
          .orderBy(asc(alerts.id))
          .limit(RESOURCES_PER_FILE);
        if (rows.length === 0) break;
        await writeFile(type, rows.map((row) => JSON.stringify(toFhirFlag(row))));
        afterId = rows.at(-1)!.id;
      }
    }
  }
  // The disclosure itself, on record with every patient whose data left in the files; only by the
  // run that still holds the lease (one that lost it was taken over and discloses nothing).
  await getDb().transaction(async (tx) => {
    const completed = await tx
      .update(bulkExportJobs)
      .set({ status: "completed", progress: null, completedAt: new Date(), leaseHolder: null, leaseExpiresAt: null })
      .where(and(eq(bulkExportJobs.id, jobId), eq(bulkExportJobs.status, "in-progress"), eq(bulkExportJobs.leaseHolder, leaseHolder)))
      .returning({ id: bulkExportJobs.id });
    if (completed.length) await recordAudit(tx, client, { action: "export", resourceType: "Bundle", resourceId: jobId, patientIds, outcome: "success" });
  });
}

async function ownJob(actor: Actor, jobId: string, db: Database | Transaction = getDb()) {
  const client = asExporter(actor);
  if (!isUuid(jobId)) throw new AccessDenied("export");
  const [job] = await db.select().from(bulkExportJobs).where(and(eq(bulkExportJobs.id, jobId), eq(bulkExportJobs.clientId, client.clientId)));
  if (!job || job.status === "cancelled") throw new AccessDenied("export");
  return job;
}

export async function exportStatus(actor: Actor, jobId: string) {
  const job = await ownJob(actor, jobId);
  const files =
    job.status === "completed"
      ? await getDb()
          .select({ id: bulkExportFiles.id, resourceType: bulkExportFiles.resourceType, resourceCount: bulkExportFiles.resourceCount })
          .from(bulkExportFiles)
          .where(eq(bulkExportFiles.jobId, job.id))
          .orderBy(asc(bulkExportFiles.sequence))
      : [];
  return { job, files };
}

/** DELETE on the status URL: the export stops and its files are removed. */
export async function cancelExport(actor: Actor, jobId: string): Promise<void> {
  const job = await ownJob(actor, jobId);
  await getDb().transaction(async (tx) => {
    await tx.update(bulkExportJobs).set({ status: "cancelled" }).where(eq(bulkExportJobs.id, job.id));
    await tx.delete(bulkExportFiles).where(eq(bulkExportFiles.jobId, job.id));
  });
}

/** One output file; its download is recorded (the export event names the patients it holds). */
export async function exportFile(actor: Actor, jobId: string, fileId: string): Promise<string> {
  return audited(actor, { action: "read", resourceType: "Binary" }, async (tx, trail) => {
    trail.resourceId = fileId;
    const job = await ownJob(actor, jobId, tx);
    if (!isUuid(fileId)) throw new AccessDenied("file");
    const [file] = await tx.select({ ndjson: bulkExportFiles.ndjson }).from(bulkExportFiles).where(and(eq(bulkExportFiles.id, fileId), eq(bulkExportFiles.jobId, job.id)));
    if (!file) throw new AccessDenied("file");
    return file.ndjson;
  });
}
