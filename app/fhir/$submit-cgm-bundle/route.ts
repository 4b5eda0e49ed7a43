import { entryResultsBundle, submitCgmBundle } from "@/lib/fhir/server/observation-writes";
import { fhirResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** $submit-cgm-bundle (HL7 CGM IG): a transaction-response with a status per entry. */
  async POST({ actor, body }) {
    const submitted = (await body()) as { resourceType?: string; parameter?: { name?: string; resource?: unknown }[] };
    const bundle = submitted?.resourceType === "Parameters" ? submitted.parameter?.find((p) => p.name === "resource")?.resource : submitted;
    return fhirResponse(entryResultsBundle("transaction-response", await submitCgmBundle(actor, bundle)));
  },
});
