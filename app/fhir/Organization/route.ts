import { toFhirOrganization } from "@/lib/fhir/mapping";
import { searchFhirOrganizations } from "@/lib/fhir/server/directory";
import { organizationSearch } from "@/lib/fhir/server/directory-search";
import { searchResultsBundle } from "@/lib/fhir/server/search-bundles";
import { parseSearch } from "@/lib/fhir/server/search/framework";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: the caller's own organization, when it matches the parameters. */
  async GET({ actor, url, baseUrl, prefer }) {
    const search = parseSearch(organizationSearch, url.searchParams, prefer.handling);
    if ("error" in search) return outcomeResponse(400, search.code, search.error, search.parameter);
    const page = await searchFhirOrganizations(actor, search);
    return fhirResponse(searchResultsBundle(organizationSearch, search, baseUrl, page, page.rows.map(toFhirOrganization)));
  },
});
