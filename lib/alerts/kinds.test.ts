import { describe, expect, it } from "vitest";
import { ALERT_SEVERITY, alertSeverities, episodeKinds, type AlertKind, type AlertSeverity } from "./kinds";

describe("alert severities", () => {
  it.each<[AlertKind, AlertSeverity]>([
    ["hypo-level-2", "urgent"],
    ["hypo-extended", "urgent"],
    ["hypo-level-1", "high"],
    ["rapid-fall", "high"],
    ["hyper-level-2", "moderate"],
    ["no-data", "moderate"],
    ["hyper-level-1", "low"],
  ])("%s is %s", (kind, severity) => {
    expect(ALERT_SEVERITY[kind]).toBe(severity);
  });

  it("lists episode kinds from the most urgent to the least", () => {
    const ranks = episodeKinds.map((kind) => alertSeverities.indexOf(ALERT_SEVERITY[kind]));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});
