import "server-only";
import type { BackendClientActor } from "@/lib/auth/actor";
import { fhirErrorResponse, outcomeResponse } from "./http";
import { startExport } from "./bulk-export";
import { fhirReader } from "./reader";

/** Only hospital systems export in bulk; a portal session gets 403. */
export async function bulkClient(request: Request): Promise<BackendClientActor | Response> {
  const reader = await fhirReader(request);
  if (reader.kind !== "backend-client") return outcomeResponse(403, "forbidden", "Bulk export is for hospital systems with a SMART Backend Services token.");
  return reader;
}

/** The $export kick-off shared by Patient/$export and Group/[id]/$export. */
export async function kickOffExport(request: Request, careTeamId: string | null): Promise<Response> {
  try {
    const client = await bulkClient(request);
    if (client instanceof Response) return client;
    if (!/respond-async/.test(request.headers.get("prefer") ?? "")) {
      return outcomeResponse(400, "invalid", "Bulk export is asynchronous: send the header Prefer: respond-async.");
    }
    const url = new URL(request.url);
    const format = url.searchParams.get("_outputFormat");
    if (format && !["application/fhir+ndjson", "application/ndjson", "ndjson"].includes(format)) {
      return outcomeResponse(400, "not-supported", "_outputFormat supports application/fhir+ndjson only.", "_outputFormat");
    }
    const jobId = await startExport(client, {
      careTeamId,
      typeParameter: url.searchParams.get("_type"),
      sinceParameter: url.searchParams.get("_since"),
      requestUrl: request.url,
    });
    return new Response(null, { status: 202, headers: { "Content-Location": `${url.origin}/fhir/bulk-status/${jobId}` } });
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
