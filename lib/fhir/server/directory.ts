import "server-only";
import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { devices, organizations, patients, users } from "@/db/schema";
import type { Actor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { patientVisibleTo } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { AccessDenied } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import type { IdOrderedSearch } from "./directory-search";
import { deviceColumns, visibleDevices, type FhirDeviceRow } from "./observations";
import { idOrderedPage, type Page } from "./paging";

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

/** Devices of visible patients matching the search, in id order, one page with the total. */
export async function searchFhirDevices(actor: Actor, search: IdOrderedSearch): Promise<Page<FhirDeviceRow>> {
  return audited(actor, { action: "search", resourceType: "Device" }, async (tx, trail) => {
    assertCan(actor, "device:search");
    const filter = and(patientVisibleTo(actor), ...search.conditions);
    const total = search.total ? await countOf(tx.select({ count: countAll }).from(devices).innerJoin(patients, eq(patients.id, devices.patientId)).where(filter)) : null;
    if (search.count === 0 || search.summaryCount) return { rows: [], next: null, previous: null, total };
    const afterId = search.cursor?.key[0];
    const fetched = await tx
      .select(deviceColumns)
      .from(devices)
      .innerJoin(patients, eq(patients.id, devices.patientId))
      .where(and(filter, afterId ? gt(devices.id, afterId) : undefined))
      .orderBy(asc(devices.id))
      .limit(search.count + 1);
    const page = idOrderedPage(fetched, search.count, total);
    trail.touch(...page.rows.map((row) => row.patientId));
    return page;
  });
}

const countAll = sql<number>`count(*)::int`;
const countOf = async (query: PromiseLike<{ count: number }[]>) => (await query)[0]?.count ?? 0;

// Organizations and practitioners are not patient data: permission-checked, not audited.

const organizationColumns = { id: organizations.id, name: organizations.name, createdAt: organizations.createdAt };
const practitionerColumns = { id: users.id, displayName: users.displayName, createdAt: users.createdAt };
/** The clinicians of the actor's organization: the only users Lantern shows as Practitioners. */
const clinicianOf = (actor: Actor): SQL => and(eq(users.organizationId, actor.organizationId), eq(users.role, "clinician"))!;

/** The actor's own organization only; any other id is not found. */
export async function readFhirOrganization(actor: Actor, id: string) {
  assertCan(actor, "organization:read", "Organization");
  if (id !== actor.organizationId) throw new AccessDenied("Organization");
  const [organization] = await getDb().select(organizationColumns).from(organizations).where(eq(organizations.id, id));
  if (!organization) throw new AccessDenied("Organization");
  return organization;
}

/** Clinicians of the actor's organization (name only: minimum necessary). */
export async function readFhirPractitioner(actor: Actor, id: string) {
  assertCan(actor, "practitioner:read", "Practitioner");
  if (!isUuid(id)) throw new AccessDenied("Practitioner");
  const [practitioner] = await getDb().select(practitionerColumns).from(users).where(and(eq(users.id, id), clinicianOf(actor)));
  if (!practitioner) throw new AccessDenied("Practitioner");
  return practitioner;
}

/** The actor's organization, when it matches the search: a page of at most one, with the total. */
export async function searchFhirOrganizations(actor: Actor, search: IdOrderedSearch) {
  assertCan(actor, "organization:search");
  const filter = and(eq(organizations.id, actor.organizationId), ...search.conditions);
  const total = search.total ? await countOf(getDb().select({ count: countAll }).from(organizations).where(filter)) : null;
  if (search.count === 0 || search.summaryCount) return { rows: [], next: null, previous: null, total };
  const afterId = search.cursor?.key[0];
  const fetched = await getDb()
    .select(organizationColumns)
    .from(organizations)
    .where(and(filter, afterId ? gt(organizations.id, afterId) : undefined))
    .orderBy(asc(organizations.id))
    .limit(search.count + 1);
  return idOrderedPage(fetched, search.count, total);
}

/** Clinicians of the actor's organization matching the search, in id order, one page with the total. */
export async function searchFhirPractitioners(actor: Actor, search: IdOrderedSearch) {
  assertCan(actor, "practitioner:search");
  const filter = and(clinicianOf(actor), ...search.conditions);
  const total = search.total ? await countOf(getDb().select({ count: countAll }).from(users).where(filter)) : null;
  if (search.count === 0 || search.summaryCount) return { rows: [], next: null, previous: null, total };
  const afterId = search.cursor?.key[0];
  const fetched = await getDb()
    .select(practitionerColumns)
    .from(users)
    .where(and(filter, afterId ? gt(users.id, afterId) : undefined))
    .orderBy(asc(users.id))
    .limit(search.count + 1);
  return idOrderedPage(fetched, search.count, total);
}
