import { exportFile } from "@/lib/fhir/server/bulk-export";
import { fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** One NDJSON output file; only the client that requested the export may download it. */
  async GET({ actor, params }) {
    return new Response(await exportFile(actor, params.jobId!, params.fileId!), { headers: { "Content-Type": "application/fhir+ndjson" } });
  },
});
