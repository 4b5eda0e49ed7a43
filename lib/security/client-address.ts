import { isIP } from "node:net";

/**
 * The client's address for rate limits and the audit trail, decided from what the server itself
 * saw, never from a header the client chose. With no trusted proxy it is the socket's peer
 * address. Behind `trustedHops` proxies, each of which appends the address it received the
 * request from to X-Forwarded-For, it is the entry `trustedHops` from the right: entries further
 * left were written by the client and are ignored. A request with fewer entries than that did not
 * come through the proxies, so its socket address is used.
 */
export function clientAddressFrom(input: { socketAddress: string | null; forwardedFor: string | null; trustedHops: number }): string | null {
  if (input.trustedHops === 0) return normalizeAddress(input.socketAddress);
  const entries = (input.forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length < input.trustedHops) return normalizeAddress(input.socketAddress);
  return normalizeAddress(entries[entries.length - input.trustedHops]!);
}

/**
 * One spelling per client: IPv4-mapped IPv6 as IPv4, an IPv6 address as its /64 network (one
 * subscriber's allocation, so rotating within it does not escape a limit), anything that is not
 * an address as null.
 */
export function normalizeAddress(raw: string | null): string | null {
  if (!raw) return null;
  const address = raw.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  switch (isIP(address)) {
    case 4:
      return address;
    case 6:
      return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
    default:
      return null;
  }
}

/** The eight 16-bit groups of a valid IPv6 address, in lowercase without leading zeros. */
function expandIpv6(address: string): string[] {
  const [head = "", tail] = address.toLowerCase().split("::");
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const left = groups(head);
  const right = groups(tail);
  // A trailing dotted IPv4 part counts as two groups.
  const last = right.length ? right : left;
  const dotted = last.at(-1)?.includes(".") ? last.pop()! : null;
  if (dotted) {
    const [a, b, c, d] = dotted.split(".").map(Number) as [number, number, number, number];
    last.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((group) => parseInt(group, 16).toString(16));
}
