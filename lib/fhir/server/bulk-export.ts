import "server-only";
import { and, asc, eq, gt, gte, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { bulkExportFiles, bulkExportJobs, careTeamPatients, careTeams, devices, glucoseReadings, patients } from "@/db/schema";
import type { BackendClientActor } from "@/lib/auth/actor";
import { AppError, notFound } from "@/lib/errors";
import { toFhirDevice, toFhirObservation, toFhirPatient } from "@/lib/fhir/mapping";
import { hasScope } from "@/lib/fhir/smart/access";
import { isUuid } from "@/lib/ids";
import { patientVisibleTo } from "@/lib/patients/visibility";
import { parseDateCondition } from "./date-search";

/**
 * FHIR Bulk Data export (Patient/$export, Group/[id]/$export where a Group is a care team) for
 * hospital systems. The job and its NDJSON files live in the database, so any server process can
 * answer status polls and file downloads; the export itself runs in the process that accepted it.
 */
export const EXPORT_TYPES = ["Patient", "Observation", "Device"] as const;
type ExportType = (typeof EXPORT_TYPES)[number];
const RESOURCES_PER_FILE = 10_000;

export interface ExportRequest {
  careTeamId: string | null;
  typeParameter: string | null;
  sinceParameter: string | null;
  requestUrl: string;
}

export async function startExport(client: BackendClientActor, request: ExportRequest): Promise<string> {
  const requested = request.typeParameter ? request.typeParameter.split(",").map((t) => t.trim()) : [...EXPORT_TYPES];
  const unknown = requested.filter((type) => !(EXPORT_TYPES as readonly string[]).includes(type));
  if (unknown.length) throw new AppError("invalid_input", `_type may list ${EXPORT_TYPES.join(", ")}; not ${unknown.join(", ")}.`);
  const types = (requested as ExportType[]).filter((type) => hasScope(client.scopes, type, "search"));
  if (types.length === 0) throw new AppError("invalid_input", "The access token has no read scope for any requested type.");
  let since: Date | null = null;
  if (request.sinceParameter) {
    const parsed = parseDateCondition(request.sinceParameter);
    if ("error" in parsed || parsed.prefix !== "eq") throw new AppError("invalid_input", "_since must be an instant such as 2026-11-01T00:00:00Z.");
    since = new Date(parsed.start);
  }
  if (request.careTeamId !== null) {
    const [team] = isUuid(request.careTeamId)
      ? await getDb().select({ id: careTeams.id }).from(careTeams).where(and(eq(careTeams.id, request.careTeamId), eq(careTeams.organizationId, client.organizationId)))
      : [];
    if (!team) throw notFound("Group");
  }
  const [job] = await getDb()
    .insert(bulkExportJobs)
    .values({ clientId: client.clientId, organizationId: client.organizationId, careTeamId: request.careTeamId, requestUrl: request.requestUrl, resourceTypes: types, since })
    .returning({ id: bulkExportJobs.id });
  void runExport(client, job!.id).catch(async (error: unknown) => {
    console.error(`[bulk-export] job failed: ${error instanceof Error ? error.message : String(error)}`);
    await getDb().update(bulkExportJobs).set({ status: "failed", error: "The export failed; start it again." }).where(eq(bulkExportJobs.id, job!.id));
  });
  return job!.id;
}

async function isCancelled(jobId: string): Promise<boolean> {
  const [job] = await getDb().select({ status: bulkExportJobs.status }).from(bulkExportJobs).where(eq(bulkExportJobs.id, jobId));
  return job?.status !== "in-progress";
}

async function runExport(client: BackendClientActor, jobId: string): Promise<void> {
  const [job] = await getDb().select().from(bulkExportJobs).where(eq(bulkExportJobs.id, jobId));
  if (!job) return;
  const patientRows = await getDb()
    .select({ id: patients.id, organizationId: patients.organizationId, givenName: patients.givenName, familyName: patients.familyName, birthDate: patients.birthDate, medicalRecordNumber: patients.medicalRecordNumber })
    .from(patients)
    .where(
      and(
        patientVisibleTo(client),
        job.careTeamId ? sql`exists (select 1 from ${careTeamPatients} where ${careTeamPatients.patientId} = ${patients.id} and ${careTeamPatients.careTeamId} = ${job.careTeamId})` : undefined,
      ),
    )
    .orderBy(asc(patients.id));
  const patientIds = patientRows.map((p) => p.id);
  let sequence = 0;
  const writeFile = async (resourceType: ExportType, lines: string[]) => {
    if (lines.length === 0) return;
    await getDb().insert(bulkExportFiles).values({ jobId, resourceType, sequence: sequence++, resourceCount: lines.length, ndjson: `${lines.join("\n")}\n` });
  };

  for (const type of job.resourceTypes as ExportType[]) {
    if (await isCancelled(jobId)) return;
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
      for (;;) {
        if (await isCancelled(jobId)) return;
        const rows = await getDb()
          .select({
            id: glucoseReadings.id, patientId: glucoseReadings.patientId, deviceId: glucoseReadings.deviceId, valueAsReceived: glucoseReadings.valueAsReceived,
            unit: glucoseReadings.unit, censored: glucoseReadings.censored, effectiveAt: glucoseReadings.effectiveAt,
            utcOffsetMinutes: glucoseReadings.utcOffsetMinutes, specimen: glucoseReadings.specimen, source: glucoseReadings.source,
            version: glucoseReadings.version, updatedAt: glucoseReadings.updatedAt,
          })
          .from(glucoseReadings)
          .where(and(inArray(glucoseReadings.patientId, patientIds), gt(glucoseReadings.id, afterId), job.since ? gte(glucoseReadings.updatedAt, job.since) : undefined))
          .orderBy(asc(glucoseReadings.id))
          .limit(RESOURCES_PER_FILE);
        if (rows.length === 0) break;
        await writeFile(
          type,
          rows.map((row) => JSON.stringify(toFhirObservation({ ...row, valueAsReceived: Number(row.valueAsReceived) }, row.patientId))),
        );
        afterId = rows.at(-1)!.id;
      }
    }
  }
  await getDb()
    .update(bulkExportJobs)
    .set({ status: "completed", progress: null, completedAt: new Date() })
    .where(and(eq(bulkExportJobs.id, jobId), eq(bulkExportJobs.status, "in-progress")));
}

async function ownJob(client: BackendClientActor, jobId: string) {
  if (!isUuid(jobId)) throw notFound("export");
  const [job] = await getDb().select().from(bulkExportJobs).where(and(eq(bulkExportJobs.id, jobId), eq(bulkExportJobs.clientId, client.clientId)));
  if (!job || job.status === "cancelled") throw notFound("export");
  return job;
}

export async function exportStatus(client: BackendClientActor, jobId: string) {
  const job = await ownJob(client, jobId);
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
export async function cancelExport(client: BackendClientActor, jobId: string): Promise<void> {
  const job = await ownJob(client, jobId);
  await getDb().transaction(async (tx) => {
    await tx.update(bulkExportJobs).set({ status: "cancelled" }).where(eq(bulkExportJobs.id, job.id));
    await tx.delete(bulkExportFiles).where(eq(bulkExportFiles.jobId, job.id));
  });
}

export async function exportFile(client: BackendClientActor, jobId: string, fileId: string): Promise<string> {
  const job = await ownJob(client, jobId);
  if (!isUuid(fileId)) throw notFound("file");
  const [file] = await getDb().select({ ndjson: bulkExportFiles.ndjson }).from(bulkExportFiles).where(and(eq(bulkExportFiles.id, fileId), eq(bulkExportFiles.jobId, job.id)));
  if (!file) throw notFound("file");
  return file.ndjson;
}
