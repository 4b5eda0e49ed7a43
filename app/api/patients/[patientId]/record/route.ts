import { sessionApi } from "@/lib/http/api";
import { exportPatientRecord } from "@/lib/privacy/record-export";

/**
 * GET `?format=fhir` (a FHIR Bundle, JSON) or `?format=csv`: the whole record of the patient, for
 * the patient or their guardian, as a download streamed while it is read.
 */
export const GET = sessionApi(async ({ request, caller, params }) => {
  const download = await exportPatientRecord(caller, params.patientId!, new URL(request.url).searchParams.get("format") ?? "");
  return new Response(download.body, {
    headers: { "content-type": download.contentType, "content-disposition": `attachment; filename="${download.filename}"` },
  });
});
