import "server-only";
import { and, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { deviceStatuses } from "@/db/schema";
import type { Actor, UploaderActor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { timeBoundsOf } from "@/lib/readings/ingest";
import { deviceStatusToCandidate, toNightscoutDeviceStatus, toNightscoutDeviceStatusV3, type StoredDeviceStatusRow } from "./device-status";
import { notStoredAnswer } from "./documents";
import { recordUploadProblems } from "./problems";
import { project, type CollectionQuery } from "./search-params";
import { changesInWholeMilliseconds, oneOf, orderOf, timeConditions } from "./search-sql";
import { BAD_REQUEST_BODY, v1Documents, v3Document, type V3CreateOutcome, type V3History, type V3ReadOutcome } from "./v3-outcomes";

/**
 * Device status reports from uploader apps: the phone's battery, the pump, the loop. A report is
 * a snapshot and never changes: the same report sent again (same identifier, or same app and
 * time) is stored once. Audited as resource type "DeviceStatus".
 */

const statusColumns = {
  id: deviceStatuses.id,
  identifier: deviceStatuses.identifier,
  app: deviceStatuses.app,
  reportedAt: deviceStatuses.reportedAt,
  utcOffsetMinutes: deviceStatuses.utcOffsetMinutes,
  uploaderBattery: deviceStatuses.uploaderBattery,
  uploaderCharging: deviceStatuses.uploaderCharging,
  pump: deviceStatuses.pump,
  loop: deviceStatuses.loop,
  srvCreated: deviceStatuses.srvCreated,
  srvModified: deviceStatuses.srvModified,
};
const searchColumns = { id: deviceStatuses.id, time: deviceStatuses.reportedAt, modified: deviceStatuses.srvModified };

const selectStatuses = (tx: Transaction, patientId: string, where: SQL | undefined) =>
  tx.select(statusColumns).from(deviceStatuses).where(and(eq(deviceStatuses.patientId, patientId), where)).$dynamic();

type StatusResult = { row: StoredDeviceStatusRow; created: boolean } | { notStored: string };

async function storeStatusDocuments(uploader: UploaderActor, documents: readonly unknown[], now: Date): Promise<StatusResult[]> {
  return audited(uploader, { action: "create", resourceType: "DeviceStatus" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "deviceStatus:create", uploader.patientId);
    trail.touch(patient.id);
    const context = { timeZone: patient.timezone, bounds: timeBoundsOf(patient), now };
    const parses = documents.map((document) => deviceStatusToCandidate(document, context));
    const candidates = parses.flatMap((parse) => ("candidate" in parse ? [parse.candidate] : []));
    await recordUploadProblems(tx, patient, parses.flatMap((parse) => ("notStored" in parse ? [parse.notStored] : [])), now);
    const created = candidates.length
      ? await tx
          .insert(deviceStatuses)
          .values(candidates.map((candidate) => ({ patientId: patient.id, ...candidate, srvCreated: now, srvModified: now })))
          .onConflictDoNothing()
          .returning({ identifier: deviceStatuses.identifier })
      : [];
    const createdIdentifiers = new Set(created.map((row) => row.identifier));
    const rows = candidates.length ? await selectStatuses(tx, patient.id, inArray(deviceStatuses.identifier, candidates.map((candidate) => candidate.identifier))) : [];
    const rowByIdentifier = new Map(rows.map((row) => [row.identifier, row]));
    return parses.map((parse) =>
      "notStored" in parse
        ? { notStored: parse.notStored.reason }
        : { row: rowByIdentifier.get(parse.candidate.identifier)!, created: createdIdentifiers.has(parse.candidate.identifier) },
    );
  });
}

/** POST /api/v1/devicestatus: one answer element per report, in order; 200 even when none was stored. */
export async function storeDeviceStatuses(uploader: UploaderActor, body: unknown, now = new Date()): Promise<unknown[]> {
  const documents = v1Documents(body);
  if (!documents) throw new AppError("invalid_input", "Send a JSON array of device status reports (or a single one).");
  const results = await storeStatusDocuments(uploader, documents, now);
  return results.map((result, index) => ("row" in result ? toNightscoutDeviceStatus(result.row) : notStoredAnswer(documents[index], result.notStored)));
}

/** POST /api/v3/devicestatus. */
export async function createDeviceStatusV3(uploader: UploaderActor, body: unknown, now = new Date()): Promise<V3CreateOutcome> {
  const document = v3Document(body);
  if (!document) throw new AppError("invalid_input", BAD_REQUEST_BODY);
  const [result] = await storeStatusDocuments(uploader, [document], now);
  if (!result || "notStored" in result) return { kind: "not-stored", reason: result?.notStored ?? BAD_REQUEST_BODY };
  return { kind: result.created ? "created" : "deduplicated", identifier: result.row.identifier, lastModified: result.row.srvModified.getTime() };
}

function statusConditions(query: CollectionQuery): SQL | undefined {
  return and(timeConditions(searchColumns, query), oneOf(deviceStatuses.app, query.equals.device), oneOf(deviceStatuses.identifier, query.equals.identifier));
}

async function searchStatusRows(uploader: UploaderActor, query: CollectionQuery): Promise<StoredDeviceStatusRow[]> {
  return audited(uploader, { action: "search", resourceType: "DeviceStatus" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "device:search", uploader.patientId);
    trail.touch(patient.id);
    return selectStatuses(tx, patient.id, statusConditions(query))
      .orderBy(...orderOf(searchColumns, query))
      .limit(query.limit)
      .offset(query.skip);
  });
}

/** GET /api/v1/devicestatus. */
export async function searchDeviceStatuses(uploader: UploaderActor, query: CollectionQuery) {
  return (await searchStatusRows(uploader, query)).map(toNightscoutDeviceStatus);
}

/** GET /api/v3/devicestatus. */
export async function searchDeviceStatusesV3(uploader: UploaderActor, query: CollectionQuery) {
  return (await searchStatusRows(uploader, query)).map((row) => project(toNightscoutDeviceStatusV3(row), query.fields));
}

/** GET /api/v3/devicestatus/history. */
export async function deviceStatusHistoryV3(uploader: UploaderActor, query: CollectionQuery): Promise<V3History<ReturnType<typeof toNightscoutDeviceStatusV3>>> {
  return audited(uploader, { action: "search", resourceType: "DeviceStatus" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "device:search", uploader.patientId);
    trail.touch(patient.id);
    const rows = await changesInWholeMilliseconds(
      ({ where, limit }) => {
        const select = selectStatuses(tx, patient.id, and(statusConditions(query), where)).orderBy(...orderOf(searchColumns, query));
        return limit === undefined ? select : select.limit(limit);
      },
      (row) => ({ id: row.id, modified: row.srvModified }),
      searchColumns,
      query.limit,
    );
    const documents = rows.map(toNightscoutDeviceStatusV3);
    return { documents, lastModified: documents.length ? Math.max(...documents.map((document) => document.srvModified)) : null };
  });
}

/** GET /api/v3/devicestatus/{identifier}. */
export async function readDeviceStatusV3(uploader: UploaderActor, identifier: string): Promise<V3ReadOutcome<ReturnType<typeof toNightscoutDeviceStatusV3>>> {
  return audited(uploader, { action: "read", resourceType: "DeviceStatus" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, uploader, "device:search", uploader.patientId);
    trail.touch(patient.id);
    trail.resourceId = identifier;
    const [row] = await selectStatuses(tx, patient.id, eq(deviceStatuses.identifier, identifier));
    return row ? { kind: "found", document: toNightscoutDeviceStatusV3(row), lastModified: row.srvModified.getTime() } : { kind: "not-found" };
  });
}

/** The latest report of each app that reported, the latest first, for the devices page. */
export async function latestDeviceStatusPerApp(actor: Actor, patientId: string): Promise<StoredDeviceStatusRow[]> {
  return audited(actor, { action: "search", resourceType: "DeviceStatus" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:search", patientId);
    trail.touch(patient.id);
    const latest = tx
      .selectDistinctOn([deviceStatuses.app], statusColumns)
      .from(deviceStatuses)
      .where(eq(deviceStatuses.patientId, patient.id))
      .orderBy(deviceStatuses.app, desc(deviceStatuses.reportedAt), desc(deviceStatuses.id))
      .as("latest");
    return tx.select().from(latest).orderBy(desc(latest.reportedAt)).limit(20);
  });
}
