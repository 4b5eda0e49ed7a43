import "server-only";
import { and, eq, max, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db/client";
import { deviceStatuses, glucoseReadings, treatments } from "@/db/schema";
import type { UploaderActor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { can } from "@/lib/access/permissions";
import { audited } from "@/lib/audit/record";
import { countedReading } from "@/lib/readings/ingest";

/**
 * What Nightscout apps ask about the server: its versions (API v3 /version and /status, v1
 * status.json) and when each collection last changed (/lastModified, which AndroidAPS polls to
 * decide what to load).
 */

/** Lantern's version as apps show it ("Nightscout version" in AndroidAPS's about box). */
export const LANTERN_VERSION = "0.1.0";
/** The API v3 Lantern speaks: Nightscout 15's. */
const NIGHTSCOUT_API_V3_VERSION = "3.0.3-alpha";

const COLLECTIONS = ["devicestatus", "entries", "food", "profile", "settings", "treatments"] as const;

/** GET /api/v3/version: public, as in Nightscout. */
export async function nightscoutVersion(now = new Date()) {
  const [row] = rowsOf<{ version: string }>(await getDb().execute(sql`select current_setting('server_version') as version`));
  return { version: LANTERN_VERSION, apiVersion: NIGHTSCOUT_API_V3_VERSION, srvDate: now.getTime(), storage: { storage: "postgresql", version: row?.version ?? "unknown" } };
}

/**
 * GET /api/v3/status: the versions and what the credential may do per collection. A read-write
 * credential is reported with every permission on all six collections because AndroidAPS uploads
 * only when it sees them all ("crud"); what Lantern does not keep (changes to glucose entries,
 * food, profiles, settings) is refused with a 4xx and a sentence when an app tries.
 */
export async function nightscoutStatusV3(uploader: UploaderActor, now = new Date()) {
  const permissions = uploader.access === "read-write" ? "crud" : can(uploader, "reading:search") ? "r" : "";
  return { ...(await nightscoutVersion(now)), apiPermissions: Object.fromEntries(COLLECTIONS.map((collection) => [collection, permissions])) };
}

const milliseconds = (value: Date | null) => (value === null ? undefined : value.getTime());

/**
 * GET /api/v3/lastModified: the newest srvModified of each collection the patient has data in
 * (AndroidAPS loads a collection only when it is newer than what it has).
 */
export async function lastModifiedV3(uploader: UploaderActor, now = new Date()) {
  return audited(uploader, { action: "read", resourceType: "NightscoutLastModified" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "reading:search", uploader.patientId);
    trail.touch(patient.id);
    const [entries] = await tx.select({ at: max(glucoseReadings.updatedAt) }).from(glucoseReadings).where(and(eq(glucoseReadings.patientId, patient.id), countedReading));
    const [treatmentsChanged] = can(uploader, "treatment:search")
      ? await tx.select({ at: max(treatments.srvModified) }).from(treatments).where(eq(treatments.patientId, patient.id))
      : [{ at: null }];
    const [statuses] = can(uploader, "device:search")
      ? await tx.select({ at: max(deviceStatuses.srvModified) }).from(deviceStatuses).where(eq(deviceStatuses.patientId, patient.id))
      : [{ at: null }];
    const collections = { entries: milliseconds(entries?.at ?? null), treatments: milliseconds(treatmentsChanged?.at ?? null), devicestatus: milliseconds(statuses?.at ?? null) };
    return { srvDate: now.getTime(), collections: Object.fromEntries(Object.entries(collections).filter(([, at]) => at !== undefined)) };
  });
}
