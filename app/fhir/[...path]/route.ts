import { fhirUnknownPath } from "@/lib/http/fhir";

/** Anything under /fhir no other route serves: a 404 OperationOutcome, whatever the method. */
export const { GET, POST, PUT, PATCH, DELETE } = fhirUnknownPath();
