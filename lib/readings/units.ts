import type { GlucoseUnit } from "@/db/schema/readings-enums";

export type { GlucoseUnit };

/** 1 mmol/L of glucose (180.156 g/mol) in mg/dL: the factor Nightscout and Tidepool use. */
export const MGDL_PER_MMOLL = 18.01559;

/** What any meter can report; values outside are rejected at every door (CLINICAL.md). */
export const PLAUSIBLE_MGDL = { min: 10, max: 1000 } as const;

/** A unit as people and devices write it, in any letter case (`mg/dl`, `MMOL/L`); null when it is neither. */
export function parseGlucoseUnit(text: string): GlucoseUnit | null {
  const lowered = text.toLowerCase();
  return lowered === "mg/dl" ? "mg/dL" : lowered === "mmol/l" ? "mmol/L" : null;
}

export function toMgdl(value: number, unit: GlucoseUnit): number {
  return unit === "mg/dL" ? value : value * MGDL_PER_MMOLL;
}

/** Normalized values keep three decimals (the column's scale), enough to never lose precision. */
export function normalizedMgdl(value: number, unit: GlucoseUnit): number {
  return Math.round(toMgdl(value, unit) * 1000) / 1000;
}

export function mgdlIn(valueMgdl: number, unit: GlucoseUnit): number {
  return unit === "mg/dL" ? valueMgdl : valueMgdl / MGDL_PER_MMOLL;
}

/** Display precision: mg/dL as integers, mmol/L with one decimal. */
export function formatGlucose(valueMgdl: number, unit: GlucoseUnit): string {
  const value = mgdlIn(valueMgdl, unit);
  return unit === "mg/dL" ? String(Math.round(value)) : value.toFixed(1);
}

export function plausibleRangeIn(unit: GlucoseUnit): { min: number; max: number } {
  return {
    min: Math.ceil(mgdlIn(PLAUSIBLE_MGDL.min, unit) * 10) / 10,
    max: Math.floor(mgdlIn(PLAUSIBLE_MGDL.max, unit) * 10) / 10,
  };
}
