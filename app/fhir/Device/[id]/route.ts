import { toFhirDevice } from "@/lib/fhir/mapping";
import { readFhirDevice } from "@/lib/fhir/server/directory";
import { fhirResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: 404 for anything outside the caller's view, exactly as for a missing id. */
  async GET({ actor, params }) {
    return fhirResponse(toFhirDevice(await readFhirDevice(actor, params.id!)));
  },
});
