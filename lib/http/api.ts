import "server-only";
import { actorId, type DeviceActor, type RequestOrigin, type UploaderActor, type UserActor } from "@/lib/access/actor";
import { requestOriginOf } from "@/lib/access/origin";
import { hitRateLimit, RateLimited } from "@/lib/access/rate-limits";
import { environment } from "@/lib/config";
import { currentActor, mustSetUpMfa } from "@/lib/auth/session";
import { authenticateDevice } from "@/lib/devices/registry";
import { AppError } from "@/lib/errors";
import { authenticateUploader, UPLOADER_UNAUTHORIZED, type PresentedCredentials } from "@/lib/uploader/credentials";
import { bearerToken } from "./body";
import { isCrossSiteRequest, UNSAFE_METHODS } from "./cross-site";
import { asAppError, statusOf } from "./errors";
import { logUnexpected } from "@/lib/log";

/**
 * The doors of the JSON APIs: one per way of proving who calls (a portal session, a device token,
 * an uploader secret, nobody yet). Each authenticates, refuses cross-site cookie writes, maps
 * every error to `{ error, message, fields? }` with its status, stamps X-Request-Id and keeps
 * answers out of caches. Routes only translate HTTP to one data-layer call; they decide nothing.
 */

export interface ApiContext<Caller> {
  request: Request;
  caller: Caller;
  origin: RequestOrigin;
  params: Record<string, string>;
}

type Authenticate<Caller> = (request: Request, origin: RequestOrigin) => Promise<Caller>;
type Handler<Caller> = (context: ApiContext<Caller>) => Promise<Response | object>;
export type RouteHandler = (request: Request, context?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type RenderError = (error: unknown, origin: RequestOrigin | null) => Response;

const NO_STORE = "no-store";

export function errorResponse(error: unknown, origin: RequestOrigin | null, door = "api"): Response {
  const known = asAppError(error);
  if (!known) {
    logUnexpected(door, origin?.requestId ?? null, error);
    return jsonResponse({ error: "internal_error", message: "Something went wrong on our side; nothing was stored. Try again." }, 500, origin);
  }
  const body = { error: known.code, message: known.message, ...(Object.keys(known.fieldErrors).length ? { fields: known.fieldErrors } : {}) };
  const response = jsonResponse(body, statusOf[known.code], origin);
  if (known.code === "unauthenticated") response.headers.set("WWW-Authenticate", 'Bearer realm="lantern"');
  if (known.code === "unavailable" || known.code === "rate_limited") response.headers.set("Retry-After", String(retryAfterOf(known)));
  return response;
}

export function retryAfterOf(error: unknown): number {
  return error instanceof RateLimited ? error.retryAfterSeconds : 5;
}

/**
 * Counts a request against its device token's or uploader credential's minute (shared by every
 * server process); over the limit it is refused with 429 and Retry-After before the handler runs,
 * so nothing of it is stored and the device sends it again later.
 */
export async function withinApiRateLimit<Caller extends DeviceActor | UploaderActor>(caller: Caller): Promise<Caller> {
  const verdict = await hitRateLimit(`api:${caller.kind}:${actorId(caller)}`, { limit: environment().LANTERN_API_REQUESTS_PER_MINUTE, windowMs: 60_000 });
  if (!verdict.allowed) {
    throw new RateLimited(`This credential made more than ${environment().LANTERN_API_REQUESTS_PER_MINUTE} requests this minute; nothing of this one was stored. Send it again after ${verdict.retryAfterSeconds} seconds.`, verdict.retryAfterSeconds);
  }
  return caller;
}

function jsonResponse(body: object, status: number, origin: RequestOrigin | null): Response {
  const response = Response.json(body, { status });
  stamp(response, origin);
  return response;
}

export function stamp(response: Response, origin: RequestOrigin | null): void {
  if (origin) response.headers.set("X-Request-Id", origin.requestId);
  if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", NO_STORE);
}

/** A door: how it authenticates, whether cookies may write through it, and how it answers errors. */
export function apiDoor<Caller>(authenticate: Authenticate<Caller>, options: { cookie: boolean; renderError?: RenderError }) {
  const renderError = options.renderError ?? ((error, origin) => errorResponse(error, origin));
  return (handler: Handler<Caller>): RouteHandler =>
    async (request, context) => {
      const origin = requestOriginOf(request.headers);
      try {
        if (options.cookie && UNSAFE_METHODS.has(request.method) && isCrossSiteRequest(request)) {
          throw new AppError("forbidden", "This request came from another site and was refused.");
        }
        const caller = await authenticate(request, origin);
        const params = Object.fromEntries(Object.entries((await context?.params) ?? {}).map(([key, value]) => [key, Array.isArray(value) ? value.join("/") : value]));
        const result = await handler({ request, caller, origin, params });
        const response = result instanceof Response ? result : Response.json(result);
        stamp(response, origin);
        return response;
      } catch (error) {
        return renderError(error, origin);
      }
    };
}

/** A signed-in portal user (session cookie). */
export const sessionApi = apiDoor<UserActor>(
  async (_request, origin) => {
    const actor = await currentActor(origin);
    if (!actor) {
      if (await mustSetUpMfa(origin)) throw new AppError("forbidden", "Set up two-step sign-in first, at /account/two-step: until then your account opens nothing else.");
      throw new AppError("unauthenticated", "Sign in first.");
    }
    return actor;
  },
  { cookie: true },
);

/** A paired connected meter (`Authorization: Bearer <device token>`). */
export const deviceApi = apiDoor<DeviceActor>(
  async (request, origin) => {
    const device = await authenticateDevice(bearerToken(request), origin);
    if (!device) throw new AppError("unauthenticated", "Send the device token as `Authorization: Bearer <token>`; this token is unknown or revoked. Pair the meter again.");
    return withinApiRateLimit(device);
  },
  { cookie: false },
);

/** The Nightscout credentials a request carries, wherever Nightscout's API v1 looks for them. */
export function presentedCredentials(request: Request): PresentedCredentials {
  return { apiSecret: request.headers.get("api-secret"), token: new URL(request.url).searchParams.get("token"), bearer: bearerToken(request) };
}

/**
 * An app speaking Nightscout's API v1: an uploader with the patient's API secret (or a read-write
 * access token), or a follower with a read-only one (`api-secret`, `?token=`, or a Bearer JWT).
 */
export const uploaderApi = apiDoor<UploaderActor>(
  async (request, origin) => {
    const uploader = await authenticateUploader(presentedCredentials(request), origin);
    if (!uploader) throw new AppError("unauthenticated", UPLOADER_UNAUTHORIZED);
    return withinApiRateLimit(uploader);
  },
  { cookie: false },
);

/** Callers who prove themselves in the body (a meter's pairing code) or not at all. */
export const publicApi = apiDoor<null>(async () => null, { cookie: false });

/** An uploader app's optional credential: status.json and verifyauth answer everyone, and say whether the credential is right. */
export const optionalUploaderApi = apiDoor<UploaderActor | null>(async (request, origin) => {
  const uploader = await authenticateUploader(presentedCredentials(request), origin);
  return uploader && withinApiRateLimit(uploader);
}, { cookie: false });

/**
 * A method the path does not serve: a JSON 405 naming the ones it does (Next.js would answer an
 * empty body, and every path under /api answers JSON).
 */
export function methodNotAllowed(...allowed: string[]): RouteHandler {
  return publicApi(async ({ request }) => {
    const message = `${new URL(request.url).pathname} does not take ${request.method}; it takes ${allowed.join(", ")}.`;
    return Response.json({ error: "method_not_allowed", message }, { status: 405, headers: { Allow: allowed.join(", ") } });
  });
}
