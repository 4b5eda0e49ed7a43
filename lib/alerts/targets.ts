import { z } from "zod";

/**
 * Per-patient glucose targets: a preset chosen by a clinician (CLINICAL.md, "Ranges and targets"),
 * optionally with adjusted alert thresholds. The preset in force travels with every alert.
 *
 * Alert thresholds are whole mg/dL and strict: hypoglycaemia is a value below `hypoLevel1` /
 * `hypoLevel2`, hyperglycaemia a value above `hyperLevel1` / `hyperLevel2`, each value first
 * rounded as `wholeMgdl` (lib/metrics/glycemic.ts) rounds it. Extended hypoglycaemia uses
 * `hypoLevel1`.
 *
 * Choices where the consensus gives no alert threshold (docs/decisions/006-episodes.md):
 * - Older or high-risk: the consensus tightens the goals (less time below 70), not the ranges, so
 *   the alert thresholds are the standard ones.
 * - Pregnancy (type 1): level 1 follows the 63-140 target range (below 63, above 140); level 2 low
 *   stays below 54 (the consensus keeps the < 54 goal); level 2 high is above 180, the top of the
 *   non-pregnant range: ketoacidosis develops at lower glucose in pregnancy, so waiting for 250
 *   would alert too late.
 * - Paediatric: ISPAD applies the adult targets, so the standard thresholds.
 */

export interface AlertThresholds {
  readonly hypoLevel1: number;
  readonly hypoLevel2: number;
  readonly hyperLevel1: number;
  readonly hyperLevel2: number;
}

/** Share-of-readings goals for reports; a goal the consensus does not set for a group is absent. */
export interface ReportTargets {
  readonly inRange: { readonly lowMgdl: number; readonly highMgdl: number; readonly moreThanPercent: number };
  readonly below: readonly { readonly mgdl: number; readonly lessThanPercent: number }[];
  readonly above: readonly { readonly mgdl: number; readonly lessThanPercent: number }[];
}

export interface TargetPreset {
  readonly label: string;
  readonly alerts: AlertThresholds;
  readonly report: ReportTargets;
}

export const targetPresetIds = ["standard-adult", "older-high-risk", "pregnancy", "paediatric"] as const;
export type TargetPresetId = (typeof targetPresetIds)[number];

const consensusAlerts = { hypoLevel1: 70, hypoLevel2: 54, hyperLevel1: 180, hyperLevel2: 250 } as const;
const consensusReport = {
  inRange: { lowMgdl: 70, highMgdl: 180, moreThanPercent: 70 },
  below: [
    { mgdl: 70, lessThanPercent: 4 },
    { mgdl: 54, lessThanPercent: 1 },
  ],
  above: [
    { mgdl: 180, lessThanPercent: 25 },
    { mgdl: 250, lessThanPercent: 5 },
  ],
} as const;

export const TARGET_PRESETS = {
  "standard-adult": { label: "Standard adult", alerts: consensusAlerts, report: consensusReport },
  "older-high-risk": {
    label: "Older or high-risk",
    alerts: consensusAlerts,
    report: {
      inRange: { lowMgdl: 70, highMgdl: 180, moreThanPercent: 50 },
      below: [{ mgdl: 70, lessThanPercent: 1 }],
      above: [{ mgdl: 250, lessThanPercent: 10 }],
    },
  },
  pregnancy: {
    label: "Pregnancy (type 1)",
    alerts: { hypoLevel1: 63, hypoLevel2: 54, hyperLevel1: 140, hyperLevel2: 180 },
    report: {
      inRange: { lowMgdl: 63, highMgdl: 140, moreThanPercent: 70 },
      below: [
        { mgdl: 63, lessThanPercent: 4 },
        { mgdl: 54, lessThanPercent: 1 },
      ],
      above: [{ mgdl: 140, lessThanPercent: 25 }],
    },
  },
  paediatric: { label: "Paediatric (children and adolescents)", alerts: consensusAlerts, report: consensusReport },
} as const satisfies Record<TargetPresetId, TargetPreset>;

/** The 2023 consensus thresholds: what episodes use when no targets are given. */
export const CONSENSUS_THRESHOLDS: AlertThresholds = consensusAlerts;

/** What an alert shows: the preset, and whether a clinician adjusted its thresholds. */
export interface TargetsInForce {
  readonly preset: TargetPresetId;
  readonly label: string;
  readonly thresholds: AlertThresholds;
  readonly customized: boolean;
  readonly report: ReportTargets;
}

export function targetsInForce(preset: TargetPresetId, thresholds: AlertThresholds = TARGET_PRESETS[preset].alerts): TargetsInForce {
  const { label, alerts, report } = TARGET_PRESETS[preset];
  const customized = (Object.keys(alerts) as (keyof AlertThresholds)[]).some((field) => alerts[field] !== thresholds[field]);
  return { preset, label, thresholds: { ...thresholds }, customized, report };
}

/**
 * Plausible alert thresholds, whole mg/dL. The bounds keep both low thresholds below both high
 * ones, so only the order within each side needs checking. CGMs report 40-400: a threshold at a
 * bound fires on LO/HI only.
 */
export const THRESHOLD_BOUNDS_MGDL = {
  hypoLevel2: { min: 40, max: 70 },
  hypoLevel1: { min: 50, max: 100 },
  hyperLevel1: { min: 120, max: 300 },
  hyperLevel2: { min: 140, max: 400 },
} as const satisfies Record<keyof AlertThresholds, { min: number; max: number }>;

function thresholdField(field: keyof AlertThresholds) {
  const { min, max } = THRESHOLD_BOUNDS_MGDL[field];
  const range = `Choose a value between ${min} and ${max} mg/dL`;
  return z.coerce
    .number({ message: "Enter a whole number of mg/dL, e.g. 70" })
    .int("Enter a whole number of mg/dL, e.g. 70")
    .min(min, range)
    .max(max, range);
}

/** The clinician's targets form: a preset and its four alert thresholds (prefilled from the preset). */
export const patientTargetsSchema = z
  .object({
    preset: z.enum(targetPresetIds, { message: "Choose a target preset" }),
    hypoLevel1: thresholdField("hypoLevel1"),
    hypoLevel2: thresholdField("hypoLevel2"),
    hyperLevel1: thresholdField("hyperLevel1"),
    hyperLevel2: thresholdField("hyperLevel2"),
  })
  .superRefine((input, context) => {
    if (input.hypoLevel2 >= input.hypoLevel1) {
      context.addIssue({ code: "custom", path: ["hypoLevel2"], message: `Set the level 2 low below the level 1 low (${input.hypoLevel1} mg/dL)` });
    }
    if (input.hyperLevel2 <= input.hyperLevel1) {
      context.addIssue({ code: "custom", path: ["hyperLevel2"], message: `Set the level 2 high above the level 1 high (${input.hyperLevel1} mg/dL)` });
    }
  });

export type PatientTargetsInput = z.input<typeof patientTargetsSchema>;
export type PatientTargetsField = keyof z.output<typeof patientTargetsSchema>;

export type PatientTargetsVerdict =
  | { ok: true; targets: TargetsInForce }
  | { ok: false; fieldErrors: Partial<Record<PatientTargetsField, string[]>> };

/** Checks the clinician's form: plausible whole numbers, ordered; per-field messages otherwise. */
export function validatePatientTargets(input: unknown): PatientTargetsVerdict {
  const parsed = patientTargetsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const { preset, ...thresholds } = parsed.data;
  return { ok: true, targets: targetsInForce(preset, thresholds) };
}
