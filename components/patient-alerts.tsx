import { AlertKindLabel, alertStatusLabels, durationText, OpenAlertMark, SeverityBadge, worstValueText } from "@/components/alert-labels";
import { scrollableRegion } from "@/components/scrollable-region";
import { alertSeverities } from "@/lib/alerts/kinds";
import type { AlertItem } from "@/lib/monitoring/inbox";
import type { GlucoseUnit } from "@/lib/readings/units";
import { formatAtOffset } from "@/lib/time/zones";

const LOW_KINDS = new Set(["hypo-level-2", "hypo-extended", "hypo-level-1", "rapid-fall"]);

/**
 * A patient's alerts as they, their guardians and clinicians see them: what happened, and
 * whether and when a clinician acknowledged it. Open lows and highs are marked first.
 */
export function PatientAlerts({ alerts, unit }: { alerts: AlertItem[]; unit: GlucoseUnit }) {
  if (alerts.length === 0) return <p>No alerts.</p>;
  const ongoing = alerts
    .filter((alert) => alert.endedAt === null && alert.status !== "resolved" && !alert.historical && alert.kind !== "no-data")
    .sort((a, b) => alertSeverities.indexOf(a.severity) - alertSeverities.indexOf(b.severity));
  const openLow = ongoing.find((alert) => LOW_KINDS.has(alert.kind));
  const openHigh = ongoing.find((alert) => !LOW_KINDS.has(alert.kind));
  return (
    <>
      {openLow || openHigh ? (
        <p>
          Now: {openLow ? <OpenAlertMark side="low" severity={openLow.severity} /> : null} {openHigh ? <OpenAlertMark side="high" severity={openHigh.severity} /> : null}
        </p>
      ) : null}
      <div className="table-wrap" {...scrollableRegion("Alerts table")}>
        <table>
          <caption>Most recent first</caption>
          <thead>
            <tr>
              <th scope="col">Alert</th>
              <th scope="col">Severity</th>
              <th scope="col">Started (UTC)</th>
              <th scope="col">Duration</th>
              <th scope="col" className="number">
                Worst value
              </th>
              <th scope="col">Clinician</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((alert) => (
              <tr key={alert.id}>
                <td>
                  <AlertKindLabel kind={alert.kind} />
                </td>
                <td>
                  <SeverityBadge severity={alert.severity} />
                </td>
                <td>{formatAtOffset(alert.startedAt, 0)}</td>
                <td>{alert.endedAt ? durationText(alert.durationMinutes) : `${durationText(alert.durationMinutes)}, ongoing`}</td>
                <td className="number">{worstValueText(alert.worst, unit)}</td>
                <td>
                  {alert.acknowledged ? (
                    <>
                      Acknowledged by {alert.acknowledged.displayName} at {formatAtOffset(alert.acknowledged.at, 0)} UTC
                      {alert.acknowledged.note ? <span className="meta">: “{alert.acknowledged.note}”</span> : null}
                      {alert.status === "resolved" ? ". Resolved." : ""}
                    </>
                  ) : (
                    `${alertStatusLabels[alert.status]}: not acknowledged yet`
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
