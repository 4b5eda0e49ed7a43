import { toFhirFlag } from "@/lib/fhir/flag";
import { readFlag } from "@/lib/fhir/server/flags";
import { fhirReadResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: 404 for anything outside the caller's view, exactly as for a missing id; 304 when unchanged. */
  async GET({ actor, params, request }) {
    const flag = await readFlag(actor, params.id!);
    return fhirReadResponse(request, toFhirFlag(flag), { lastModified: flag.updatedAt });
  },
});
