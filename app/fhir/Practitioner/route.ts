import { toFhirPractitioner } from "@/lib/fhir/mapping";
import { searchFhirPractitioners } from "@/lib/fhir/server/directory";
import { idPagedBundle, parseIdPaging } from "@/lib/fhir/server/search-bundles";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: the clinicians of the caller's organization. */
  async GET({ actor, url, baseUrl }) {
    const paging = parseIdPaging(url.searchParams);
    if ("error" in paging) return outcomeResponse(400, "invalid", paging.error, paging.parameter);
    return fhirResponse(idPagedBundle(await searchFhirPractitioners(actor, paging), paging, toFhirPractitioner, url, baseUrl));
  },
});
