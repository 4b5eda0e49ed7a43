import { entryResultsBundle, processBundle } from "@/lib/fhir/server/observation-writes";
import { fhirResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Batch and transaction Bundles of glucose Observation creates. */
  async POST({ actor, body }) {
    const { type, results } = await processBundle(actor, await body());
    return fhirResponse(entryResultsBundle(type, results));
  },
});
