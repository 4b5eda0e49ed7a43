import { toFhirPatient } from "@/lib/fhir/mapping";
import { patientSearch } from "@/lib/fhir/server/patient-search";
import { searchFhirPatients } from "@/lib/fhir/server/patients";
import { searchResultsBundle } from "@/lib/fhir/server/search-bundles";
import { parseSearch } from "@/lib/fhir/server/search/framework";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: the caller's visible patients matching the parameters, paged by id. */
  async GET({ actor, url, baseUrl, prefer }) {
    const search = parseSearch(patientSearch, url.searchParams, prefer.handling);
    if ("error" in search) return outcomeResponse(400, search.code, search.error, search.parameter);
    const page = await searchFhirPatients(actor, search);
    return fhirResponse(searchResultsBundle(patientSearch, search, baseUrl, page, page.rows.map((patient) => toFhirPatient(patient, patient.organizationId))));
  },
});
