import { toFhirPatient } from "@/lib/fhir/mapping";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { readFhirPatient } from "@/lib/fhir/server/patients";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** GET /fhir/Patient/[id]: 404 for a patient outside the caller's view, exactly as for a missing one. */
export async function GET(request: Request, { params }: RouteContext<"/fhir/Patient/[id]">) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Patient", "read")) return outcomeResponse(403, "forbidden", "The access token lacks system/Patient.rs (or .read).");
    const { id } = await params;
    const patient = await readFhirPatient(reader, id);
    return fhirResponse(toFhirPatient(patient, patient.organizationId));
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
