import type { GlucoseUnit, Specimen } from "@/db/schema/readings-enums";
import { LOINC, MDC, SYSTEM } from "@/lib/fhir/codes";
import type { TokenValue } from "./search/values";

/**
 * What each glucose code Lantern emits (from the one code table, lib/fhir/codes.ts) selects among
 * stored readings: a LOINC code names the specimen and the unit, an MDC code the specimen. Used
 * to read codes posted to the API and to search by code. Pure.
 */
export interface CodeSelection {
  specimen: Specimen;
  unit?: GlucoseUnit;
}

const codeSelections: Record<string, CodeSelection> = {
  [`${SYSTEM.loinc}|${LOINC.bgmMass}`]: { specimen: "capillary", unit: "mg/dL" },
  [`${SYSTEM.loinc}|${LOINC.bgmMolar}`]: { specimen: "capillary", unit: "mmol/L" },
  [`${SYSTEM.loinc}|${LOINC.cgmMass}`]: { specimen: "interstitial", unit: "mg/dL" },
  [`${SYSTEM.loinc}|${LOINC.cgmMolar}`]: { specimen: "interstitial", unit: "mmol/L" },
  [`${SYSTEM.mdc}|${MDC.capillaryWholeBlood}`]: { specimen: "capillary" },
  [`${SYSTEM.mdc}|${MDC.interstitialFluid}`]: { specimen: "interstitial" },
};

/** What a glucose code means for a stored reading; null for codes Lantern does not store. */
export function glucoseCodeSelection(system: string | undefined, code: string | undefined): CodeSelection | null {
  return system && code && Object.hasOwn(codeSelections, `${system}|${code}`) ? codeSelections[`${system}|${code}`]! : null;
}

/**
 * The readings a `code` token selects: `system|code` one code, `code` that code in any system,
 * `system|` every code of the system (`http://loinc.org|` is every reading: each carries a LOINC
 * code), `|code` nothing (every coding Lantern emits has a system).
 */
export function codeSelectionsOf(token: TokenValue): CodeSelection[] {
  return Object.entries(codeSelections)
    .filter(([key]) => {
      const [system, code] = key.split("|") as [string, string];
      return token.system !== null && (token.system === undefined || token.system === system) && (token.code === undefined || token.code === code);
    })
    .map(([, selection]) => selection);
}
