import { toFhirDevice } from "@/lib/fhir/mapping";
import { searchFhirDevices } from "@/lib/fhir/server/directory";
import { idPagedBundle, parseIdPaging } from "@/lib/fhir/server/search-bundles";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: devices of patients the caller may see, optionally of the given patients. */
  async GET({ actor, url, baseUrl }) {
    const paging = parseIdPaging(url.searchParams);
    if ("error" in paging) return outcomeResponse(400, "invalid", paging.error, paging.parameter);
    const patientRefs = url.searchParams.getAll("patient").flatMap((value) => value.split(",")).map((value) => value.replace(/^(.*\/)?Patient\//, ""));
    const rows = await searchFhirDevices(actor, patientRefs.length ? patientRefs : null, paging);
    return fhirResponse(idPagedBundle(rows, paging, toFhirDevice, url, baseUrl));
  },
});
