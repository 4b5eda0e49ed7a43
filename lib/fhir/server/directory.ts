import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { devices, organizations, patients, users } from "@/db/schema";
import type { DataReader } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { patientVisibleTo } from "@/lib/patients/visibility";
import { devicesForInclude } from "./observations";

/** A device, when the patient it is bound to is visible to the reader. */
export async function readFhirDevice(reader: DataReader, id: string) {
  if (!isUuid(id)) throw notFound("Device");
  const [device] = await devicesForInclude(reader, [id]);
  if (!device) throw notFound("Device");
  return device;
}

/** The reader's own organization only; any other id is not found. */
export async function readFhirOrganization(reader: DataReader, id: string) {
  if (id !== reader.organizationId) throw notFound("Organization");
  const [organization] = await getDb().select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, id));
  if (!organization) throw notFound("Organization");
  return organization;
}

/** Clinicians of the reader's organization (name only: minimum necessary). */
export async function readFhirPractitioner(reader: DataReader, id: string) {
  if (!isUuid(id)) throw notFound("Practitioner");
  const [practitioner] = await getDb()
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.id, id), eq(users.organizationId, reader.organizationId), inArray(users.role, ["clinician"])));
  if (!practitioner) throw notFound("Practitioner");
  return practitioner;
}

/** Devices of visible patients, optionally of the given patients. */
export async function searchFhirDevices(reader: DataReader, patientIds: string[] | null, count: number) {
  const rows = await getDb()
    .select({ id: devices.id, patientId: devices.patientId, kind: devices.kind, model: devices.model, serialNumber: devices.serialNumber, firmwareVersion: devices.firmwareVersion, revokedAt: devices.revokedAt })
    .from(devices)
    .innerJoin(patients, eq(patients.id, devices.patientId))
    .where(and(patientVisibleTo(reader), patientIds ? (patientIds.filter(isUuid).length ? inArray(devices.patientId, patientIds.filter(isUuid)) : sql`false`) : undefined))
    .orderBy(asc(devices.id))
    .limit(count);
  return rows;
}

/** The reader's organization, as a one-entry search result. */
export async function searchFhirOrganizations(reader: DataReader) {
  return getDb().select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, reader.organizationId));
}

/** Clinicians of the reader's organization. */
export async function searchFhirPractitioners(reader: DataReader, count: number) {
  return getDb()
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.organizationId, reader.organizationId), eq(users.role, "clinician")))
    .orderBy(asc(users.id))
    .limit(count);
}
