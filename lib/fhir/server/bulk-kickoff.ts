import "server-only";
import type { Actor } from "@/lib/access/actor";
import { AppError } from "@/lib/errors";
import { startExport } from "./bulk-export";
import type { Preferences } from "./prefer";

/** The kick-off parameters Lantern implements (Bulk Data Access 2.0 §Query Parameters). */
const SUPPORTED = new Set(["_type", "_since", "_outputFormat"]);
const NDJSON_NAMES = ["application/fhir+ndjson", "application/ndjson", "ndjson"];

/**
 * The $export kick-off shared by Patient/$export and Group/[id]/$export: checks the request's
 * Bulk Data parameters, starts the job, and answers 202 with the status URL.
 *
 * A parameter Lantern does not implement (`_typeFilter`, `_elements`, `patient`,
 * `includeAssociatedData`...) is refused with 400 unless the client sends `Prefer:
 * handling=lenient`, as Bulk Data asks: an export that silently ignored a filter would disclose
 * more than the client asked for. Under lenient handling it is left out, and the manifest's
 * `request` shows only what was applied.
 */
export async function kickOffExport(context: { actor: Actor; url: URL; baseUrl: string; prefer: Preferences }, careTeamId: string | null): Promise<Response> {
  const { actor, url, baseUrl, prefer } = context;
  if (!prefer.respondAsync) {
    throw new AppError("invalid_input", "Bulk export is asynchronous: send the header Prefer: respond-async.");
  }
  const applied = new URL(url.pathname, url);
  for (const [name, value] of url.searchParams) {
    if (SUPPORTED.has(name)) applied.searchParams.append(name, value);
    else if (!(prefer.handlingGiven && prefer.handling === "lenient")) {
      throw new AppError("invalid_input", `$export does not support ${name}; leave it out, or send Prefer: handling=lenient to have it ignored.`, { expression: [name] });
    }
  }
  const format = url.searchParams.get("_outputFormat");
  if (format && !NDJSON_NAMES.includes(format)) {
    throw new AppError("invalid_input", "_outputFormat supports application/fhir+ndjson only.", { expression: ["_outputFormat"] });
  }
  const jobId = await startExport(actor, {
    careTeamId,
    typeParameter: url.searchParams.get("_type"),
    sinceParameter: url.searchParams.get("_since"),
    requestUrl: applied.toString(),
  });
  return new Response(null, { status: 202, headers: { "Content-Location": `${baseUrl}/bulk-status/${jobId}` } });
}
