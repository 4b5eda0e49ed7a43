import "server-only";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/responses";

// A day of 1-minute CGM readings as a Bundle is about 1.5 MB.
const MAX_FHIR_BODY_BYTES = 8_000_000;

/** A FHIR JSON body (application/fhir+json or application/json); anything else is a clear 4xx. */
export async function readFhirBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (type && !/application\/(fhir\+)?json/.test(type)) {
    throw new AppError("invalid_input", "Send FHIR JSON with Content-Type application/fhir+json.");
  }
  return readJsonBody(request, MAX_FHIR_BODY_BYTES);
}
