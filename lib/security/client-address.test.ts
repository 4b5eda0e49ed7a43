import { describe, expect, it } from "vitest";
import { clientAddressFrom, normalizeAddress } from "./client-address";

describe("clientAddressFrom", () => {
  it.each([
    { name: "no proxy: the socket, whatever X-Forwarded-For claims", socket: "203.0.113.7", xff: "198.51.100.1", hops: 0, expected: "203.0.113.7" },
    { name: "no proxy and no socket address: none (never a shared bucket)", socket: null, xff: "198.51.100.1", hops: 0, expected: null },
    { name: "one proxy: the entry it appended", socket: "10.0.0.2", xff: "198.51.100.1", hops: 1, expected: "198.51.100.1" },
    { name: "one proxy: entries the client wrote before it are ignored", socket: "10.0.0.2", xff: "1.1.1.1, 2.2.2.2, 198.51.100.1", hops: 1, expected: "198.51.100.1" },
    { name: "two proxies: the second entry from the right", socket: "10.0.0.3", xff: "6.6.6.6, 198.51.100.1, 10.0.0.2", hops: 2, expected: "198.51.100.1" },
    { name: "fewer entries than proxies: the socket", socket: "203.0.113.7", xff: "", hops: 1, expected: "203.0.113.7" },
    { name: "a forwarded value that is not an address: none", socket: "10.0.0.2", xff: "unknown", hops: 1, expected: null },
  ])("$name", ({ socket, xff, hops, expected }) => {
    expect(clientAddressFrom({ socketAddress: socket, forwardedFor: xff, trustedHops: hops })).toBe(expected);
  });
});

describe("normalizeAddress", () => {
  it.each([
    ["192.0.2.1", "192.0.2.1"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002:ffff::1", "2001:db8:1:2::/64"],
    ["[2001:db8::1]", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["::ffff:1.2.3.4:80", null],
    ["not an address", null],
    ["", null],
  ])("%s -> %s", (raw, expected) => {
    expect(normalizeAddress(raw)).toBe(expected);
  });

  it("puts every address of one /64 in one bucket", () => {
    expect(normalizeAddress("2001:db8:aa:bb:1::1")).toBe(normalizeAddress("2001:db8:aa:bb:ffff:ffff:ffff:ffff"));
  });
});
