import "server-only";
import type { Actor } from "@/lib/access/actor";
import { AppError } from "@/lib/errors";
import { startExport } from "./bulk-export";
import type { Preferences } from "./prefer";

/**
 * The $export kick-off shared by Patient/$export and Group/[id]/$export: checks the request's
 * Bulk Data parameters, starts the job, and answers 202 with the status URL.
 */
export async function kickOffExport(context: { actor: Actor; url: URL; baseUrl: string; prefer: Preferences }, careTeamId: string | null): Promise<Response> {
  const { actor, url, baseUrl, prefer } = context;
  if (!prefer.respondAsync) {
    throw new AppError("invalid_input", "Bulk export is asynchronous: send the header Prefer: respond-async.");
  }
  const format = url.searchParams.get("_outputFormat");
  if (format && !["application/fhir+ndjson", "application/ndjson", "ndjson"].includes(format)) {
    throw new AppError("invalid_input", "_outputFormat supports application/fhir+ndjson only.", { expression: ["_outputFormat"] });
  }
  const jobId = await startExport(actor, {
    careTeamId,
    typeParameter: url.searchParams.get("_type"),
    sinceParameter: url.searchParams.get("_since"),
    // As the client addressed it (the public URL), not the address the server saw.
    requestUrl: url.toString(),
  });
  return new Response(null, { status: 202, headers: { "Content-Location": `${baseUrl}/bulk-status/${jobId}` } });
}
