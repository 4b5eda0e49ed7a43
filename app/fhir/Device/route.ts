import { toFhirDevice } from "@/lib/fhir/mapping";
import { searchFhirDevices } from "@/lib/fhir/server/directory";
import { deviceSearch } from "@/lib/fhir/server/directory-search";
import { searchResultsBundle } from "@/lib/fhir/server/search-bundles";
import { parseSearch } from "@/lib/fhir/server/search/framework";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: devices of patients the caller may see, matching the parameters. */
  async GET({ actor, url, baseUrl, prefer }) {
    const search = parseSearch(deviceSearch, url.searchParams, prefer.handling);
    if ("error" in search) return outcomeResponse(400, search.code, search.error, search.parameter);
    const page = await searchFhirDevices(actor, search);
    return fhirResponse(searchResultsBundle(deviceSearch, search, baseUrl, page, page.rows.map(toFhirDevice)));
  },
});
