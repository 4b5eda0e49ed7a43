import { toFhirPractitioner } from "@/lib/fhir/mapping";
import { readFhirPractitioner } from "@/lib/fhir/server/directory";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** GET /fhir/Practitioner/[id]: 404 for anything outside the caller's view, exactly as for a missing id. */
export async function GET(request: Request, { params }: RouteContext<"/fhir/Practitioner/[id]">) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Practitioner", "read")) return outcomeResponse(403, "forbidden", "The access token lacks system/Practitioner.rs (or .read).");
    const { id } = await params;
    const found = await readFhirPractitioner(reader, id);
    return fhirResponse(toFhirPractitioner(found));
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
