import { describe, expect, it } from "vitest";
import { grantScopes, hasScope, normalizeScope, parseScope, splitScopes, supportedScopes, type Interaction } from "./scopes";

describe("parseScope", () => {
  it.each([
    ["system/Observation.rs", { context: "system", resourceType: "Observation", permissions: "rs", version: 2 }],
    ["system/Observation.cruds", { context: "system", resourceType: "Observation", permissions: "cruds", version: 2 }],
    ["system/Observation.c", { context: "system", resourceType: "Observation", permissions: "c", version: 2 }],
    ["system/*.rs", { context: "system", resourceType: "*", permissions: "rs", version: 2 }],
    ["system/Patient.read", { context: "system", resourceType: "Patient", permissions: "rs", version: 1 }],
    ["system/Observation.write", { context: "system", resourceType: "Observation", permissions: "cu", version: 1 }],
    ["system/*.*", { context: "system", resourceType: "*", permissions: "cruds", version: 1 }],
    ["patient/Observation.rs", { context: "patient", resourceType: "Observation", permissions: "rs", version: 2 }],
  ])("reads %s", (scope, parsed) => {
    expect(parseScope(scope)).toEqual(parsed);
  });

  it.each([
    ["letters out of order", "system/Observation.sr"],
    ["a repeated letter", "system/Observation.rrs"],
    ["no permission", "system/Observation."],
    ["an unknown letter", "system/Observation.rx"],
    ["a granular query", "system/Observation.rs?category=laboratory"],
    ["an unknown context", "admin/Observation.rs"],
    ["a lowercase resource type", "system/observation.rs"],
    ["openid", "openid"],
    ["launch", "launch/patient"],
    ["empty", ""],
  ])("refuses %s", (_label, scope) => {
    expect(parseScope(scope)).toBeNull();
  });

  it.each([
    ["system/Observation.read", "system/Observation.rs"],
    ["system/Observation.write", "system/Observation.cu"],
    ["system/*.read", "system/*.rs"],
    ["system/Patient.*", "system/Patient.cruds"],
    ["system/Patient.rs", "system/Patient.rs"],
    ["nonsense", null],
  ])("normalizes %s to %s", (scope, normalized) => {
    expect(normalizeScope(scope)).toBe(normalized);
  });

  it("splits a scope parameter on any whitespace, once per scope", () => {
    expect(splitScopes("  system/Patient.rs\tsystem/Observation.rs  system/Patient.rs\n")).toEqual(["system/Patient.rs", "system/Observation.rs"]);
    expect(splitScopes("   ")).toEqual([]);
  });
});

describe("grantScopes: requested ∩ allowed", () => {
  const allowed = ["system/Patient.rs", "system/Observation.rs", "system/Observation.cu"];
  it.each([
    ["the same scopes", "system/Patient.rs system/Observation.rs", allowed, ["system/Patient.rs", "system/Observation.rs"]],
    ["only the allowed part", "system/Patient.rs system/Device.rs", allowed, ["system/Patient.rs"]],
    ["v1 read as rs", "system/Observation.read", allowed, ["system/Observation.rs"]],
    ["v1 write as cu", "system/Observation.write", allowed, ["system/Observation.cu"]],
    ["v1 read and write", "system/Observation.read system/Observation.write", allowed, ["system/Observation.rs", "system/Observation.cu"]],
    ["a narrower request", "system/Observation.r", allowed, ["system/Observation.r"]],
    ["the common letters of a wider request", "system/Patient.cruds", allowed, ["system/Patient.rs"]],
    ["system/*.rs expanded to what is allowed", "system/*.rs", allowed, ["system/Patient.rs", "system/Observation.rs"]],
    ["system/*.* expanded to everything allowed", "system/*.*", allowed, ["system/Patient.rs", "system/Observation.rs", "system/Observation.cu"]],
    ["system/Observation.* as cruds", "system/Observation.*", allowed, ["system/Observation.rs", "system/Observation.cu"]],
    ["an allowed wildcard narrowed to the request", "system/Device.rs", ["system/*.rs"], ["system/Device.rs"]],
    ["a covered duplicate dropped", "system/Observation.rs system/Observation.r system/Observation.read", allowed, ["system/Observation.rs"]],
    ["nothing for patient/ scopes", "patient/Observation.rs", allowed, []],
    ["nothing for user/ scopes", "user/Patient.read", allowed, []],
    ["nothing for an unserved resource type", "system/Encounter.rs", ["system/*.rs"], []],
    ["nothing for a granular scope", "system/Observation.rs?category=laboratory", allowed, []],
    ["nothing for a delete", "system/Observation.d", allowed, []],
    ["nothing for openid", "openid fhirUser", allowed, []],
  ])("grants %s", (_label, requested, allowedScopes, granted) => {
    expect(grantScopes(splitScopes(requested), allowedScopes)).toEqual(granted);
  });
});

describe("hasScope", () => {
  const cases: [string, string[], string, Interaction, boolean][] = [
    ["rs reads", ["system/Observation.rs"], "Observation", "read", true],
    ["rs searches", ["system/Observation.rs"], "Observation", "search", true],
    ["rs does not create", ["system/Observation.rs"], "Observation", "create", false],
    ["rs does not update", ["system/Observation.rs"], "Observation", "update", false],
    ["r does not search", ["system/Observation.r"], "Observation", "search", false],
    ["s searches", ["system/Observation.s"], "Observation", "search", true],
    ["s does not read", ["system/Observation.s"], "Observation", "read", false],
    ["c creates", ["system/Observation.c"], "Observation", "create", true],
    ["cu updates", ["system/Observation.cu"], "Observation", "update", true],
    ["cu does not delete", ["system/Observation.cu"], "Observation", "delete", false],
    ["cruds deletes", ["system/Observation.cruds"], "Observation", "delete", true],
    ["another resource type does not count", ["system/Patient.rs"], "Observation", "read", false],
    ["wildcard reads any type", ["system/*.rs"], "Device", "read", true],
    ["wildcard letters still apply", ["system/*.rs"], "Observation", "create", false],
    ["v1 read searches", ["system/Patient.read"], "Patient", "search", true],
    ["v1 write creates", ["system/Observation.write"], "Observation", "create", true],
    ["v1 *.* anything", ["system/*.*"], "Group", "update", true],
    ["patient/ scopes give a backend client nothing", ["patient/Observation.rs"], "Observation", "read", false],
    ["user/ scopes give a backend client nothing", ["user/Observation.rs"], "Observation", "read", false],
    ["a malformed scope gives nothing", ["system/Observation.sr"], "Observation", "read", false],
    ["no scopes, nothing", [], "Observation", "read", false],
    ["any of several", ["system/Patient.rs", "system/Observation.cu"], "Observation", "create", true],
  ];
  it.each(cases)("%s", (_label, scopes, resourceType, interaction, allowed) => {
    expect(hasScope(scopes, resourceType, interaction)).toBe(allowed);
  });
});

describe("supportedScopes", () => {
  it("lists the v2 scopes, the wildcard, and their v1 names", () => {
    const scopes = supportedScopes();
    for (const type of ["Patient", "Observation", "Device", "Practitioner", "Organization", "Group", "Flag"]) {
      expect(scopes).toContain(`system/${type}.rs`);
      expect(scopes).toContain(`system/${type}.read`);
    }
    expect(scopes).toEqual(expect.arrayContaining(["system/*.rs", "system/*.read", "system/Observation.cu", "system/Observation.write"]));
    expect(scopes.every((scope) => parseScope(scope)?.context === "system")).toBe(true);
  });
});
