import { toFhirPractitioner } from "@/lib/fhir/mapping";
import { searchFhirPractitioners } from "@/lib/fhir/server/directory";
import { directorySearch } from "@/lib/fhir/server/directory-routes";

/** GET /fhir/Practitioner: the clinicians of the caller's organization. */
export const GET = directorySearch("Practitioner", (reader, _params, count) => searchFhirPractitioners(reader, count), toFhirPractitioner);
