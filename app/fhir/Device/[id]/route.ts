import { toFhirDevice } from "@/lib/fhir/mapping";
import { readFhirDevice } from "@/lib/fhir/server/directory";
import { fhirReadResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: 404 for anything outside the caller's view, exactly as for a missing id; 304 when unchanged. */
  async GET({ actor, params, request }) {
    const device = await readFhirDevice(actor, params.id!);
    return fhirReadResponse(request, toFhirDevice(device), { lastModified: device.changedAt });
  },
});
