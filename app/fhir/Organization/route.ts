import { searchsetBundle, toFhirOrganization } from "@/lib/fhir/mapping";
import { searchFhirOrganizations } from "@/lib/fhir/server/directory";
import { fhirResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: the caller's own organization. */
  async GET({ actor, url, baseUrl }) {
    const rows = await searchFhirOrganizations(actor);
    return fhirResponse(
      searchsetBundle(
        rows.map((row) => ({ fullUrl: `${baseUrl}/Organization/${row.id}`, resource: toFhirOrganization(row), search: { mode: "match" as const } })),
        { links: { self: url.toString() } },
      ),
    );
  },
});
