import { environment } from "@/lib/config";
import { clientAddressFrom } from "@/lib/security/client-address";
import type { RequestOrigin } from "./actor";

/**
 * The header in which Lantern's server (server.mjs) hands each request's socket peer address to
 * the application. Next.js route handlers never see the socket, and its own `x-forwarded-for`
 * fallback keeps whatever the client sent; server.mjs overwrites this header on every request.
 */
export const SOCKET_ADDRESS_HEADER = "x-lantern-socket-address";
/** Set by server.mjs in the process it serves: only then is the header above the server's own. */
const SOCKET_ADDRESS_STAMPED = Symbol.for("lantern.socketAddressStamped");

/**
 * The request's id: server.mjs decides it for every request (the caller's X-Request-Id when it is
 * a safe short token, else a new one), puts it in this header and in every log line of the
 * request. Must match server.mjs.
 */
export const REQUEST_ID_HEADER = "x-request-id";
/** What a caller's own X-Request-Id may be to be kept: short, no spaces, nothing a log could misread. Must match server.mjs. */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Where a request came from, for the audit trail and the rate limits: the request's id and the
 * client's address. Every door builds its actor's origin here and nowhere else.
 */
export function requestOriginOf(headers: Headers): RequestOrigin {
  return { requestId: requestIdOf(headers), sourceAddress: clientAddress(headers) };
}

/**
 * The id server.mjs gave the request; without server.mjs (`next dev`) the caller's own when it is
 * safe, else a fresh one.
 */
export function requestIdOf(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given !== null && SAFE_REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

/**
 * The client's address: the socket's peer, or the one LANTERN_TRUSTED_PROXY_HOPS proxies in
 * front of Lantern recorded (lib/security/client-address.ts). Null when the server was not
 * started through server.mjs (`next dev`): then the address limits do not apply, rather than
 * trusting a header anyone can send.
 */
export function clientAddress(headers: Headers): string | null {
  const stamped = (globalThis as Record<symbol, unknown>)[SOCKET_ADDRESS_STAMPED] === true;
  return clientAddressFrom({
    socketAddress: stamped ? headers.get(SOCKET_ADDRESS_HEADER) : null,
    forwardedFor: headers.get("x-forwarded-for"),
    trustedHops: environment().LANTERN_TRUSTED_PROXY_HOPS,
  });
}

/** For tests that stand in for server.mjs. */
export function markSocketAddressStamped(stamped: boolean): void {
  (globalThis as Record<symbol, unknown>)[SOCKET_ADDRESS_STAMPED] = stamped;
}
