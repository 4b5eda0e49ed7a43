import type { Bundle, BundleEntry, Resource } from "@medplum/fhirtypes";
import { searchsetBundle } from "@/lib/fhir/mapping";
import type { Page } from "./paging";
import { searchPageUrl } from "./search/framework";
import type { ParsedSearch, SearchDefinition } from "./search/types";
import { subsetResource } from "./search/elements";

/**
 * Search results as `searchset` Bundles, for every type: matches (with only the `_elements` asked
 * for), includes, `total` when counted, and links that carry only what the search applied. Pure:
 * the data layer has already applied the visibility rule and written the audit event.
 */

function entry(baseUrl: string, resource: Resource, mode: "match" | "include"): BundleEntry {
  return { fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`, resource, search: { mode } };
}

export function searchResultsBundle<C, Key>(
  definition: SearchDefinition<C, Key>,
  search: ParsedSearch<C, Key>,
  baseUrl: string,
  page: Page<unknown>,
  matches: readonly Resource[],
  includes: readonly Resource[] = [],
): Bundle {
  const elements = search.elements;
  const shown = elements ? matches.map((resource) => subsetResource(resource, elements, definition.elements)) : matches;
  const link = (cursor: string | null) => (cursor === null ? undefined : searchPageUrl(baseUrl, search, cursor));
  return searchsetBundle([...shown.map((resource) => entry(baseUrl, resource, "match")), ...includes.map((resource) => entry(baseUrl, resource, "include"))], {
    ...(page.total === null ? {} : { total: page.total }),
    links: { self: searchPageUrl(baseUrl, search, search.cursorToken), next: link(page.next), previous: link(page.previous) },
  });
}
