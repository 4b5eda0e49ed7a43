import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { readFhirBody } from "@/lib/fhir/server/body";
import { entryResultsBundle, submitCgmBundle } from "@/lib/fhir/server/observation-writes";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** POST /fhir/$submit-cgm-bundle (HL7 CGM IG): a transaction-response with a status per entry. */
export async function POST(request: Request) {
  try {
    const writer = await fhirReader(request);
    if (lacksScope(writer, "Observation", "create")) return outcomeResponse(403, "forbidden", "The access token lacks system/Observation.c (or .cu, .write).");
    const body = (await readFhirBody(request)) as { resourceType?: string; parameter?: { name?: string; resource?: unknown }[] };
    const bundle = body?.resourceType === "Parameters" ? body.parameter?.find((p) => p.name === "resource")?.resource : body;
    const results = await submitCgmBundle(writer, bundle);
    return fhirResponse(entryResultsBundle("transaction-response", results));
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
