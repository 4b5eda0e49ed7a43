import type { UploaderActor } from "@/lib/access/actor";
import { readJsonBody } from "@/lib/http/body";
import { nightscoutV3Api, v3ChangeResponse, v3CreateResponse, v3Deleted, v3HistoryResponse, v3MethodNotAllowed, v3ReadResponse, v3Result } from "@/lib/http/nightscout-v3";
import { parseV3History, parseV3Search, type Collection, type CollectionQuery } from "@/lib/uploader/search-params";
import type { V3ChangeOutcome, V3CreateOutcome, V3History, V3ReadOutcome } from "@/lib/uploader/v3-outcomes";

/**
 * The operations of Nightscout's API v3 on a collection, each translating HTTP to one data-layer
 * call: SEARCH, CREATE, READ, HISTORY, PATCH and DELETE (lib/api3/generic in Nightscout).
 */

const MAX_BODY_BYTES = 1_000_000;
const searchParamsOf = (request: Request) => new URL(request.url).searchParams;

export const v3Search = (collection: Collection, search: (actor: UploaderActor, query: CollectionQuery) => Promise<unknown[]>) =>
  nightscoutV3Api(async ({ request, caller }) => v3Result(await search(caller, parseV3Search(searchParamsOf(request), collection))));

export const v3Create = (collectionPath: string, create: (actor: UploaderActor, body: unknown) => Promise<V3CreateOutcome>) =>
  nightscoutV3Api(async ({ request, caller }) => v3CreateResponse(await create(caller, await readJsonBody(request, { maxBytes: MAX_BODY_BYTES })), collectionPath));

export const v3Read = <Document>(read: (actor: UploaderActor, identifier: string) => Promise<V3ReadOutcome<Document>>) =>
  nightscoutV3Api(async ({ caller, params }) => v3ReadResponse(await read(caller, params.identifier!)));

/** HISTORY, after the time in the path (`/history/{lastModified}`) or since the Last-Modified header (`/history`). */
export const v3History = <Document>(history: (actor: UploaderActor, query: CollectionQuery) => Promise<V3History<Document>>) =>
  nightscoutV3Api(async ({ request, caller, params }) =>
    v3HistoryResponse(await history(caller, parseV3History(params.lastModified ?? null, request.headers.get("last-modified"), searchParamsOf(request)))),
  );

export const v3Patch = (patch: (actor: UploaderActor, identifier: string, body: unknown) => Promise<V3ChangeOutcome>) =>
  nightscoutV3Api(async ({ request, caller, params }) => v3ChangeResponse(await patch(caller, params.identifier!, await readJsonBody(request, { maxBytes: MAX_BODY_BYTES }))));

export const v3Delete = (remove: (actor: UploaderActor, identifier: string) => Promise<{ deletedCount: number }>) =>
  nightscoutV3Api(async ({ caller, params }) => v3Deleted((await remove(caller, params.identifier!)).deletedCount));

/** Lantern keeps glucose readings as received: API v3 cannot change or delete them. */
export const readingsAreKept = v3MethodNotAllowed("Lantern keeps glucose readings as received: they cannot be changed or deleted through the Nightscout API.");
export const reportsAreKept = v3MethodNotAllowed("Lantern keeps device status reports as received: they cannot be changed or deleted.");
export const collectionOnlySearchedAndCreated = v3MethodNotAllowed("This path takes GET (search) and POST (create).");
export const historyOnlyRead = v3MethodNotAllowed("History is read with GET.");
