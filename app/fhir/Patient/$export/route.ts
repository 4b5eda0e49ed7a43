import { kickOffExport } from "@/lib/fhir/server/bulk-kickoff";
import { fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Bulk Data kick-off: every patient of the client's organization. */
  GET: (context) => kickOffExport(context, null),
});
