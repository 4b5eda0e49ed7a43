import { requestOrigins, smartConfiguration } from "@/lib/fhir/smart/configuration";

/** GET /fhir/.well-known/smart-configuration: how hospital systems get an access token (SMART Backend Services). */
export function GET(request: Request): Response {
  return Response.json(smartConfiguration(requestOrigins(request)[0]!));
}
