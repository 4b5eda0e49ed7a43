import "server-only";
import { createHash } from "node:crypto";
import type { Actor, RequestOrigin } from "@/lib/access/actor";
import { requestOriginOf } from "@/lib/access/origin";
import { currentActor } from "@/lib/auth/session";
import { AppError, type AppErrorCode } from "@/lib/errors";
import { toOperationOutcome, type IssueType } from "@/lib/fhir/mapping";
import { parsePrefer, type Preferences } from "@/lib/fhir/server/prefer";
import { authenticateBackendToken } from "@/lib/fhir/smart/access";
import { bearerToken, FHIR_CONTENT_TYPE, readJsonBody } from "./body";
import { isCrossSiteRequest, UNSAFE_METHODS } from "./cross-site";
import { asAppError, statusOf } from "./errors";
import { publicOrigin, publicRequestUrl } from "./public-url";
import { logUnexpected } from "@/lib/log";

/**
 * The FHIR door. Authenticates (a SMART Backend Services access token, or a portal session for
 * the read API), refuses cross-site cookie writes, reads FHIR JSON bodies of a bounded size,
 * answers EVERY error as an OperationOutcome with its status (404 and 405 included), stamps
 * X-Request-Id and keeps health data out of caches. It is also the one place that says where the
 * API is (lib/http/public-url): every absolute URL a handler builds starts from `baseUrl`.
 * Routes translate; the data layer decides.
 */

export const FHIR_JSON = "application/fhir+json; charset=utf-8";
// A day of 1-minute CGM readings as a Bundle is about 1.5 MB.
const MAX_FHIR_BODY_BYTES = 8_000_000;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

export interface FhirContext<Caller = Actor> {
  request: Request;
  /** The request URL as the client addressed it: its path and query on the public origin. */
  url: URL;
  actor: Caller;
  origin: RequestOrigin;
  params: Record<string, string>;
  /** The site's public origin, e.g. `https://lantern.example.org` (LANTERN_PUBLIC_URL when set). */
  siteUrl: string;
  /** The FHIR base URL, e.g. `https://lantern.example.org/fhir`: every absolute URL starts here. */
  baseUrl: string;
  /** The `Prefer` header: `handling=strict|lenient`, `respond-async`. */
  prefer: Preferences;
  /** The request body as FHIR JSON (Content-Type application/fhir+json or application/json). */
  body(): Promise<unknown>;
}

type FhirHandler<Caller> = (context: FhirContext<Caller>) => Promise<Response>;
type RouteHandler = (request: Request, context?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export function fhirResponse(resource: object, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(resource), { status: init.status ?? 200, headers: { "Content-Type": FHIR_JSON, ...init.headers } });
}

const issueCodeOf: Record<AppErrorCode, IssueType> = {
  not_found: "not-found",
  invalid_input: "invalid",
  unprocessable: "business-rule",
  conflict: "conflict",
  precondition_failed: "duplicate",
  unauthenticated: "login",
  forbidden: "forbidden",
  rate_limited: "throttled",
  payload_too_large: "too-costly",
  unavailable: "transient",
};

export function outcomeResponse(status: number, code: IssueType, diagnostics: string, expression?: string): Response {
  const headers: Record<string, string> = status === 401 ? { "WWW-Authenticate": 'Bearer realm="lantern-fhir"' } : {};
  if (status === 503 || status === 429) headers["Retry-After"] = "5";
  return fhirResponse(toOperationOutcome("error", code, diagnostics, expression), { status, headers });
}

export function fhirErrorResponse(error: unknown, origin: RequestOrigin | null): Response {
  const known = asAppError(error);
  if (known) return outcomeResponse(statusOf[known.code], issueCodeOf[known.code], known.message, known.fieldErrors.expression?.[0]);
  logUnexpected("fhir", origin?.requestId ?? null, error);
  return outcomeResponse(500, "exception", "Something went wrong on our side; try again.");
}

/**
 * A read: the resource with its ETag and Last-Modified, or 304 Not Modified when If-None-Match
 * names the current ETag (RFC 9110 §13.1.2, weak comparison; `*` matches any). The ETag is the
 * version for a versioned resource (an Observation: W/"2"); otherwise a digest of the JSON the
 * client would get, so it changes exactly when what the resource shows changes, whatever column
 * or mapping changed it.
 */
export function fhirReadResponse(request: Request, resource: object, validators: { version?: number; lastModified: Date }): Response {
  const json = JSON.stringify(resource);
  const tag = validators.version === undefined ? createHash("sha256").update(json).digest("base64url").slice(0, 22) : String(validators.version);
  const headers = { ETag: `W/"${tag}"`, "Last-Modified": validators.lastModified.toUTCString() };
  if (matchesIfNoneMatch(request.headers.get("if-none-match"), tag)) return new Response(null, { status: 304, headers });
  return new Response(json, { status: 200, headers: { "Content-Type": FHIR_JSON, ...headers } });
}

/** Whether an If-None-Match header names the entity tag `tag` (weak comparison: W/ is ignored). */
function matchesIfNoneMatch(header: string | null, tag: string): boolean {
  if (header === null) return false;
  if (header.trim() === "*") return true;
  return [...header.matchAll(/(?:W\/)?"([^"]*)"/g)].some((match) => match[1] === tag);
}

function stamp(response: Response, origin: RequestOrigin): Response {
  response.headers.set("X-Request-Id", origin.requestId);
  if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "no-store");
  return response;
}

async function authenticate(request: Request, origin: RequestOrigin): Promise<Actor> {
  const token = bearerToken(request);
  if (token) {
    const client = await authenticateBackendToken(token, origin);
    if (!client) throw new AppError("unauthenticated", "The access token is unknown, expired or revoked: request a new one at the token endpoint.");
    return client;
  }
  if (UNSAFE_METHODS.has(request.method) && isCrossSiteRequest(request)) throw new AppError("forbidden", "This request came from another site and was refused.");
  const user = await currentActor(origin);
  if (!user) throw new AppError("unauthenticated", "Send an access token (SMART Backend Services, see /fhir/.well-known/smart-configuration) or sign in.");
  return user;
}

function handle<Caller>(method: Method, handler: FhirHandler<Caller> | undefined, allowed: string, identify: (request: Request, origin: RequestOrigin) => Promise<Caller>): RouteHandler {
  return async (request, context) => {
    const origin = requestOriginOf(request.headers);
    const url = publicRequestUrl(request);
    try {
      if (!handler) {
        const response = outcomeResponse(405, "not-supported", `${method} is not supported on ${url.pathname}; this path answers ${allowed}.`);
        response.headers.set("Allow", allowed);
        return stamp(response, origin);
      }
      const actor = await identify(request, origin);
      const params = Object.fromEntries(Object.entries((await context?.params) ?? {}).map(([key, value]) => [key, Array.isArray(value) ? value.join("/") : value]));
      const siteUrl = publicOrigin(request);
      const baseUrl = `${siteUrl}/fhir`;
      const prefer = parsePrefer(request.headers.get("prefer"));
      const body = () => readJsonBody(request, { maxBytes: MAX_FHIR_BODY_BYTES, contentType: FHIR_CONTENT_TYPE, typeName: "application/fhir+json" });
      return stamp(await handler({ request, url, actor, origin, params, siteUrl, baseUrl, prefer, body }), origin);
    } catch (error) {
      return stamp(fhirErrorResponse(error, origin), origin);
    }
  };
}

/**
 * A FHIR route: the handlers it supports, and a 405 OperationOutcome for every other method.
 * `export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({ GET: ... })`.
 */
export function fhirRoute(handlers: Partial<Record<Method, FhirHandler<Actor>>>): Record<Method, RouteHandler> {
  const allowed = METHODS.filter((method) => handlers[method]).join(", ");
  return Object.fromEntries(METHODS.map((method) => [method, handle(method, handlers[method], allowed, authenticate)])) as Record<Method, RouteHandler>;
}

/** A FHIR route anyone may call (the CapabilityStatement, SMART discovery): no caller. */
export function publicFhirRoute(handlers: Partial<Record<Method, FhirHandler<null>>>): Record<Method, RouteHandler> {
  const allowed = METHODS.filter((method) => handlers[method]).join(", ");
  const nobody = async () => null;
  return Object.fromEntries(METHODS.map((method) => [method, handle(method, handlers[method], allowed, nobody)])) as Record<Method, RouteHandler>;
}

/** Paths under /fhir that name no resource type or operation Lantern serves: 404, for every method. */
export function fhirUnknownPath(): Record<Method, RouteHandler> {
  const notFound: RouteHandler = async (request) => {
    const origin = requestOriginOf(request.headers);
    const path = new URL(request.url).pathname;
    return stamp(outcomeResponse(404, "not-found", `${path} is not a FHIR endpoint of this server; GET /fhir/metadata lists what it serves.`), origin);
  };
  return Object.fromEntries(METHODS.map((method) => [method, notFound])) as Record<Method, RouteHandler>;
}
