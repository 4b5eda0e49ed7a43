import { searchsetBundle, toFhirDevice } from "@/lib/fhir/mapping";
import { searchFhirDevices } from "@/lib/fhir/server/directory";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "@/lib/fhir/server/observation-search";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** GET /fhir/Device?patient=: devices of patients the caller may see, one page of at most _count (clamped to MAX_PAGE_SIZE). */
export async function GET(request: Request) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Device", "search")) return outcomeResponse(403, "forbidden", "The access token lacks system/Device.rs (or .read).");
    const url = new URL(request.url);
    const count = Math.min(Number(url.searchParams.get("_count") ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
    if (!Number.isInteger(count) || count < 0) return outcomeResponse(400, "invalid", `_count must be a whole number from 0 to ${MAX_PAGE_SIZE}`, "_count");
    const patientRefs = url.searchParams.getAll("patient").flatMap((value) => value.split(",")).map((value) => value.replace(/^(.*\/)?Patient\//, ""));
    const rows = await searchFhirDevices(reader, patientRefs.length ? patientRefs : null, count);
    const base = `${url.origin}/fhir`;
    return fhirResponse(searchsetBundle(rows.map((row) => ({ fullUrl: `${base}/Device/${row.id}`, resource: toFhirDevice(row), search: { mode: "match" as const } })), { links: { self: url.toString() } }));
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
