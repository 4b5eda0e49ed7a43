import { describe, expect, it } from "vitest";
import { CONSENSUS_THRESHOLDS, TARGET_PRESETS, targetPresetIds, targetsInForce, THRESHOLD_BOUNDS_MGDL, validatePatientTargets, type AlertThresholds, type TargetPresetId } from "./targets";

describe("target presets (CLINICAL.md, Ranges and targets)", () => {
  it.each<[TargetPresetId, AlertThresholds]>([
    ["standard-adult", { hypoLevel1: 70, hypoLevel2: 54, hyperLevel1: 180, hyperLevel2: 250 }],
    ["older-high-risk", { hypoLevel1: 70, hypoLevel2: 54, hyperLevel1: 180, hyperLevel2: 250 }],
    ["pregnancy", { hypoLevel1: 63, hypoLevel2: 54, hyperLevel1: 140, hyperLevel2: 180 }],
    ["paediatric", { hypoLevel1: 70, hypoLevel2: 54, hyperLevel1: 180, hyperLevel2: 250 }],
  ])("%s alerts at %o", (preset, thresholds) => {
    expect(TARGET_PRESETS[preset].alerts).toEqual(thresholds);
  });

  it.each<[TargetPresetId, number, number, number]>([
    ["standard-adult", 70, 180, 70],
    ["older-high-risk", 70, 180, 50],
    ["pregnancy", 63, 140, 70],
    ["paediatric", 70, 180, 70],
  ])("%s reports time in %i-%i mg/dL with a goal of more than %i%%", (preset, low, high, percent) => {
    expect(TARGET_PRESETS[preset].report.inRange).toEqual({ lowMgdl: low, highMgdl: high, moreThanPercent: percent });
  });

  it("keeps the consensus share goals per group", () => {
    expect(TARGET_PRESETS["standard-adult"].report.below).toEqual([
      { mgdl: 70, lessThanPercent: 4 },
      { mgdl: 54, lessThanPercent: 1 },
    ]);
    expect(TARGET_PRESETS["standard-adult"].report.above).toEqual([
      { mgdl: 180, lessThanPercent: 25 },
      { mgdl: 250, lessThanPercent: 5 },
    ]);
    expect(TARGET_PRESETS["older-high-risk"].report.below).toEqual([{ mgdl: 70, lessThanPercent: 1 }]);
    expect(TARGET_PRESETS["older-high-risk"].report.above).toEqual([{ mgdl: 250, lessThanPercent: 10 }]);
    expect(TARGET_PRESETS.pregnancy.report.below).toEqual([
      { mgdl: 63, lessThanPercent: 4 },
      { mgdl: 54, lessThanPercent: 1 },
    ]);
    expect(TARGET_PRESETS.pregnancy.report.above).toEqual([{ mgdl: 140, lessThanPercent: 25 }]);
  });

  it("every preset passes its own form validation", () => {
    for (const preset of targetPresetIds) {
      expect(validatePatientTargets({ preset, ...TARGET_PRESETS[preset].alerts })).toMatchObject({ ok: true, targets: { preset, customized: false } });
    }
  });

  it("the consensus thresholds are the standard adult ones", () => {
    expect(CONSENSUS_THRESHOLDS).toEqual(TARGET_PRESETS["standard-adult"].alerts);
  });
});

describe("targetsInForce", () => {
  it("names the preset and says when a clinician adjusted it", () => {
    expect(targetsInForce("pregnancy")).toMatchObject({ preset: "pregnancy", label: "Pregnancy (type 1)", customized: false, thresholds: TARGET_PRESETS.pregnancy.alerts });
    const adjusted = { ...TARGET_PRESETS["standard-adult"].alerts, hypoLevel1: 80 };
    expect(targetsInForce("standard-adult", adjusted)).toMatchObject({ label: "Standard adult", customized: true, thresholds: adjusted });
  });
});

describe("validatePatientTargets: the clinician's form", () => {
  const form = { preset: "standard-adult", hypoLevel1: "70", hypoLevel2: "54", hyperLevel1: "180", hyperLevel2: "250" };

  it("accepts the form's strings as whole mg/dL", () => {
    expect(validatePatientTargets({ ...form, hypoLevel1: "75" })).toEqual({ ok: true, targets: targetsInForce("standard-adult", { ...CONSENSUS_THRESHOLDS, hypoLevel1: 75 }) });
  });

  it.each<[string, Record<string, unknown>, Record<string, string[]>]>([
    ["a decimal", { hypoLevel1: "69.5" }, { hypoLevel1: ["Enter a whole number of mg/dL, e.g. 70"] }],
    ["text", { hyperLevel1: "high" }, { hyperLevel1: ["Enter a whole number of mg/dL, e.g. 70"] }],
    ["a level 2 low under 40", { hypoLevel2: "39" }, { hypoLevel2: ["Choose a value between 40 and 70 mg/dL"] }],
    ["a level 1 low over 100", { hypoLevel1: "101" }, { hypoLevel1: ["Choose a value between 50 and 100 mg/dL"] }],
    ["a level 1 high under 120", { hyperLevel1: "119" }, { hyperLevel1: ["Choose a value between 120 and 300 mg/dL"] }],
    ["a level 2 high over 400", { hyperLevel2: "401" }, { hyperLevel2: ["Choose a value between 140 and 400 mg/dL"] }],
    ["an unknown preset", { preset: "athlete" }, { preset: ["Choose a target preset"] }],
    ["level 2 low not below level 1 low", { hypoLevel2: "70" }, { hypoLevel2: ["Set the level 2 low below the level 1 low (70 mg/dL)"] }],
    ["level 2 high not above level 1 high", { hyperLevel2: "180" }, { hyperLevel2: ["Set the level 2 high above the level 1 high (180 mg/dL)"] }],
  ])("refuses %s with a message on that field", (_, change, fieldErrors) => {
    expect(validatePatientTargets({ ...form, ...change })).toEqual({ ok: false, fieldErrors });
  });

  it("the bounds keep every low threshold below every high one", () => {
    expect(THRESHOLD_BOUNDS_MGDL.hypoLevel1.max).toBeLessThan(THRESHOLD_BOUNDS_MGDL.hyperLevel1.min);
    expect(THRESHOLD_BOUNDS_MGDL.hypoLevel2.max).toBeLessThan(THRESHOLD_BOUNDS_MGDL.hyperLevel1.min);
  });
});
