import { toFhirPatient } from "@/lib/fhir/mapping";
import { readFhirPatient } from "@/lib/fhir/server/patients";
import { fhirReadResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: 404 for a patient outside the caller's view, exactly as for a missing one; 304 when unchanged. */
  async GET({ actor, params, request }) {
    const patient = await readFhirPatient(actor, params.id!);
    return fhirReadResponse(request, toFhirPatient(patient, patient.organizationId), { lastModified: patient.createdAt });
  },
});
