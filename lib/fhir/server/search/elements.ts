import type { Resource } from "@medplum/fhirtypes";
import { coding } from "@/lib/fhir/codes";

/** The elements `_elements` may name: FHIR element names, a choice as `effective[x]`. */
export interface ElementDeclaration {
  elements: readonly string[];
  /** Returned whatever `_elements` says (min cardinality 1, as R4 §3.1.1.5.9 asks). */
  mandatory: readonly string[];
}

/** Whether `_elements` may name `name`: a declared element, or a choice by its stem or a type (`effective`, `effectiveDateTime`). */
export function isDeclaredElement(declaration: ElementDeclaration, name: string): boolean {
  return declaration.elements.some((element) => (element.endsWith("[x]") ? choiceMatches(element.slice(0, -3), name) : name === element));
}

/** `effective` names itself and `effectiveDateTime`, `effectivePeriod`...: the stem and a type in upper camel case. */
function choiceMatches(stem: string, key: string): boolean {
  return key === stem || (key.startsWith(stem) && /^[A-Z][A-Za-z]*$/.test(key.slice(stem.length)));
}

/** Kept whatever `_elements` says: what makes it a resource, and the meta that carries the tag. */
const ALWAYS = new Set(["resourceType", "id", "meta"]);

/** Whether the JSON key `key` is the element `name` (`effective` names `effectiveDateTime` when declared `effective[x]`). */
function isElement(key: string, name: string, declaration: ElementDeclaration): boolean {
  return key === name || (declaration.elements.includes(`${name}[x]`) && choiceMatches(name, key));
}

/**
 * A resource with only the elements asked for (`_elements`, FHIR R4 §3.1.1.5.9), its mandatory
 * elements, and a SUBSETTED tag saying that it is not whole (so no one stores it as the record).
 * It no longer claims its profiles: a subset need not conform to them. Pure.
 */
export function subsetResource<R extends Resource>(resource: R, elements: readonly string[], declaration: ElementDeclaration): R {
  const wanted = [...elements, ...declaration.mandatory];
  const kept = Object.entries(resource).filter(([key]) => ALWAYS.has(key) || wanted.some((name) => isElement(key, name, declaration)));
  const meta = { ...resource.meta, tag: [...(resource.meta?.tag ?? []), coding("observationValue", "SUBSETTED")] };
  delete meta.profile;
  return { ...Object.fromEntries(kept), meta } as R;
}
