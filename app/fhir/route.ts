import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { readFhirBody } from "@/lib/fhir/server/body";
import { entryResultsBundle, processBundle } from "@/lib/fhir/server/observation-writes";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** POST /fhir: batch and transaction Bundles of glucose Observation creates. */
export async function POST(request: Request) {
  try {
    const writer = await fhirReader(request);
    if (lacksScope(writer, "Observation", "create")) return outcomeResponse(403, "forbidden", "The access token lacks system/Observation.c (or .cu, .write).");
    const { type, results } = await processBundle(writer, await readFhirBody(request));
    return fhirResponse(entryResultsBundle(type, results));
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
