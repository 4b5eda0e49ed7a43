import "server-only";
import type { RequestOrigin, UploaderActor } from "@/lib/access/actor";
import { logUnexpected } from "@/lib/log";
import { authenticateJwt, V3_UNAUTHORIZED } from "@/lib/uploader/credentials";
import type { V3ChangeOutcome, V3CreateOutcome, V3History, V3ReadOutcome } from "@/lib/uploader/v3-outcomes";
import { AppError } from "@/lib/errors";
import { apiDoor, retryAfterOf, stamp, withinApiRateLimit, type RouteHandler } from "./api";
import { bearerToken } from "./body";
import { asAppError, statusOf } from "./errors";

/**
 * The door of Nightscout's API v3 (AndroidAPS's NSClient v3): a JWT from
 * /api/v2/authorization/request in `Authorization: Bearer`, and every answer, errors included,
 * in v3's envelope: `{ status, result }` or `{ status, message }`, the HTTP status repeated.
 */

function v3Json(status: number, fields: object = {}, headers: Record<string, string> = {}): Response {
  return Response.json({ status, ...fields }, { status, headers });
}

function v3ErrorResponse(error: unknown, origin: RequestOrigin | null): Response {
  const known = asAppError(error);
  if (!known) logUnexpected("nightscout-v3", origin?.requestId ?? null, error);
  const response = known ? v3Json(statusOf[known.code], { message: known.message }) : v3Json(500, { message: "Internal Server Error" });
  if (known?.code === "unauthenticated") response.headers.set("WWW-Authenticate", 'Bearer realm="lantern-nightscout"');
  if (known?.code === "rate_limited" || known?.code === "unavailable") response.headers.set("Retry-After", String(retryAfterOf(known)));
  stamp(response, origin);
  return response;
}

/** An app holding a JWT for an access token that is still there and not revoked. */
export const nightscoutV3Api = apiDoor<UploaderActor>(
  async (request, origin) => {
    const jwt = bearerToken(request);
    const uploader = jwt ? await authenticateJwt(jwt, origin) : null;
    if (!uploader) throw new AppError("unauthenticated", V3_UNAUTHORIZED);
    return withinApiRateLimit(uploader);
  },
  { cookie: false, renderError: v3ErrorResponse },
);

/** What API v3 answers everyone (/version). */
export const publicNightscoutV3Api = apiDoor<null>(async () => null, { cookie: false, renderError: v3ErrorResponse });

export const v3Result = (result: unknown, headers: Record<string, string> = {}) => v3Json(200, { result }, headers);

/** A create: 201 with the new identifier, 200 with `isDeduplication` for one already there, 400 with why one was not stored. */
export function v3CreateResponse(outcome: V3CreateOutcome, collectionPath: string): Response {
  if (outcome.kind === "not-stored") return v3Json(400, { message: outcome.reason });
  const headers = { "Last-Modified": new Date(outcome.lastModified).toUTCString(), Location: `${collectionPath}/${encodeURIComponent(outcome.identifier)}` };
  return outcome.kind === "created"
    ? v3Json(201, { identifier: outcome.identifier, lastModified: outcome.lastModified }, headers)
    : v3Json(200, { identifier: outcome.identifier, isDeduplication: true, lastModified: outcome.lastModified }, headers);
}

export function v3ReadResponse<Document>(outcome: V3ReadOutcome<Document>): Response {
  switch (outcome.kind) {
    case "found":
      return v3Result(outcome.document, { "Last-Modified": new Date(outcome.lastModified).toUTCString() });
    case "not-found":
      return v3Json(404);
    case "gone":
      return v3Json(410);
  }
}

/** A history page, with the newest srvModified it holds as Last-Modified and ETag (AndroidAPS reads the ETag). */
export function v3HistoryResponse<Document>(history: V3History<Document>): Response {
  const headers: Record<string, string> = history.lastModified === null ? {} : { "Last-Modified": new Date(history.lastModified).toUTCString(), ETag: `W/"${history.lastModified}"` };
  return v3Result(history.documents, headers);
}

export function v3ChangeResponse(outcome: V3ChangeOutcome): Response {
  switch (outcome.kind) {
    case "changed":
      return v3Json(200, {}, { "Last-Modified": new Date(outcome.lastModified).toUTCString() });
    case "not-found":
      return v3Json(404);
    case "gone":
      return v3Json(410);
    case "refused":
      return v3Json(400, { message: outcome.reason });
  }
}

export const v3Deleted = (deletedCount: number) => (deletedCount > 0 ? v3Json(200) : v3Json(404));

/** A method the path does not serve, in v3's envelope. */
export function v3MethodNotAllowed(message: string): RouteHandler {
  return publicNightscoutV3Api(async () => v3Json(405, { message }));
}

/** Nightscout's answer for a collection or operation it does not have. */
const V3_BAD_OPERATION = "Bad operation or collection";
export const v3NotFound = (message = V3_BAD_OPERATION) => v3Json(404, { message });
