import { smartConfiguration } from "@/lib/fhir/smart/configuration";
import { publicFhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = publicFhirRoute({
  /** How hospital systems get an access token (SMART Backend Services). */
  GET: async ({ siteUrl }) => Response.json(smartConfiguration(siteUrl)),
});
