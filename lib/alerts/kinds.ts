/**
 * What Lantern alerts on, and how urgently. Severities (docs/decisions/006-episodes.md): a level 2
 * or prolonged low can harm within minutes, so it is urgent; a level 1 low, and a rapid fall that
 * predicts one, are high; sustained very high glucose (ketoacidosis risk over hours) and a silent
 * feed (no view of the patient) are moderate; level 1 highs are common and not acute, so low. The
 * order follows the consensus priority of time very low, low, very high, high.
 */

/** Episode kinds, most urgent first: the order episodes starting at one instant are listed in. */
export const episodeKinds = ["hypo-level-2", "hypo-extended", "hypo-level-1", "rapid-fall", "hyper-level-2", "hyper-level-1"] as const;
export type EpisodeKind = (typeof episodeKinds)[number];

/** Kinds defined by a glucose threshold (all but the rapid fall). */
export type ThresholdKind = Exclude<EpisodeKind, "rapid-fall">;

export const alertKinds = [...episodeKinds, "no-data"] as const;
export type AlertKind = (typeof alertKinds)[number];

/** Most urgent first. */
export const alertSeverities = ["urgent", "high", "moderate", "low"] as const;
export type AlertSeverity = (typeof alertSeverities)[number];

export const ALERT_SEVERITY = {
  "hypo-level-2": "urgent",
  "hypo-extended": "urgent",
  "hypo-level-1": "high",
  "rapid-fall": "high",
  "hyper-level-2": "moderate",
  "no-data": "moderate",
  "hyper-level-1": "low",
} as const satisfies Record<AlertKind, AlertSeverity>;
