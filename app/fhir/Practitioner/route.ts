import { toFhirPractitioner } from "@/lib/fhir/mapping";
import { searchFhirPractitioners } from "@/lib/fhir/server/directory";
import { practitionerSearch } from "@/lib/fhir/server/directory-search";
import { searchResultsBundle } from "@/lib/fhir/server/search-bundles";
import { parseSearch } from "@/lib/fhir/server/search/framework";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: the clinicians of the caller's organization matching the parameters. */
  async GET({ actor, url, baseUrl, prefer }) {
    const search = parseSearch(practitionerSearch, url.searchParams, prefer.handling);
    if ("error" in search) return outcomeResponse(400, search.code, search.error, search.parameter);
    const page = await searchFhirPractitioners(actor, search);
    return fhirResponse(searchResultsBundle(practitionerSearch, search, baseUrl, page, page.rows.map(toFhirPractitioner)));
  },
});
