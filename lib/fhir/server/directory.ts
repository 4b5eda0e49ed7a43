import "server-only";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { devices, organizations, patients, users } from "@/db/schema";
import type { Actor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { patientVisibleTo } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { AccessDenied } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { deviceColumns, visibleDevices, type FhirDeviceRow } from "./observations";
import type { IdPaging } from "./paging";

/** A device, when the patient it is bound to is visible to the actor. */
export async function readFhirDevice(actor: Actor, id: string): Promise<FhirDeviceRow> {
  return audited(actor, { action: "read", resourceType: "Device" }, async (tx, trail) => {
    assertCan(actor, "device:read", "Device");
    trail.resourceId = id;
    const [device] = isUuid(id) ? await visibleDevices(tx, actor, [id]) : [];
    if (!device) throw new AccessDenied("Device");
    trail.touch(device.patientId);
    return device;
  });
}

/** Devices of visible patients, optionally of the given patients, in id order: up to `count + 1` rows. */
export async function searchFhirDevices(actor: Actor, patientIds: string[] | null, paging: IdPaging): Promise<FhirDeviceRow[]> {
  return audited(actor, { action: "search", resourceType: "Device" }, async (tx, trail) => {
    assertCan(actor, "device:search");
    const wanted = patientIds?.filter(isUuid) ?? null;
    const rows = await tx
      .select(deviceColumns)
      .from(devices)
      .innerJoin(patients, eq(patients.id, devices.patientId))
      .where(and(patientVisibleTo(actor), wanted ? (wanted.length ? inArray(devices.patientId, wanted) : sql`false`) : undefined, paging.afterId ? gt(devices.id, paging.afterId) : undefined))
      .orderBy(asc(devices.id))
      .limit(paging.count + 1);
    trail.touch(...rows.slice(0, paging.count).map((row) => row.patientId));
    return rows;
  });
}

// Organizations and practitioners are not patient data: permission-checked, not audited.

/** The actor's own organization only; any other id is not found. */
export async function readFhirOrganization(actor: Actor, id: string) {
  assertCan(actor, "organization:read", "Organization");
  if (id !== actor.organizationId) throw new AccessDenied("Organization");
  const [organization] = await getDb().select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, id));
  if (!organization) throw new AccessDenied("Organization");
  return organization;
}

/** Clinicians of the actor's organization (name only: minimum necessary). */
export async function readFhirPractitioner(actor: Actor, id: string) {
  assertCan(actor, "practitioner:read", "Practitioner");
  if (!isUuid(id)) throw new AccessDenied("Practitioner");
  const [practitioner] = await getDb()
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.id, id), eq(users.organizationId, actor.organizationId), eq(users.role, "clinician")));
  if (!practitioner) throw new AccessDenied("Practitioner");
  return practitioner;
}

/** The actor's organization, as a one-entry search result. */
export async function searchFhirOrganizations(actor: Actor) {
  assertCan(actor, "organization:search");
  return getDb().select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, actor.organizationId));
}

/** Clinicians of the actor's organization in id order: up to `count + 1` rows. */
export async function searchFhirPractitioners(actor: Actor, paging: IdPaging) {
  assertCan(actor, "practitioner:search");
  return getDb()
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.organizationId, actor.organizationId), eq(users.role, "clinician"), paging.afterId ? gt(users.id, paging.afterId) : undefined))
    .orderBy(asc(users.id))
    .limit(paging.count + 1);
}
