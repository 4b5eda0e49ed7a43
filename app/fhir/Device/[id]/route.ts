import { toFhirDevice } from "@/lib/fhir/mapping";
import { readFhirDevice } from "@/lib/fhir/server/directory";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** GET /fhir/Device/[id]: 404 for anything outside the caller's view, exactly as for a missing id. */
export async function GET(request: Request, { params }: RouteContext<"/fhir/Device/[id]">) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Device", "read")) return outcomeResponse(403, "forbidden", "The access token lacks system/Device.rs (or .read).");
    const { id } = await params;
    const found = await readFhirDevice(reader, id);
    return fhirResponse(toFhirDevice(found));
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
