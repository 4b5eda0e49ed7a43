import { toFhirOrganization } from "@/lib/fhir/mapping";
import { readFhirOrganization } from "@/lib/fhir/server/directory";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** GET /fhir/Organization/[id]: 404 for anything outside the caller's view, exactly as for a missing id. */
export async function GET(request: Request, { params }: RouteContext<"/fhir/Organization/[id]">) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Organization", "read")) return outcomeResponse(403, "forbidden", "The access token lacks system/Organization.rs (or .read).");
    const { id } = await params;
    const found = await readFhirOrganization(reader, id);
    return fhirResponse(toFhirOrganization(found));
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
