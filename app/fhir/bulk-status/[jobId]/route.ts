import { cancelExport, exportStatus } from "@/lib/fhir/server/bulk-export";
import { bulkClient } from "@/lib/fhir/server/bulk-http";
import { fhirErrorResponse, outcomeResponse } from "@/lib/fhir/server/http";

/** Polling: 202 with X-Progress while running, then 200 with the manifest. */
export async function GET(request: Request, { params }: RouteContext<"/fhir/bulk-status/[jobId]">) {
  try {
    const client = await bulkClient(request);
    if (client instanceof Response) return client;
    const { jobId } = await params;
    const { job, files } = await exportStatus(client, jobId);
    if (job.status === "in-progress") return new Response(null, { status: 202, headers: { "X-Progress": job.progress ?? "Starting", "Retry-After": "2" } });
    if (job.status === "failed") return outcomeResponse(500, "exception", job.error ?? "The export failed; start it again.");
    const origin = new URL(request.url).origin;
    return Response.json(
      {
        transactionTime: job.transactionTime.toISOString(),
        request: job.requestUrl,
        requiresAccessToken: true,
        output: files.map((file) => ({ type: file.resourceType, url: `${origin}/fhir/bulk-files/${job.id}/${file.id}`, count: file.resourceCount })),
        error: [],
      },
      { headers: { Expires: new Date(Date.now() + 24 * 3_600_000).toUTCString() } },
    );
  } catch (error) {
    return fhirErrorResponse(error);
  }
}

/** DELETE: cancels the export (or removes a finished one) and its files. */
export async function DELETE(request: Request, { params }: RouteContext<"/fhir/bulk-status/[jobId]">) {
  try {
    const client = await bulkClient(request);
    if (client instanceof Response) return client;
    const { jobId } = await params;
    await cancelExport(client, jobId);
    return new Response(null, { status: 202 });
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
