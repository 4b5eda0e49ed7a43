import { toFhirDevice } from "@/lib/fhir/mapping";
import { searchFhirDevices } from "@/lib/fhir/server/directory";
import { directorySearch } from "@/lib/fhir/server/directory-routes";

/** GET /fhir/Device?patient=: devices of patients the caller may see. */
export const GET = directorySearch(
  "Device",
  (reader, params, count) => {
    const patientRefs = params.getAll("patient").flatMap((value) => value.split(",")).map((value) => value.replace(/^(.*\/)?Patient\//, ""));
    return searchFhirDevices(reader, patientRefs.length ? patientRefs : null, count);
  },
  toFhirDevice,
);
