import "server-only";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { consentRecords, devices, glucoseReadings, patients } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { toFhirConsent } from "@/lib/fhir/consent";
import { toFhirDevice, toFhirObservation, toFhirPatient } from "@/lib/fhir/mapping";
import { thresholdsOf } from "@/lib/fhir/server/thresholds";
import { formatOffset } from "@/lib/time/offsets";
import { withRecordNumber } from "@/lib/security/sealed-columns";

/**
 * The right of access and portability (GDPR Art 15 and 20, HIPAA 164.524; PRIVACY-SECURITY.md C6):
 * the patient, or their guardian, downloads the whole record. `fhir` is one FHIR R4 `collection`
 * Bundle (JSON): the Patient, every Device, every reading as an Observation (corrections at their
 * latest version; a copy another door also delivered once) and every consent decision as a
 * Consent. `csv` is every stored reading, one per line, copies marked in `duplicate_of`.
 * Both are streamed page by page (keyset over reading ids), so a year of CGM data (about 105,000
 * readings) starts at once and never sits whole in memory. The export is audited before the first
 * byte leaves.
 */

export const recordExportFormats = ["fhir", "csv"] as const;
export type RecordExportFormat = (typeof recordExportFormats)[number];

export interface RecordExport {
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

const PAGE = 5000;

const readingColumns = {
  id: glucoseReadings.id,
  patientId: glucoseReadings.patientId,
  deviceId: glucoseReadings.deviceId,
  valueAsReceived: glucoseReadings.valueAsReceived,
  unit: glucoseReadings.unit,
  valueMgdl: glucoseReadings.valueMgdl,
  censored: glucoseReadings.censored,
  effectiveAt: glucoseReadings.effectiveAt,
  utcOffsetMinutes: glucoseReadings.utcOffsetMinutes,
  specimen: glucoseReadings.specimen,
  source: glucoseReadings.source,
  mealContext: glucoseReadings.mealContext,
  note: glucoseReadings.note,
  version: glucoseReadings.version,
  updatedAt: glucoseReadings.updatedAt,
  duplicateOfId: glucoseReadings.duplicateOfId,
};
type ReadingRow = Awaited<ReturnType<typeof readingPage>>[number];

function readingPage(patientId: string, afterId: number, countedOnly: boolean) {
  return getDb()
    .select(readingColumns)
    .from(glucoseReadings)
    .where(and(eq(glucoseReadings.patientId, patientId), gt(glucoseReadings.id, afterId), countedOnly ? isNull(glucoseReadings.duplicateOfId) : undefined))
    .orderBy(asc(glucoseReadings.id))
    .limit(PAGE);
}

/**
 * Pages of the patient's readings; `countedOnly` leaves out copies of a reading another door also
 * delivered. The next page is fetched while the caller renders and sends this one, so the database
 * and the rendering overlap (npm run bench:export).
 */
async function* readingsOf(patientId: string, countedOnly: boolean): AsyncGenerator<ReadingRow[]> {
  const fetchAfter = (afterId: number): Promise<ReadingRow[]> => readingPage(patientId, afterId, countedOnly).execute();
  let next = fetchAfter(0);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) return;
    next = rows.length < PAGE ? Promise.resolve([]) : fetchAfter(rows.at(-1)!.id);
    // A download cancelled meanwhile never awaits it: its failure must not go unhandled.
    next.catch(() => undefined);
    yield rows;
  }
}

/** Starts the download: checks and audits first (a patient outside the actor's view is a plain 404), then streams. */
export async function exportPatientRecord(actor: UserActor, patientId: string, format: string): Promise<RecordExport> {
  if (!(recordExportFormats as readonly string[]).includes(format)) throw new AppError("invalid_input", "Choose format=fhir (a FHIR Bundle, JSON) or format=csv.");
  const patient = await audited(actor, { action: "export", resourceType: "Patient", purpose: "patient-request" }, async (tx, trail) => {
    const authorized = await authorizePatient(tx, actor, "record:export", patientId);
    trail.touch(authorized.id);
    trail.resourceId = authorized.id;
    const [row] = await tx
      .select({ id: patients.id, organizationId: patients.organizationId, givenName: patients.givenName, familyName: patients.familyName, birthDate: patients.birthDate, medicalRecordNumberSealed: patients.medicalRecordNumberSealed })
      .from(patients)
      .where(eq(patients.id, authorized.id));
    return withRecordNumber(row!);
  });
  const day = new Date().toISOString().slice(0, 10);
  const lines = format === "fhir" ? bundleLines(patient) : csvLines(patient.id);
  return {
    filename: `lantern-record-${day}.${format === "fhir" ? "json" : "csv"}`,
    contentType: format === "fhir" ? "application/fhir+json; charset=utf-8" : "text/csv; charset=utf-8",
    body: streamOf(lines),
  };
}

function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

async function* bundleLines(patient: { id: string; organizationId: string; givenName: string; familyName: string; birthDate: string; medicalRecordNumber: string | null }): AsyncGenerator<string> {
  yield `{"resourceType":"Bundle","type":"collection","timestamp":${JSON.stringify(new Date().toISOString())},"entry":[`;
  yield JSON.stringify({ resource: toFhirPatient(patient, patient.organizationId) });
  const deviceRows = await getDb()
    .select({ id: devices.id, patientId: devices.patientId, kind: devices.kind, model: devices.model, serialNumber: devices.serialNumber, firmwareVersion: devices.firmwareVersion, revokedAt: devices.revokedAt })
    .from(devices)
    .where(eq(devices.patientId, patient.id));
  for (const device of deviceRows) yield `,${JSON.stringify({ resource: toFhirDevice(device) })}`;
  const consents = await getDb().select().from(consentRecords).where(eq(consentRecords.patientId, patient.id)).orderBy(asc(consentRecords.decidedAt));
  for (const consent of consents) yield `,${JSON.stringify({ resource: toFhirConsent({ ...consent, organizationId: patient.organizationId }) })}`;
  // One patient: the thresholds that interpret each reading (L, LL, H, HH) are read once.
  const thresholds = (await thresholdsOf(getDb(), [patient.id], new Date())).get(patient.id)!;
  for await (const rows of readingsOf(patient.id, true)) {
    yield rows.map((row) => `,{"resource":${JSON.stringify(toFhirObservation({ ...row, thresholds }, patient.id))}}`).join("");
  }
  yield "]}";
}

export const CSV_HEADER = "reading_id,taken_at_local,utc_offset,value,unit,value_mg_dl,censored,specimen,source,meal_context,note,version,duplicate_of\r\n";

/** A CSV field: quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Free text typed by people (notes): a leading = + - @ is defused so a spreadsheet does not run it as a formula. */
export function csvText(value: string | null): string {
  return csvField(value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

function csvLine(row: ReadingRow): string {
  const local = new Date(row.effectiveAt.getTime() + row.utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
  const fields = [row.id, local, formatOffset(row.utcOffsetMinutes), row.valueAsReceived, row.unit, row.valueMgdl, row.censored, row.specimen, row.source, row.mealContext];
  return `${fields.map(csvField).join(",")},${csvText(row.note)},${row.version},${csvField(row.duplicateOfId)}\r\n`;
}

async function* csvLines(patientId: string): AsyncGenerator<string> {
  yield CSV_HEADER;
  for await (const rows of readingsOf(patientId, false)) yield rows.map(csvLine).join("");
}
