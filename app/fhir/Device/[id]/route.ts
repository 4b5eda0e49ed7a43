import { toFhirDevice } from "@/lib/fhir/mapping";
import { readFhirDevice } from "@/lib/fhir/server/directory";
import { directoryRead } from "@/lib/fhir/server/directory-routes";

/** GET /fhir/Device/[id]: 404 for anything outside the caller's view, exactly as for a missing id. */
export const GET = directoryRead("Device", readFhirDevice, toFhirDevice);
