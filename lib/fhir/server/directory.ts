import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { organizations, users } from "@/db/schema";
import type { DataReader } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
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
