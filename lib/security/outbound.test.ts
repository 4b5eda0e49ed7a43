import { describe, expect, it } from "vitest";
import { LOOPBACK_ALLOWLIST, parseEnvironment } from "@/lib/config";
import { assertOutboundAllowed, outboundRegion } from "./outbound";

const allowlist = parseEnvironment({ LANTERN_OUTBOUND_ALLOWLIST: "*.nhs.uk=UK, fhir.example.org=EU,[::1]=local" }).LANTERN_OUTBOUND_ALLOWLIST;

describe("the outbound allowlist", () => {
  it("parses host=REGION pairs", () => {
    expect(allowlist).toEqual([
      { pattern: "*.nhs.uk", region: "UK" },
      { pattern: "fhir.example.org", region: "EU" },
      { pattern: "[::1]", region: "local" },
    ]);
    expect(parseEnvironment({}).LANTERN_OUTBOUND_ALLOWLIST).toEqual(LOOPBACK_ALLOWLIST);
  });

  it.each(["nhs.uk", "fhir.example.org=", "=EU", "https://fhir.example.org=EU", "a b=EU"])("refuses %s with the expected form", (value) => {
    expect(() => parseEnvironment({ LANTERN_OUTBOUND_ALLOWLIST: value })).toThrow(/host=REGION pairs separated by commas/);
  });

  it.each([
    ["https://fhir.trust.nhs.uk/r4", "UK"],
    ["https://a.b.nhs.uk:8443/fhir", "UK"],
    ["https://nhs.uk/fhir", null], // *. matches subdomains, not the apex
    ["https://evilnhs.uk/fhir", null],
    ["https://FHIR.Example.org/r4", "EU"],
    ["https://fhir.example.org.attacker.net/r4", null],
    ["https://sub.fhir.example.org/r4", null],
    ["http://[::1]:8080/fhir", "local"],
    ["not a url", null],
  ])("%s goes to %s", (url, region) => {
    expect(outboundRegion(url, allowlist)).toBe(region);
  });

  it("by default allows only this machine", () => {
    expect(outboundRegion("http://127.0.0.1:4000/fhir", LOOPBACK_ALLOWLIST)).toBe("this server");
    expect(outboundRegion("http://localhost:4000/fhir", LOOPBACK_ALLOWLIST)).toBe("this server");
    expect(() => assertOutboundAllowed("https://fhir.example.org/r4", LOOPBACK_ALLOWLIST)).toThrow(
      "fhir.example.org is not on this deployment's outbound allowlist, so Lantern will not send data there. Ask the operator to add it with its region to LANTERN_OUTBOUND_ALLOWLIST (e.g. fhir.example.org=UK).",
    );
  });
});
