import { kickOffExport } from "@/lib/fhir/server/bulk-kickoff";
import { fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Bulk Data kick-off for a care team's patients (a Group is a care team). */
  GET: (context) => kickOffExport(context, context.params.id!),
});
