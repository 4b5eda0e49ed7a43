import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AlertKindLabel, alertKindLabels, alertSeverityLabels, alertStatusLabels, durationText, SeverityBadge, worstValueText } from "@/components/alert-labels";
import { requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { alertKinds, alertSeverities } from "@/lib/alerts/kinds";
import { listInbox, type InboxPage } from "@/lib/monitoring/inbox";
import { inboxStatusFilters, inboxSorts, type InboxQuery } from "@/lib/monitoring/inbox-schema";
import { formatAtOffset } from "@/lib/time/zones";
import { acknowledgeAlertAction, resolveAlertAction } from "./actions";
import { AlertActions } from "./alert-actions";
import { LiveInbox } from "./live-inbox";

export const metadata: Metadata = { title: "Alerts" };

const statusFilterLabels = { active: "Needing attention (open or acknowledged)", open: "Open", acknowledged: "Acknowledged", resolved: "Resolved", all: "All" } as const;
const sortLabels = { severity: "Severity", start: "Start (newest first)", duration: "Duration (longest first)" } as const;
const units = ["mg/dL", "mmol/L"] as const;

type SearchParams = Record<string, string | string[] | undefined>;

function first(params: SearchParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

function hrefWith(query: InboxQuery, unit: string, changes: Partial<Record<keyof InboxQuery | "unit", string | number | undefined>>): string {
  const merged = { status: query.status, severity: query.severity, kind: query.kind, patient: query.patient, sort: query.sort, page: query.page, unit, ...changes };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(merged)) if (value !== undefined && value !== "") params.set(name, String(value));
  return `/clinician/alerts?${params}`;
}

export default async function AlertInboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireActor();
  if (actor.role !== "clinician") notFound();
  const params = await searchParams;
  const unit = first(params, "unit") === "mmol/L" ? "mmol/L" : "mg/dL";
  const asked = Object.fromEntries(["status", "severity", "kind", "patient", "sort", "page"].map((name) => [name, first(params, name)]));
  let inbox: InboxPage;
  let problem: string | null = null;
  try {
    inbox = await listInbox(actor, asked);
  } catch (error) {
    if (!isAppError(error, "invalid_input")) throw error;
    problem = `Some filters could not be read and were reset: ${Object.values(error.fieldErrors).flat().join(" ")}`;
    inbox = await listInbox(actor, {});
  }
  const { query, items, total, pageCount } = inbox;

  return (
    <>
      <h1>Alerts</h1>
      <p className="meta">Alerts of your care teams&apos; patients. New alerts appear here as they happen.</p>
      <LiveInbox />
      {problem ? (
        <div className="notice error" role="alert">
          {problem}
        </div>
      ) : null}

      <form className="panel filters" method="get" action="/clinician/alerts" aria-label="Filter and sort alerts">
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={query.status}>
            {inboxStatusFilters.map((status) => (
              <option key={status} value={status}>
                {statusFilterLabels[status]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="severity">Severity</label>
          <select id="severity" name="severity" defaultValue={query.severity ?? ""}>
            <option value="">Any</option>
            {alertSeverities.map((severity) => (
              <option key={severity} value={severity}>
                {alertSeverityLabels[severity]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="kind">Kind</label>
          <select id="kind" name="kind" defaultValue={query.kind ?? ""}>
            <option value="">Any</option>
            {alertKinds.map((kind) => (
              <option key={kind} value={kind}>
                {alertKindLabels[kind]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="sort">Sort by</label>
          <select id="sort" name="sort" defaultValue={query.sort}>
            {inboxSorts.map((sort) => (
              <option key={sort} value={sort}>
                {sortLabels[sort]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="unit">Unit</label>
          <select id="unit" name="unit" defaultValue={unit}>
            {units.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        </div>
        {query.patient ? <input type="hidden" name="patient" value={query.patient} /> : null}
        <button type="submit">Apply</button>
        {query.patient ? <Link href={hrefWith(query, unit, { patient: undefined, page: undefined })}>Show every patient</Link> : null}
      </form>

      {items.length === 0 ? (
        <p className="panel">No alerts match.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>
              {total} {total === 1 ? "alert" : "alerts"}, sorted by {sortLabels[query.sort].toLowerCase()}
              {pageCount > 1 ? `, page ${query.page} of ${pageCount}` : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Alert</th>
                <th scope="col">Patient</th>
                <th scope="col" className="number">
                  Worst value
                </th>
                <th scope="col">Started (UTC)</th>
                <th scope="col">Duration</th>
                <th scope="col">Targets</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((alert) => {
                const patientName = `${alert.patient.familyName}, ${alert.patient.givenName}`;
                const what = `${alertKindLabels[alert.kind]} alert of ${patientName} started ${formatAtOffset(alert.startedAt, 0)}`;
                return (
                  <tr key={alert.id} data-alert-id={alert.id}>
                    <td>
                      <SeverityBadge severity={alert.severity} />
                    </td>
                    <td>
                      <AlertKindLabel kind={alert.kind} />
                      {alert.historical ? <span className="meta"> (historical: found in late data, paged nobody)</span> : null}
                    </td>
                    <td>
                      <Link href={`/patients/${alert.patient.id}`}>{patientName}</Link>{" "}
                      <Link href={hrefWith(query, unit, { patient: alert.patient.id, page: undefined })} aria-label={`Only alerts of ${patientName}`}>
                        (only theirs)
                      </Link>
                    </td>
                    <td className="number">{worstValueText(alert.worst, unit)}</td>
                    <td>{formatAtOffset(alert.startedAt, 0)}</td>
                    <td>{alert.endedAt ? durationText(alert.durationMinutes) : `${durationText(alert.durationMinutes)}, ongoing`}</td>
                    <td>
                      {alert.targets.label}
                      {alert.targets.customized ? " (adjusted)" : ""}
                    </td>
                    <td>
                      {alertStatusLabels[alert.status]}
                      {alert.acknowledged ? (
                        <p className="meta">
                          by {alert.acknowledged.displayName} at {formatAtOffset(alert.acknowledged.at, 0)}
                          {alert.acknowledged.note ? `: “${alert.acknowledged.note}”` : ""}
                        </p>
                      ) : null}
                    </td>
                    <td>
                      <AlertActions what={what} status={alert.status} acknowledge={acknowledgeAlertAction.bind(null, alert.id)} resolve={resolveAlertAction.bind(null, alert.id)} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {pageCount > 1 ? (
        <nav aria-label="Pages" className="subnav">
          <ul>
            {query.page > 1 ? (
              <li>
                <Link href={hrefWith(query, unit, { page: query.page - 1 })}>Previous page</Link>
              </li>
            ) : null}
            {query.page < pageCount ? (
              <li>
                <Link href={hrefWith(query, unit, { page: query.page + 1 })}>Next page</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}
