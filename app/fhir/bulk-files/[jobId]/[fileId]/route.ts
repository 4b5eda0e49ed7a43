import { exportFile } from "@/lib/fhir/server/bulk-export";
import { bulkClient } from "@/lib/fhir/server/bulk-http";
import { fhirErrorResponse } from "@/lib/fhir/server/http";

/** One NDJSON output file; only the client that requested the export may download it. */
export async function GET(request: Request, { params }: RouteContext<"/fhir/bulk-files/[jobId]/[fileId]">) {
  try {
    const client = await bulkClient(request);
    if (client instanceof Response) return client;
    const { jobId, fileId } = await params;
    return new Response(await exportFile(client, jobId, fileId), { headers: { "Content-Type": "application/fhir+ndjson" } });
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
