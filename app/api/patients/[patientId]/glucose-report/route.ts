import { sessionApi } from "@/lib/http/api";
import { glucoseReport } from "@/lib/readings/glucose-report";
import { parseGlucoseReportQuery } from "@/lib/readings/glucose-report-query";

/**
 * GET `?from=YYYY-MM-DD&days=N`: the patient's glucose report as JSON (docs/glucose-report.md),
 * on the patient's local calendar (default: the last 14 days up to today). 404 for a patient the
 * signed-in user may not see; 400 with a sentence for a bad query. Never cached (Cache-Control:
 * no-store, set by the door).
 */
export const GET = sessionApi(async ({ request, caller, params }) => {
  const query = parseGlucoseReportQuery(new URL(request.url).searchParams);
  return glucoseReport(caller, params.patientId!, query);
});
