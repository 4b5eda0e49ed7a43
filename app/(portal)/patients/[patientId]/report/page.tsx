import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { orNotFound } from "@/app/_lib/or-not-found";
import { countOf } from "@/components/count";
import { Field } from "@/components/field";
import { scrollableRegion } from "@/components/scrollable-region";
import { can } from "@/lib/access/permissions";
import { requireActor } from "@/lib/auth/session";
import { listPatientDevices } from "@/lib/devices/registry";
import { isAppError } from "@/lib/errors";
import { getVisiblePatient } from "@/lib/patients/queries";
import { dailyTraces, TRACE_BIN_MINUTES, type DailyTrace } from "@/lib/readings/daily-traces";
import { glucoseReport, type GlucoseReport } from "@/lib/readings/glucose-report";
import { parseGlucoseReportQuery } from "@/lib/readings/glucose-report-query";
import { mealContextLabels } from "@/lib/readings/manual-entry-schema";
import { formatGlucose, mgdlIn, type GlucoseUnit } from "@/lib/readings/units";
import { formatAtOffset, offsetAt } from "@/lib/time/zones";
import { AgpChart, DailyTraceChart, type AgpPoint, type DayTraceData } from "./report-charts";
import { PrintButton } from "./print-button";
import { preferredUnitOf } from "@/lib/auth/accounts";

export const metadata: Metadata = { title: "Glucose report" };

const WINDOWS = [7, 14, 30, 90] as const;
/** Daily traces beyond this many days would be a wall of charts: the AGP summarizes longer windows. */
const MAX_TRACE_DAYS = 31;
type Audience = "clinician" | "person";

const percent = (value: number | null) => (value === null ? "—" : `${value.toFixed(1)}%`);

interface MetricRow {
  label: string;
  value: string;
  target: string;
  meets: boolean | null;
  plain: string;
}

function glucoseText(valueMgdl: number | null, unit: GlucoseUnit): string {
  return valueMgdl === null ? "—" : `${formatGlucose(valueMgdl, unit)} ${unit}`;
}

/** The share of time below or above a threshold, when the consensus ranges can say it. */
function shareBeyond(report: GlucoseReport, side: "below" | "above", mgdl: number): number | null {
  const ranges = report.cgm.timeInRanges;
  if (!ranges) return null;
  if (side === "below" && mgdl === 70) return ranges.veryLow + ranges.low;
  if (side === "below" && mgdl === 54) return ranges.veryLow;
  if (side === "above" && mgdl === 180) return ranges.high + ranges.veryHigh;
  if (side === "above" && mgdl === 250) return ranges.veryHigh;
  return null;
}

function cgmMetricRows(report: GlucoseReport, unit: GlucoseUnit): MetricRow[] {
  const { cgm, targets } = report;
  const goals = targets.goals;
  const ranges = cgm.timeInRanges;
  const inRange = ranges && goals.inRange.lowMgdl === 70 && goals.inRange.highMgdl === 180 ? ranges.inRange : null;
  const rows: MetricRow[] = [
    {
      label: `Time in range (${formatGlucose(goals.inRange.lowMgdl, unit)}-${formatGlucose(goals.inRange.highMgdl, unit)} ${unit})`,
      value: percent(inRange),
      target: `more than ${goals.inRange.moreThanPercent}%`,
      meets: inRange === null ? null : inRange > goals.inRange.moreThanPercent,
      plain: "Time your glucose was in your target range",
    },
    ...goals.below.map((goal) => {
      const share = shareBeyond(report, "below", goal.mgdl);
      return {
        label: `Time below ${formatGlucose(goal.mgdl, unit)} ${unit}`,
        value: percent(share),
        target: `less than ${goal.lessThanPercent}%`,
        meets: share === null ? null : share < goal.lessThanPercent,
        plain: goal.mgdl < 60 ? "Time very low" : "Time low",
      };
    }),
    ...goals.above.map((goal) => {
      const share = shareBeyond(report, "above", goal.mgdl);
      return {
        label: `Time above ${formatGlucose(goal.mgdl, unit)} ${unit}`,
        value: percent(share),
        target: `less than ${goal.lessThanPercent}%`,
        meets: share === null ? null : share < goal.lessThanPercent,
        plain: goal.mgdl > 200 ? "Time very high" : "Time high",
      };
    }),
    {
      label: "Glucose variability (CV)",
      value: percent(cgm.cvPercent),
      target: "36% or less",
      meets: cgm.cvPercent === null ? null : cgm.cvPercent <= 36,
      plain: "How much your glucose swings (lower is steadier)",
    },
    { label: "Mean glucose", value: glucoseText(cgm.meanMgdl, unit), target: "—", meets: null, plain: "Average glucose" },
    {
      label: "Glucose management indicator (GMI)",
      value: cgm.gmiPercent === null ? "—" : `${cgm.gmiPercent.toFixed(1)}%`,
      target: "—",
      meets: null,
      plain: "Estimated A1c from your sensor (GMI)",
    },
    { label: "Sensor active", value: percent(cgm.sensorActivePercent), target: "70% or more", meets: cgm.sensorActivePercent >= 70, plain: "Time your sensor was working" },
    { label: "Days with CGM data", value: `${cgm.daysWithData} of ${report.days}`, target: "14 or more", meets: cgm.daysWithData >= 14, plain: "Days your sensor sent readings" },
  ];
  return rows;
}

function MetricsTable({ rows, audience, caption }: { rows: MetricRow[]; audience: Audience; caption: string }) {
  return (
    <div className="table-wrap" {...scrollableRegion(caption)}>
      <table className="wrapping metrics">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{audience === "person" ? "What" : "Metric"}</th>
            <th scope="col" className="number">
              Value
            </th>
            <th scope="col">Target</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{audience === "person" ? row.plain : row.label}</th>
              <td className="number">{row.value}</td>
              <td>{row.target}</td>
              <td>
                {row.meets === null ? (
                  "—"
                ) : row.meets ? (
                  <span className="mark pass">✓ {audience === "person" ? "On target" : "Meets target"}</span>
                ) : (
                  <span className="mark fail">✗ {audience === "person" ? "Not yet on target" : "Outside target"}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const RANGE_BANDS = [
  { key: "veryHigh", label: "Very high", symbol: "▲▲", className: "very-high" },
  { key: "high", label: "High", symbol: "▲", className: "high" },
  { key: "inRange", label: "In range", symbol: "●", className: "in-range" },
  { key: "low", label: "Low", symbol: "▼", className: "low" },
  { key: "veryLow", label: "Very low", symbol: "▼▼", className: "very-low" },
] as const;

/** The time-in-ranges stacked bar, highest range on top, each band named with a symbol and its share (not by colour alone). */
function TimeInRangesBar({ ranges, unit }: { ranges: NonNullable<GlucoseReport["cgm"]["timeInRanges"]>; unit: GlucoseUnit }) {
  const bounds = { veryHigh: `above ${formatGlucose(250, unit)}`, high: `${formatGlucose(181, unit)}-${formatGlucose(250, unit)}`, inRange: `${formatGlucose(70, unit)}-${formatGlucose(180, unit)}`, low: `${formatGlucose(54, unit)}-${formatGlucose(69, unit)}`, veryLow: `below ${formatGlucose(54, unit)}` };
  const summary = `Time in ranges: ${RANGE_BANDS.map((band) => `${band.label.toLowerCase()} ${percent(ranges[band.key])}`).join(", ")}.`;
  return (
    <div className="tir">
      <div className="tir-bar" role="img" aria-label={summary}>
        {RANGE_BANDS.map((band) => (
          <div key={band.key} className={`tir-band ${band.className}`} style={{ flexGrow: ranges[band.key], flexBasis: 0 }} />
        ))}
      </div>
      <ul className="tir-legend">
        {RANGE_BANDS.map((band) => (
          <li key={band.key}>
            <span className={`tir-swatch ${band.className}`} aria-hidden="true" /> <span aria-hidden="true">{band.symbol}</span> {band.label} ({bounds[band.key]} {unit}):{" "}
            <strong>{percent(ranges[band.key])}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

function agpPoints(report: GlucoseReport, unit: GlucoseUnit): AgpPoint[] {
  const value = (mgdl: number | null) => (mgdl === null ? null : Math.round(mgdlIn(mgdl, unit) * 10) / 10);
  const points = report.cgm.agp.map((bin) => ({
    minute: bin.minute + 7.5,
    outer: bin.p5 === null || bin.p95 === null ? null : ([value(bin.p5)!, value(bin.p95)!] as [number, number]),
    inner: bin.p25 === null || bin.p75 === null ? null : ([value(bin.p25)!, value(bin.p75)!] as [number, number]),
    median: value(bin.p50),
  }));
  return points;
}

function traceData(trace: DailyTrace, unit: GlucoseUnit): DayTraceData {
  const value = (mgdl: number) => Math.round(mgdlIn(mgdl, unit) * 10) / 10;
  const cgmValues = trace.cgm.filter((mgdl): mgdl is number => mgdl !== null);
  const weekday = new Date(`${trace.date}T12:00:00Z`).toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
  const parts = [
    cgmValues.length > 0
      ? `CGM from ${formatGlucose(Math.min(...cgmValues), unit)} to ${formatGlucose(Math.max(...cgmValues), unit)} ${unit} (15-minute means, ${Math.round((cgmValues.length / trace.cgm.length) * 100)}% of the day covered)`
      : "no CGM readings",
    trace.fingersticks.length > 0 ? `${countOf(trace.fingersticks.length, "fingerstick")}: ${trace.fingersticks.map((dot) => formatGlucose(dot.valueMgdl, unit)).join(", ")} ${unit}` : "no fingersticks",
  ];
  return {
    date: trace.date,
    label: `${weekday} ${trace.date}`,
    summary: `${weekday} ${trace.date}: ${parts.join("; ")}.`,
    cgm: trace.cgm.map((mgdl, index) => ({ minute: index * TRACE_BIN_MINUTES + TRACE_BIN_MINUTES / 2, value: mgdl === null ? null : value(mgdl) })),
    dots: trace.fingersticks.map((dot) => ({ minute: dot.minute, value: value(dot.valueMgdl) })),
  };
}

function clockOf(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

const logbookColumns = [...(Object.keys(mealContextLabels) as (keyof typeof mealContextLabels)[]), "unspecified"] as const;

export default async function GlucoseReportPage({ params, searchParams }: PageProps<"/patients/[patientId]/report">) {
  const { patientId } = await params;
  const search = await searchParams;
  const text = (name: string) => (typeof search[name] === "string" ? (search[name] as string) : "");
  const actor = await requireActor();
  const patient = await orNotFound(getVisiblePatient(actor, patientId));
  if (!can(actor, "reading:search")) notFound();
  const audience: Audience = actor.role === "clinician" ? "clinician" : "person";
  // The unit asked for in the address, else the reader's own preference (account page), else the patient's.
  const defaultUnit: GlucoseUnit = (await preferredUnitOf(actor)) ?? patient.preferredUnit;
  const unit: GlucoseUnit = text("unit") === "mmol/L" || text("unit") === "mg/dL" ? (text("unit") as GlucoseUnit) : defaultUnit;
  const printing = text("print") === "1";

  let request: { from?: string; days: number };
  let queryError: string | null = null;
  try {
    request = parseGlucoseReportQuery(new URLSearchParams({ from: text("from"), days: text("days") }));
  } catch (error) {
    if (!isAppError(error, "invalid_input")) throw error;
    queryError = error.message;
    request = { days: 14 };
  }
  const now = new Date();
  const [report, traces, devices] = await orNotFound(
    Promise.all([
      glucoseReport(actor, patient.id, request, now),
      request.days <= MAX_TRACE_DAYS ? dailyTraces(actor, patient.id, request, now) : Promise.resolve(null),
      can(actor, "device:search") ? listPatientDevices(actor, patient.id, now) : Promise.resolve([]),
    ]),
  );
  const name = `${patient.givenName} ${patient.familyName}`;
  const base = `/patients/${patient.id}/report`;
  const link = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams({ ...(request.from ? { from: request.from } : {}), days: String(request.days), ...(unit !== defaultUnit ? { unit } : {}) });
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    return `${base}?${next}`;
  };
  const target: [number, number] = [Number(formatGlucose(report.targets.goals.inRange.lowMgdl, unit)), Number(formatGlucose(report.targets.goals.inRange.highMgdl, unit))];
  const { cgm, fingerstick } = report;
  const hasCgm = cgm.readings > 0;
  const hasFingersticks = fingerstick.readings > 0;
  const agp = agpPoints(report, unit);
  const agpBins = report.cgm.agp.filter((bin) => bin.p50 !== null);
  const dayTraces = traces?.map((trace) => traceData(trace, unit)) ?? null;
  const yMax = Math.max(unit === "mg/dL" ? 300 : 16.7, ...(dayTraces ?? []).flatMap((day) => [...day.cgm.map((point) => point.value ?? 0), ...day.dots.map((dot) => dot.value)]));
  const person = audience === "person";

  return (
    <article className={`report${printing ? " print-layout" : ""}`} aria-labelledby="report-heading">
      <header className="panel report-header">
        <h2 id="report-heading">
          {person ? "Glucose report" : "Glucose report (AGP)"}: {name}
        </h2>
        <p>
          {report.from} to {report.to} · {countOf(report.days, "day")} · {patient.timezone} · {unit} · targets: {report.targets.label}
        </p>
        <nav aria-label="Report window" className="report-windows no-print">
          <ul>
            {WINDOWS.map((days) => (
              <li key={days}>
                <Link href={link({ days: String(days), from: null })} aria-current={!request.from && request.days === days ? "page" : undefined}>
                  {days} days
                </Link>
              </li>
            ))}
            <li>
              <Link href={link({ unit: unit === "mg/dL" ? "mmol/L" : "mg/dL" })}>Show in {unit === "mg/dL" ? "mmol/L" : "mg/dL"}</Link>
            </li>
            <li>
              <Link href={link({ print: "1" })}>Print view</Link>
            </li>
          </ul>
        </nav>
        <form method="get" action={base} className="row no-print" aria-label="Custom period">
          <Field name="from" id="report-from" label="From (local date)" type="date" defaultValue={request.from ?? ""} />
          <Field name="days" id="report-days" label="Days" type="number" min={1} max={366} defaultValue={String(request.days)} />
          {unit !== defaultUnit ? <input type="hidden" name="unit" value={unit} /> : null}
          <div>
            <button type="submit">Show period</button>
          </div>
        </form>
        {queryError ? (
          <p className="notice error" role="alert">
            {queryError} Showing the last 14 days instead.
          </p>
        ) : null}
        {printing ? <PrintButton /> : null}
      </header>

      <section className="panel" aria-labelledby="metrics-heading">
        <h2 id="metrics-heading">{person ? "How the period went" : "Glucose statistics and targets"}</h2>
        {hasCgm ? (
          <>
            {!cgm.sufficient ? (
              <p className="notice">
                {person
                  ? "Not enough sensor data for a full picture: the report needs at least 14 days with the sensor working 70% of the time."
                  : `Insufficient data: ${cgm.daysWithData} days of wear, sensor active ${percent(cgm.sensorActivePercent)} (at least 14 days and 70% needed). Interpret with care.`}
              </p>
            ) : null}
            <MetricsTable rows={cgmMetricRows(report, unit)} audience={audience} caption={`CGM: ${countOf(cgm.readings, "reading")}`} />
          </>
        ) : (
          <p>No CGM readings in this period.</p>
        )}
        {hasFingersticks ? (
          <div className="table-wrap" {...scrollableRegion("Fingerstick statistics")}>
            <table className="wrapping metrics">
              <caption>Fingersticks: {countOf(fingerstick.readings, "reading")}</caption>
              <tbody>
                <tr>
                  <th scope="row">{person ? "Checks a day" : "Readings per day"}</th>
                  <td className="number">{fingerstick.readingsPerDay.toFixed(1)}</td>
                </tr>
                <tr>
                  <th scope="row">{person ? "Average" : "Mean glucose"}</th>
                  <td className="number">{glucoseText(fingerstick.meanMgdl, unit)}</td>
                </tr>
                <tr>
                  <th scope="row">
                    <span aria-hidden="true">▼ </span>
                    {person ? "Low readings" : "Readings below"} ({formatGlucose(70, unit)} {unit})
                  </th>
                  <td className="number">
                    {fingerstick.below70.count} ({percent(fingerstick.below70.percent)})
                  </td>
                </tr>
                <tr>
                  <th scope="row">
                    <span aria-hidden="true">▼▼ </span>
                    {person ? "Very low readings" : "Readings below"} ({formatGlucose(54, unit)} {unit})
                  </th>
                  <td className="number">
                    {fingerstick.below54.count} ({percent(fingerstick.below54.percent)})
                  </td>
                </tr>
                {Object.entries(fingerstick.byMealContext)
                  .filter(([, mean]) => mean.readings > 0)
                  .map(([context, mean]) => (
                    <tr key={context}>
                      <th scope="row">
                        {person ? "Average" : "Mean"}, {context === "unspecified" ? "meal not said" : mealContextLabels[context as keyof typeof mealContextLabels].toLowerCase()}
                      </th>
                      <td className="number">
                        {glucoseText(mean.meanMgdl, unit)} ({countOf(mean.readings, "reading")})
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>No fingerstick readings in this period.</p>
        )}
      </section>

      {hasCgm && cgm.timeInRanges ? (
        <section className="panel" aria-labelledby="tir-heading">
          <h2 id="tir-heading">{person ? "Time in each range" : "Time in ranges"}</h2>
          <TimeInRangesBar ranges={cgm.timeInRanges} unit={unit} />
        </section>
      ) : null}

      {hasCgm ? (
        <section className="panel" aria-labelledby="agp-heading">
          <h2 id="agp-heading">{person ? "Your typical day" : "Ambulatory glucose profile"}</h2>
          <p className="meta">
            {person
              ? "All days of the period laid over one another: the line is the middle value at each time of day, the bands show how much it varies. The green band is your target range."
              : "Median, 25-75th and 5-95th percentiles by local time of day (15-minute bins), target range shaded."}
          </p>
          <AgpChart
            points={agp}
            unit={unit}
            target={target}
            summary={`Ambulatory glucose profile over ${countOf(report.days, "day")}: the median ranges from ${agpBins.length ? formatGlucose(Math.min(...agpBins.map((bin) => bin.p50!)), unit) : "—"} to ${agpBins.length ? formatGlucose(Math.max(...agpBins.map((bin) => bin.p50!)), unit) : "—"} ${unit}. The table below lists the percentiles every three hours.`}
          />
          <details>
            <summary>Percentiles by time of day (table)</summary>
            <div className="table-wrap" {...scrollableRegion("AGP percentiles")}>
              <table>
                <caption>AGP percentiles ({unit}), every 3 hours</caption>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    {["5%", "25%", "Median", "75%", "95%"].map((label) => (
                      <th key={label} scope="col" className="number">
                        {label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.cgm.agp
                    .filter((bin) => bin.minute % 180 === 0)
                    .map((bin) => (
                      <tr key={bin.minute}>
                        <th scope="row">{clockOf(bin.minute)}</th>
                        {[bin.p5, bin.p25, bin.p50, bin.p75, bin.p95].map((value, index) => (
                          <td key={index} className="number">
                            {value === null ? "—" : formatGlucose(value, unit)}
                          </td>
                        ))}
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </details>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="traces-heading">
        <h2 id="traces-heading">{person ? "Day by day" : "Daily glucose"}</h2>
        {dayTraces ? (
          <>
            <p className="meta">CGM as 15-minute averages, broken where the sensor sent nothing; fingersticks as diamonds. Target range shaded.</p>
            <div className="day-traces">
              {dayTraces.map((day) => (
                <DailyTraceChart key={day.date} day={day} unit={unit} target={target} yMax={Math.ceil(yMax)} />
              ))}
            </div>
          </>
        ) : (
          <p>Daily charts are shown for periods of up to {MAX_TRACE_DAYS} days; choose a shorter period to see each day.</p>
        )}
      </section>

      {traces && hasFingersticks ? (
        <section className="panel" aria-labelledby="logbook-heading">
          <h2 id="logbook-heading">{person ? "Fingerstick diary" : "Fingerstick logbook"}</h2>
          <div className="table-wrap" {...scrollableRegion("Fingerstick logbook")}>
            <table className="logbook">
              <caption>
                Fingersticks by day and meal ({unit}, local time); <span aria-hidden="true">▼</span> low, <span aria-hidden="true">▲</span> high
              </caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  {logbookColumns.map((column) => (
                    <th key={column} scope="col">
                      {column === "unspecified" ? "Meal not said" : mealContextLabels[column]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {traces
                  .filter((trace) => trace.fingersticks.length > 0)
                  .map((trace) => (
                    <tr key={trace.date}>
                      <th scope="row">{trace.date}</th>
                      {logbookColumns.map((column) => (
                        <td key={column}>
                          {trace.fingersticks
                            .filter((dot) => (dot.mealContext ?? "unspecified") === column)
                            .map((dot) => (
                              <span key={dot.minute} className={`log-value${dot.valueMgdl < 70 ? " low" : dot.valueMgdl > 180 ? " high" : ""}`}>
                                {clockOf(dot.minute)} <strong>{formatGlucose(dot.valueMgdl, unit)}</strong>
                                {dot.valueMgdl < 70 ? " ▼ low" : dot.valueMgdl > 180 ? " ▲ high" : ""}
                              </span>
                            ))}
                        </td>
                      ))}
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="events-heading">
        <h2 id="events-heading">{person ? "Lows and highs" : "Hypo- and hyperglycaemia events"}</h2>
        <div className="table-wrap" {...scrollableRegion("Events")}>
          <table className="wrapping">
            <caption>Events that began in the period (15 minutes or more beyond a threshold)</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col" className="number">
                  CGM
                </th>
                <th scope="col" className="number">
                  Fingerstick
                </th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ["hypoLevel2", `▼▼ ${person ? "Very low" : "Level 2 hypoglycaemia"} (below ${formatGlucose(report.targets.thresholds.hypoLevel2, unit)} ${unit})`],
                  ["hypoLevel1", `▼ ${person ? "Low" : "Level 1 hypoglycaemia"} (below ${formatGlucose(report.targets.thresholds.hypoLevel1, unit)} ${unit})`],
                  ["hypoExtended", `▼ ${person ? "Long low (over 2 hours)" : "Extended hypoglycaemia (more than 120 minutes)"}`],
                  ["hyperLevel1", `▲ ${person ? "High" : "Level 1 hyperglycaemia"} (above ${formatGlucose(report.targets.thresholds.hyperLevel1, unit)} ${unit})`],
                  ["hyperLevel2", `▲▲ ${person ? "Very high" : "Level 2 hyperglycaemia"} (above ${formatGlucose(report.targets.thresholds.hyperLevel2, unit)} ${unit})`],
                ] as const
              ).map(([key, label]) => (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  <td className="number">{cgm.events[key]}</td>
                  <td className="number">{fingerstick.events[key]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="report-devices-heading">
        <h2 id="report-devices-heading">{person ? "Your meters and sensors" : "Devices and last contact"}</h2>
        {devices.length === 0 ? (
          <p>No meters or sensors registered.</p>
        ) : (
          <ul>
            {devices.map((device) => (
              <li key={device.id}>
                {device.model} ({device.kind === "cgm" ? "CGM sensor" : "fingerstick meter"}, {device.serialNumber}): last contact{" "}
                {device.lastContactAt ? `${formatAtOffset(device.lastContactAt, offsetAt(device.lastContactAt, patient.timezone))} local time` : "never"}
                {device.status === "stale" ? " (silent for too long)" : device.status === "revoked" ? " (revoked)" : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
