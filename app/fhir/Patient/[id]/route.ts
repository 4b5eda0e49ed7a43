import { toFhirPatient } from "@/lib/fhir/mapping";
import { readFhirPatient } from "@/lib/fhir/server/patients";
import { fhirResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: 404 for a patient outside the caller's view, exactly as for a missing one. */
  async GET({ actor, params }) {
    const patient = await readFhirPatient(actor, params.id!);
    return fhirResponse(toFhirPatient(patient, patient.organizationId));
  },
});
