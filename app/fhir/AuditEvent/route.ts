import { toFhirAuditEvent } from "@/lib/fhir/audit-event";
import { auditEventSearch } from "@/lib/fhir/server/audit-event-search";
import { searchAuditEvents } from "@/lib/fhir/server/audit-events";
import { searchResultsBundle } from "@/lib/fhir/server/search-bundles";
import { parseSearch } from "@/lib/fhir/server/search/framework";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: the organization's audit trail for a privacy officer signed in to the portal, by patient and date. */
  async GET({ actor, url, baseUrl, prefer }) {
    const search = parseSearch(auditEventSearch, url.searchParams, prefer.handling);
    if ("error" in search) return outcomeResponse(400, search.code, search.error, search.parameter);
    const page = await searchAuditEvents(actor, search);
    return fhirResponse(searchResultsBundle(auditEventSearch, search, baseUrl, page, page.rows.map(toFhirAuditEvent)));
  },
});
