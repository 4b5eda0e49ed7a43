import type { AlertKind, AlertSeverity } from "@/lib/alerts/kinds";
import type { AlertItem } from "@/lib/monitoring/inbox";
import { formatGlucose, type GlucoseUnit } from "@/lib/readings/units";

/**
 * How alerts read on every page: each kind says in words whether it is a low or a high, with an
 * arrow for the eye (never colour alone), and each severity is a word.
 */

export const alertKindLabels: Record<AlertKind, string> = {
  "hypo-level-2": "Very low (level 2)",
  "hypo-extended": "Prolonged low",
  "hypo-level-1": "Low (level 1)",
  "rapid-fall": "Rapid fall",
  "hyper-level-2": "Very high (level 2)",
  "hyper-level-1": "High (level 1)",
  "no-data": "No data",
};

export const alertSeverityLabels: Record<AlertSeverity, string> = { urgent: "Urgent", high: "High", moderate: "Moderate", low: "Low" };

export const alertStatusLabels: Record<AlertItem["status"], string> = { open: "Open", acknowledged: "Acknowledged", resolved: "Resolved" };

function direction(kind: AlertKind): "low" | "high" | null {
  if (kind.startsWith("hypo") || kind === "rapid-fall") return "low";
  if (kind.startsWith("hyper")) return "high";
  return null;
}

/** The kind of alert: ▼ and the words for lows, ▲ and the words for highs. */
export function AlertKindLabel({ kind }: { kind: AlertKind }) {
  const side = direction(kind);
  return (
    <span className={`alert-kind ${side ?? "other"}`}>
      {side ? (
        <span aria-hidden="true" className="alert-icon">
          {side === "low" ? "▼" : "▲"}
        </span>
      ) : null}
      {alertKindLabels[kind]}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: AlertSeverity }) {
  return <span className={`badge severity-${severity}`}>{alertSeverityLabels[severity]}</span>;
}

/** A patient's open low or high on a list: the arrow and the words (e.g. "▼ Low glucose (urgent)"). */
export function OpenAlertMark({ side, severity }: { side: "low" | "high"; severity: AlertSeverity }) {
  return (
    <span className={`badge severity-${severity} open-${side}`}>
      <span aria-hidden="true">{side === "low" ? "▼ " : "▲ "}</span>
      {side === "low" ? "Low glucose" : "High glucose"} ({severity === "urgent" ? "urgent" : `${severity} priority`})
    </span>
  );
}

/** The worst value of the episode in `unit`; a sensor's LO or HI says so. */
export function worstValueText(worst: AlertItem["worst"], unit: GlucoseUnit): string {
  if (!worst) return "—";
  const value = `${formatGlucose(worst.mgdl, unit)} ${unit}`;
  return worst.censored === "below" ? `below ${value} (LO)` : worst.censored === "above" ? `above ${value} (HI)` : value;
}

/** "45 min", "2 h 5 min". */
export function durationText(minutes: number): string {
  const whole = Math.round(minutes);
  if (whole < 60) return `${whole} min`;
  const rest = whole % 60;
  return rest === 0 ? `${Math.floor(whole / 60)} h` : `${Math.floor(whole / 60)} h ${rest} min`;
}
