import { cancelExport, exportStatus } from "@/lib/fhir/server/bulk-export";
import { fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Polling: 202 with X-Progress while running, then 200 with the manifest. */
  async GET({ actor, params, baseUrl }) {
    const { job, files } = await exportStatus(actor, params.jobId!);
    if (job.status === "in-progress") return new Response(null, { status: 202, headers: { "X-Progress": job.progress ?? "Starting", "Retry-After": "2" } });
    if (job.status === "failed") return outcomeResponse(500, "exception", job.error ?? "The export failed; start it again.");
    return Response.json(
      {
        transactionTime: job.transactionTime.toISOString(),
        request: job.requestUrl,
        requiresAccessToken: true,
        output: files.map((file) => ({ type: file.resourceType, url: `${baseUrl}/bulk-files/${job.id}/${file.id}`, count: file.resourceCount })),
        error: [],
      },
      { headers: { Expires: new Date(Date.now() + 24 * 3_600_000).toUTCString() } },
    );
  },
  /** Cancels the export (or removes a finished one) and its files. */
  async DELETE({ actor, params }) {
    await cancelExport(actor, params.jobId!);
    return new Response(null, { status: 202 });
  },
});
