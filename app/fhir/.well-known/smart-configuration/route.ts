import { requestOrigins, smartConfiguration } from "@/lib/fhir/smart/configuration";
import { publicFhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = publicFhirRoute({
  /** How hospital systems get an access token (SMART Backend Services). */
  GET: async ({ request }) => Response.json(smartConfiguration(requestOrigins(request)[0]!)),
});
