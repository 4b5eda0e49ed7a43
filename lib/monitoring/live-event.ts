import type { AlertKind, AlertSeverity } from "@/lib/alerts/kinds";

/** What the live channel sends for each new or escalated alert the clinician may see (event `alert`). */
export interface LiveAlertEvent {
  /** `escalation`: an urgent alert nobody acknowledged within LANTERN_ESCALATION_MINUTES. */
  reason: "new" | "escalation";
  id: number;
  patientId: string;
  patientName: string;
  kind: AlertKind;
  kindLabel: string;
  severity: AlertSeverity;
  severityLabel: string;
  startedAt: string;
}
