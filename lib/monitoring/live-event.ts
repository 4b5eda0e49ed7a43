import type { AlertKind, AlertSeverity } from "@/lib/alerts/kinds";

/** What the live channel sends for each new alert the clinician may see (event `alert`). */
export interface LiveAlertEvent {
  id: number;
  patientId: string;
  patientName: string;
  kind: AlertKind;
  kindLabel: string;
  severity: AlertSeverity;
  severityLabel: string;
  startedAt: string;
}
