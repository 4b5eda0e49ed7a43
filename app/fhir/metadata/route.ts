import { capabilityStatement } from "@/lib/fhir/server/capability";
import { tokenEndpointUrl } from "@/lib/fhir/smart/configuration";
import { fhirResponse, publicFhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = publicFhirRoute({
  /** What this server does, for integrators and their tools. */
  GET: async ({ baseUrl, siteUrl }) => fhirResponse(capabilityStatement(baseUrl, tokenEndpointUrl(siteUrl))),
});
