import type { Resource } from "@medplum/fhirtypes";
import { coding } from "@/lib/fhir/codes";
import type { ElementDeclaration } from "./framework";

/** Kept whatever `_elements` says: what makes it a resource, and the meta that carries the tag. */
const ALWAYS = new Set(["resourceType", "id", "meta"]);

/** Whether the JSON key `key` is the element `name` (`effective` names `effectiveDateTime` when declared `effective[x]`). */
function isElement(key: string, name: string, declaration: ElementDeclaration): boolean {
  if (key === name) return true;
  return declaration.elements.includes(`${name}[x]`) && key.startsWith(name) && /^[A-Z]/.test(key.slice(name.length));
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
