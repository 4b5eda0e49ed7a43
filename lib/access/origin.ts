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
 * Where a request came from, for the audit trail and the rate limits: a fresh request id and the
 * client's address. Every door builds its actor's origin here and nowhere else.
 */
export function requestOriginOf(headers: Headers): RequestOrigin {
  return { requestId: crypto.randomUUID(), sourceAddress: clientAddress(headers) };
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
