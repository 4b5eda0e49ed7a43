import { toFhirPatient } from "@/lib/fhir/mapping";
import { searchFhirPatients } from "@/lib/fhir/server/patients";
import { idPagedBundle, parseIdPaging } from "@/lib/fhir/server/search-bundles";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: the caller's visible patients, paged by id. */
  async GET({ actor, url, baseUrl }) {
    const paging = parseIdPaging(url.searchParams);
    if ("error" in paging) return outcomeResponse(400, "invalid", paging.error, paging.parameter);
    const ids = url.searchParams.getAll("_id").flatMap((value) => value.split(","));
    const rows = await searchFhirPatients(actor, { ids: ids.length ? ids : null, identifier: url.searchParams.get("identifier") }, paging);
    return fhirResponse(idPagedBundle(rows, paging, (patient) => toFhirPatient(patient, patient.organizationId), url, baseUrl));
  },
});
