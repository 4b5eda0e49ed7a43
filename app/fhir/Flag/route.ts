import { toFhirFlag } from "@/lib/fhir/flag";
import { flagSearch } from "@/lib/fhir/server/flag-search";
import { searchFlags } from "@/lib/fhir/server/flags";
import { searchResultsBundle } from "@/lib/fhir/server/search-bundles";
import { parseSearch } from "@/lib/fhir/server/search/framework";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: alerts of patients the caller may see, as Flags, matching the parameters. */
  async GET({ actor, url, baseUrl, prefer }) {
    const search = parseSearch(flagSearch, url.searchParams, prefer.handling);
    if ("error" in search) return outcomeResponse(400, search.code, search.error, search.parameter);
    const page = await searchFlags(actor, search);
    return fhirResponse(searchResultsBundle(flagSearch, search, baseUrl, page, page.rows.map(toFhirFlag)));
  },
});
