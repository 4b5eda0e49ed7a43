/**
 * SMART on FHIR system scopes (App Launch 2.0 "v2" permissions, with the v1 names mapped), pure:
 * no I/O. Backend clients only ever hold `system/` scopes; `patient/` and `user/` scopes, scopes
 * with granular query parameters (`?category=...`) and resource types this server does not serve
 * are recognised as such and never granted.
 *
 * v1 -> v2: `.read` -> `.rs`, `.write` -> `.cu`, `.*` -> `.cruds`. A `*` resource type is a
 * wildcard on the request side (`system/*.rs`): it is intersected with what the client may have.
 */

/** Resource types the FHIR API serves to backend clients. */
export const SMART_RESOURCE_TYPES = ["Patient", "Observation", "Device", "Practitioner", "Organization", "Group", "Flag"] as const;
export type SmartResourceType = (typeof SMART_RESOURCE_TYPES)[number];

export type Interaction = "create" | "read" | "update" | "delete" | "search";

const LETTERS = "cruds";
const LETTER_OF: Record<Interaction, string> = { create: "c", read: "r", update: "u", delete: "d", search: "s" };
const V1_PERMISSIONS: Record<string, string> = { read: "rs", write: "cu", "*": "cruds" };

export interface ParsedScope {
  context: "system" | "user" | "patient";
  /** A resource type, or `*` for any. */
  resourceType: string;
  /** v2 letters in canonical order, a non-empty subsequence of `cruds`. */
  permissions: string;
  version: 1 | 2;
}

// SMART v2 requires the letters in the order c r u d s, each at most once.
const SCOPE_PATTERN = /^(system|user|patient)\/(\*|[A-Z][A-Za-z]{0,63})\.(read|write|\*|c?r?u?d?s?)$/;

/** Reads one scope string; null for anything that is not a plain resource scope. */
export function parseScope(scope: string): ParsedScope | null {
  const match = SCOPE_PATTERN.exec(scope);
  if (!match) return null;
  const [, context, resourceType, permission] = match as unknown as [string, ParsedScope["context"], string, string];
  if (permission === "") return null;
  const v1 = V1_PERMISSIONS[permission];
  return { context, resourceType, permissions: v1 ?? permission, version: v1 ? 1 : 2 };
}

export function formatScope(scope: Pick<ParsedScope, "context" | "resourceType" | "permissions">): string {
  return `${scope.context}/${scope.resourceType}.${scope.permissions}`;
}

/** The v2 spelling of a scope (`system/Observation.read` -> `system/Observation.rs`), or null. */
export function normalizeScope(scope: string): string | null {
  const parsed = parseScope(scope);
  return parsed ? formatScope(parsed) : null;
}

/** Splits a space separated `scope` parameter (RFC 6749 §3.3), dropping empties and repeats. */
export function splitScopes(scope: string): string[] {
  return [...new Set(scope.split(/\s+/).filter(Boolean))];
}

function commonLetters(a: string, b: string): string {
  return [...LETTERS].filter((letter) => a.includes(letter) && b.includes(letter)).join("");
}

function isServedResource(resourceType: string): boolean {
  return resourceType === "*" || (SMART_RESOURCE_TYPES as readonly string[]).includes(resourceType);
}

function systemScopes(scopes: readonly string[]): ParsedScope[] {
  return scopes.flatMap((scope) => {
    const parsed = parseScope(scope);
    return parsed && parsed.context === "system" && isServedResource(parsed.resourceType) ? [parsed] : [];
  });
}

/**
 * What a client gets: the intersection of what it asked for and what its admin allowed, as v2
 * scopes. Each requested scope is intersected with each allowed one (resource type with `*`
 * matching any, permissions letter by letter); results covered by another result are dropped.
 * `system/*.read` against allowed `system/Patient.rs system/Observation.cu` gives `system/Patient.rs`.
 */
export function grantScopes(requested: readonly string[], allowed: readonly string[]): string[] {
  const allowedScopes = systemScopes(allowed);
  const granted: ParsedScope[] = [];
  for (const want of systemScopes(requested)) {
    for (const may of allowedScopes) {
      const resourceType = want.resourceType === "*" ? may.resourceType : may.resourceType === "*" || may.resourceType === want.resourceType ? want.resourceType : null;
      const permissions = commonLetters(want.permissions, may.permissions);
      if (resourceType && permissions) granted.push({ context: "system", resourceType, permissions, version: 2 });
    }
  }
  const covers = (wide: ParsedScope, narrow: ParsedScope) =>
    (wide.resourceType === "*" || wide.resourceType === narrow.resourceType) && commonLetters(wide.permissions, narrow.permissions) === narrow.permissions;
  const kept = granted.filter((scope, index) =>
    granted.every((other, otherIndex) => otherIndex === index || !covers(other, scope) || (covers(scope, other) && index < otherIndex)),
  );
  return [...new Set(kept.map(formatScope))];
}

/** Whether granted system scopes (v2 letters or v1 names, `*` wildcards) allow an interaction on a resource type. */
export function hasScope(scopes: readonly string[], resourceType: string, interaction: Interaction): boolean {
  const letter = LETTER_OF[interaction];
  return systemScopes(scopes).some((scope) => (scope.resourceType === "*" || scope.resourceType === resourceType) && scope.permissions.includes(letter));
}

/** Scopes an admin may allow a backend client: read and search per resource type, and writing glucose Observations. */
export const ASSIGNABLE_SCOPES = [
  "system/Patient.rs",
  "system/Observation.rs",
  "system/Device.rs",
  "system/Practitioner.rs",
  "system/Organization.rs",
  "system/Group.rs",
  "system/Flag.rs",
  "system/Observation.cu",
] as const;
export type AssignableScope = (typeof ASSIGNABLE_SCOPES)[number];

export function describeScope(scope: AssignableScope): string {
  const parsed = parseScope(scope)!;
  return parsed.permissions === "rs" ? `Read and search ${parsed.resourceType} resources` : `Create and update ${parsed.resourceType} resources (send readings)`;
}

/** What `/.well-known/smart-configuration` advertises: the v2 scopes, the `*` forms, and their v1 names. */
export function supportedScopes(): string[] {
  const v2 = ["system/*.rs", ...ASSIGNABLE_SCOPES];
  const v1 = v2.map((scope) => scope.replace(/\.rs$/, ".read").replace(/\.cu$/, ".write"));
  return [...v2, ...v1];
}
