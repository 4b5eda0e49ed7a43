import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { OpenAlertMark } from "@/components/alert-labels";
import { countOf } from "@/components/count";
import { LocalTime } from "@/components/local-time";
import { timeAgo } from "@/components/time-ago";
import { TARGET_PRESETS, targetPresetIds } from "@/lib/alerts/targets";
import { requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { openGlucoseAlerts } from "@/lib/monitoring/inbox";
import { listCareTeamTasks } from "@/lib/people/proxy-reviews";
import { listMyCareTeams } from "@/lib/patients/queries";
import { triageList, type TriageList, type TriageRow } from "@/lib/patients/triage";
import { parseTriageQuery, type TriageSort } from "@/lib/patients/triage-query";
import { formatGlucose, type GlucoseUnit } from "@/lib/readings/units";
import { CareTeamTasks } from "./care-team-tasks";
import { preferredUnitOf } from "@/lib/auth/accounts";

export const metadata: Metadata = { title: "My patients" };

const WINDOWS = [7, 14, 30, 90] as const;
const percent = (value: number | null) => (value === null ? "—" : `${value.toFixed(1)}%`);

const columns: { label: string; sort?: TriageSort; number?: boolean }[] = [
  { label: "Patient", sort: "name" },
  { label: "Priority", sort: "priority" },
  { label: "Open alerts", sort: "openAlerts", number: true },
  { label: "Last reading", sort: "lastReading" },
  { label: "Below 54", sort: "below54", number: true },
  { label: "Below 70", sort: "below70", number: true },
  { label: "In range", sort: "inRange", number: true },
  { label: "Above 250", sort: "above250", number: true },
  { label: "GMI", sort: "gmi", number: true },
  { label: "CV", sort: "cv", number: true },
  { label: "Data" },
];

function LastReading({ row, unit }: { row: TriageRow; unit: GlucoseUnit }) {
  if (!row.lastReading) return <span className="badge stale">No readings</span>;
  const { valueMgdl, censored, at } = row.lastReading;
  const value = `${censored === "below" ? "below " : censored === "above" ? "above " : ""}${formatGlucose(valueMgdl, unit)} ${unit}`;
  return (
    <>
      {value}
      <br />
      <span className="meta">
        {row.silentMinutes === null ? "" : timeAgo(row.silentMinutes)} · <LocalTime iso={at.toISOString()} />
      </span>
      {row.staleFeed ? (
        <>
          {" "}
          <span className="badge stale">Stale feed</span>
        </>
      ) : null}
    </>
  );
}

/** Population triage: every patient of the clinician's care teams, those who most need attention first. */
export default async function ClinicianHomePage({ searchParams }: PageProps<"/clinician">) {
  const actor = await requireActor();
  if (actor.role !== "clinician") notFound();
  const search = await searchParams;
  const query = new URLSearchParams(Object.entries(search).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  // The clinician's chosen unit, passed on to the reports opened from here; without one, the list and
  // each report use the clinician's own preference (account page), else mg/dL here and the patient's there.
  const chosenUnit = query.get("unit") === "mmol/L" || query.get("unit") === "mg/dL" ? (query.get("unit") as GlucoseUnit) : null;
  const unit: GlucoseUnit = chosenUnit ?? (await preferredUnitOf(actor)) ?? "mg/dL";
  query.delete("unit");

  let list: TriageList | null = null;
  let problem: string | null = null;
  try {
    list = await triageList(actor, parseTriageQuery(query));
  } catch (error) {
    if (!isAppError(error, "invalid_input")) throw error;
    problem = error.message;
  }
  const teams = await listMyCareTeams(actor);
  const tasks = await listCareTeamTasks(actor);
  const openAlerts = await openGlucoseAlerts(actor, list?.rows.map((row) => row.patientId) ?? []);
  const href = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(query);
    if (chosenUnit) next.set("unit", chosenUnit);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const text = next.toString();
    return text ? `/clinician?${text}` : "/clinician";
  };
  const sortLink = (sort: TriageSort) => {
    const current = list?.sort === sort;
    return href({ sort, direction: current ? (list!.direction === "asc" ? "desc" : "asc") : null, page: null });
  };
  const threshold = (mgdl: number) => formatGlucose(mgdl, unit);

  return (
    <>
      <h1>My patients</h1>
      <p className="meta">
        Patients of your care teams over the last {countOf(list?.windowDays ?? 14, "day")}, those who most need attention first: urgent alerts, then time below
        range, then silent feeds, then time above range. Times are in your local time.
      </p>
      <p>
        <Link href="/clinician/alerts">Open the alert inbox</Link> · <Link href="/patients/new">Register a patient</Link> (a child with their parents or
        guardians, or an adult)
      </p>

      <CareTeamTasks tasks={tasks} />

      <form method="get" action="/clinician" className="panel row triage-filters" aria-label="Find and filter patients">
        <div className="field">
          <label htmlFor="triage-search">Name or record number</label>
          <input id="triage-search" name="search" type="search" defaultValue={query.get("search") ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="triage-team">Care team</label>
          <select id="triage-team" name="careTeamId" defaultValue={query.get("careTeamId") ?? ""}>
            <option value="">All my teams</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="triage-targets">Target set</label>
          <select id="triage-targets" name="targetPreset" defaultValue={query.get("targetPreset") ?? ""}>
            <option value="">Any</option>
            {targetPresetIds.map((preset) => (
              <option key={preset} value={preset}>
                {TARGET_PRESETS[preset].label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="triage-window">Period</label>
          <select id="triage-window" name="windowDays" defaultValue={query.get("windowDays") ?? "14"}>
            {WINDOWS.map((days) => (
              <option key={days} value={days}>
                Last {days} days
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="triage-unit">Unit</label>
          <select id="triage-unit" name="unit" defaultValue={unit}>
            <option value="mg/dL">mg/dL</option>
            <option value="mmol/L">mmol/L</option>
          </select>
        </div>
        <div className="field checkbox">
          <input id="triage-insufficient" name="insufficientOnly" type="checkbox" value="true" defaultChecked={query.get("insufficientOnly") === "true"} />
          <label htmlFor="triage-insufficient">Only patients without enough data</label>
        </div>
        <div>
          <button type="submit">Apply</button>
        </div>
      </form>

      {problem ? (
        <p className="notice error" role="alert">
          {problem} <Link href="/clinician">Show the default list</Link>
        </p>
      ) : null}

      {list ? (
        list.rows.length === 0 ? (
          <p>{list.total === 0 && !query.toString() ? "No patients in your care teams yet." : "No patients match these filters."}</p>
        ) : (
          <>
            <div className="table-wrap">
              <table className="triage">
                <caption>
                  {countOf(list.total, "patient")}
                  {list.pageCount > 1 ? `, page ${list.page} of ${list.pageCount}` : ""} · glucose in {unit}, below {threshold(54)} and {threshold(70)}, above {threshold(250)}
                </caption>
                <thead>
                  <tr>
                    {columns.map((column) => (
                      <th
                        key={column.label}
                        scope="col"
                        className={column.number ? "number" : undefined}
                        aria-sort={column.sort && list.sort === column.sort ? (list.direction === "asc" ? "ascending" : "descending") : undefined}
                      >
                        {column.sort ? (
                          <Link href={sortLink(column.sort)}>
                            {column.label}
                            {list.sort === column.sort ? <span aria-hidden="true">{list.direction === "asc" ? " ↑" : " ↓"}</span> : null}
                            <span className="visually-hidden">, sort</span>
                          </Link>
                        ) : (
                          column.label
                        )}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {list.rows.map((row) => (
                    <tr key={row.patientId}>
                      <th scope="row">
                        <Link href={`/patients/${row.patientId}/report?days=${list.windowDays}${chosenUnit && chosenUnit !== row.preferredUnit ? `&unit=${encodeURIComponent(chosenUnit)}` : ""}`}>
                          {row.familyName}, {row.givenName}
                        </Link>
                        <br />
                        <span className="meta">{row.medicalRecordNumber ?? "no record number"}</span>
                      </th>
                      <td className={`priority ${row.priority.key}`}>
                        <span className="priority-rank">{row.priority.rank}</span> {row.priority.reason}
                      </td>
                      <td className="number">
                        {row.openAlerts.count}
                        {openAlerts.get(row.patientId)?.low ? (
                          <>
                            <br />
                            <OpenAlertMark side="low" severity={openAlerts.get(row.patientId)!.low!} />
                          </>
                        ) : null}
                        {openAlerts.get(row.patientId)?.high ? (
                          <>
                            <br />
                            <OpenAlertMark side="high" severity={openAlerts.get(row.patientId)!.high!} />
                          </>
                        ) : null}
                      </td>
                      <td>
                        <LastReading row={row} unit={unit} />
                      </td>
                      <td className="number">{percent(row.below54Percent)}</td>
                      <td className="number">{percent(row.below70Percent)}</td>
                      <td className="number">{percent(row.inRangePercent)}</td>
                      <td className="number">{percent(row.above250Percent)}</td>
                      <td className="number">{row.gmiPercent === null ? "—" : `${row.gmiPercent.toFixed(1)}%`}</td>
                      <td className="number">{percent(row.cvPercent)}</td>
                      <td>
                        {row.basis === null ? (
                          "No readings"
                        ) : row.basis === "fingerstick" ? (
                          `Fingersticks: ${countOf(row.readings, "reading")}`
                        ) : (
                          <>
                            {row.sufficient ? "Enough" : <strong>Not enough</strong>}: {countOf(row.daysWithData, "day")}, sensor {percent(row.sensorActivePercent)}
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {list.pageCount > 1 ? (
              <nav aria-label="Pages of patients" className="pager">
                {list.page > 1 ? <Link href={href({ page: String(list.page - 1) })}>Previous page</Link> : null}
                <span>
                  Page {list.page} of {list.pageCount}
                </span>
                {list.page < list.pageCount ? (
                  <Link href={href({ page: String(list.page + 1) })} rel="next">
                    Next page
                  </Link>
                ) : null}
              </nav>
            ) : null}
          </>
        )
      ) : null}
    </>
  );
}
