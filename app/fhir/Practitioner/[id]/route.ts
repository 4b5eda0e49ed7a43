import { toFhirPractitioner } from "@/lib/fhir/mapping";
import { readFhirPractitioner } from "@/lib/fhir/server/directory";
import { directoryRead } from "@/lib/fhir/server/directory-routes";

/** GET /fhir/Practitioner/[id]: 404 for anything outside the caller's view, exactly as for a missing id. */
export const GET = directoryRead("Practitioner", readFhirPractitioner, toFhirPractitioner);
