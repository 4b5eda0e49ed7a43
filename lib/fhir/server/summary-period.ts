import { localCalendarPeriod, type LocalCalendarPeriod } from "@/lib/time/calendar";
import { offsetAt } from "@/lib/time/zones";

/**
 * The period of a `$cgm-summary` request. Days of wear are the patient's local calendar days, so
 * the period is built on the patient's calendar (lib/time/calendar) whenever the request names
 * days: as dates (`start=2026-11-01&end=2026-11-14`, the end included, as the summary's
 * effectivePeriod reads), or as instants that are both local midnights in the patient's time zone
 * (`start=2026-11-01T00:00:00+01:00&end=2026-11-15T00:00:00+01:00` for a patient in Paris). A
 * fortnight across a clock change is then 14 days of wear, not 15. Other instants are an exact
 * span, whose days are 24-hour windows from its start. Pure.
 */
export const MAX_SUMMARY_DAYS = 366;

export type SummaryRequest = { kind: "dates"; startDate: string; days: number } | { kind: "instants"; start: Date; end: Date };
export type SummaryPeriod = LocalCalendarPeriod | { start: Date; end: Date };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;
const HOW = "Give the period as dates (start=2026-11-01&end=2026-11-14: the patient's calendar days, the end included) or as instants with their offsets (start=2026-11-01T00:00:00Z&end=2026-11-15T00:00:00Z).";

const isCalendarDate = (text: string) => DATE.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

export function parseSummaryRequest(start: string | null, end: string | null): SummaryRequest | { error: string; parameter: string } {
  if (start === null || end === null) return { error: HOW, parameter: start === null ? "start" : "end" };
  if (isCalendarDate(start) && isCalendarDate(end)) {
    const days = (Date.parse(end) - Date.parse(start)) / DAY_MS + 1;
    if (days < 1) return { error: `end comes before start. ${HOW}`, parameter: "end" };
    if (days > MAX_SUMMARY_DAYS) return { error: `A summary covers at most ${MAX_SUMMARY_DAYS} days.`, parameter: "end" };
    return { kind: "dates", startDate: start, days };
  }
  if (!INSTANT.test(start) || !INSTANT.test(end) || Number.isNaN(Date.parse(start)) || Number.isNaN(Date.parse(end))) {
    return { error: HOW, parameter: INSTANT.test(start) && !Number.isNaN(Date.parse(start)) ? "end" : "start" };
  }
  const [from, to] = [new Date(start), new Date(end)];
  if (to <= from) return { error: `end must come after start. ${HOW}`, parameter: "end" };
  // An hour more than the longest period, so that 366 local days across a clock change still fit.
  if (to.getTime() - from.getTime() > MAX_SUMMARY_DAYS * DAY_MS + 3_600_000) return { error: `A summary covers at most ${MAX_SUMMARY_DAYS} days.`, parameter: "end" };
  return { kind: "instants", start: from, end: to };
}

/** The patient's local date at an instant, YYYY-MM-DD. */
function localDateOf(instant: Date, timeZone: string): string {
  return new Date(instant.getTime() + offsetAt(instant, timeZone) * 60_000).toISOString().slice(0, 10);
}

/** The period summarized, on the calendar of the patient's `timeZone` when the request names days. */
export function resolveSummaryPeriod(request: SummaryRequest, timeZone: string): SummaryPeriod {
  if (request.kind === "dates") return localCalendarPeriod(timeZone, request.startDate, request.days);
  const startDate = localDateOf(request.start, timeZone);
  const days = Math.round((Date.parse(localDateOf(request.end, timeZone)) - Date.parse(startDate)) / DAY_MS);
  if (days < 1 || days > MAX_SUMMARY_DAYS) return { start: request.start, end: request.end };
  const period = localCalendarPeriod(timeZone, startDate, days);
  const localMidnights = period.start.getTime() === request.start.getTime() && period.end.getTime() === request.end.getTime();
  return localMidnights ? period : { start: request.start, end: request.end };
}
