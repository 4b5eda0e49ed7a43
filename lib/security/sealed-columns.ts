import { dataKeyring } from "@/lib/config";
import { blindIndex, blindIndexLookups, open, openNullable, seal } from "./data-encryption";

/**
 * Every column encrypted at rest (docs/privacy.md): the table (its primary key is `id`), the
 * column, and the column of its blind index when it is looked up by value. `table.column` is the context each value is sealed for, so a value copied elsewhere
 * does not open. Start-up seals values stored before a column was encrypted, and
 * `npm run admin -- data:reencrypt` re-seals every column under the active key
 * (lib/privacy/encryption-at-rest.ts).
 */
export const SEALED_COLUMNS = {
  hospitalEndpointBearerToken: { table: "hospital_endpoints", column: "bearer_token", indexColumn: null },
  notificationChannelSigningSecret: { table: "notification_channels", column: "signing_secret", indexColumn: null },
  // Looked up by equality (break-glass, the access log, FHIR `identifier`) through its blind index.
  patientMedicalRecordNumber: { table: "patients", column: "medical_record_number", indexColumn: "medical_record_number_index" },
} as const satisfies Record<string, { table: string; column: string; indexColumn: string | null }>;

export type SealedColumn = keyof typeof SEALED_COLUMNS;

export function sealingContext(column: SealedColumn): string {
  const { table, column: name } = SEALED_COLUMNS[column];
  return `${table}.${name}`;
}

/** Seals a value for one column under the active data key. */
export function sealFor(column: SealedColumn, plaintext: string): string {
  return seal(dataKeyring(), sealingContext(column), plaintext);
}

/** Opens a value of one column; throws SealedValueError, saying what to do, when it does not open. */
export function openFrom(column: SealedColumn, sealed: string): string {
  return open(dataKeyring(), sealingContext(column), sealed);
}

/** `openFrom` for a nullable column. */
export function openNullableFrom(column: SealedColumn, sealed: string | null): string | null {
  return openNullable(dataKeyring(), sealingContext(column), sealed);
}

/** What a blind index hashes: a record number is matched ignoring case and surrounding spaces. */
export function indexedForm(column: SealedColumn, plaintext: string): string {
  return column === "patientMedicalRecordNumber" ? plaintext.trim().toUpperCase() : plaintext;
}

/** The blind index stored beside a sealed value (under the active key). */
export function indexFor(column: SealedColumn, plaintext: string): string {
  return blindIndex(dataKeyring(), sealingContext(column), indexedForm(column, plaintext));
}

/** The blind indexes a value may be stored under (one per key): match with `in`. */
export function lookupsFor(column: SealedColumn, plaintext: string): string[] {
  return blindIndexLookups(dataKeyring(), sealingContext(column), indexedForm(column, plaintext));
}

/** A record number as stored: sealed, with its blind index for lookups and the per-organization uniqueness. */
export function sealedRecordNumber(medicalRecordNumber: string | null): { medicalRecordNumberSealed: string | null; medicalRecordNumberIndex: string | null } {
  if (medicalRecordNumber === null) return { medicalRecordNumberSealed: null, medicalRecordNumberIndex: null };
  return { medicalRecordNumberSealed: sealFor("patientMedicalRecordNumber", medicalRecordNumber), medicalRecordNumberIndex: indexFor("patientMedicalRecordNumber", medicalRecordNumber) };
}

/**
 * THE decrypting mapper of patient rows: every read of `patients.medical_record_number` selects
 * it as `medicalRecordNumberSealed` and passes the row through here.
 */
export function withRecordNumber<Row extends { medicalRecordNumberSealed: string | null }>({ medicalRecordNumberSealed, ...row }: Row): Omit<Row, "medicalRecordNumberSealed"> & { medicalRecordNumber: string | null } {
  return { ...row, medicalRecordNumber: openNullableFrom("patientMedicalRecordNumber", medicalRecordNumberSealed) };
}
