import { searchsetBundle, toFhirPatient } from "@/lib/fhir/mapping";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "@/lib/fhir/server/observation-search";
import { searchFhirPatients } from "@/lib/fhir/server/patients";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** GET /fhir/Patient?_id=&identifier=&_count=: the caller's visible patients, paged by id. */
export async function GET(request: Request) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Patient", "search")) return outcomeResponse(403, "forbidden", "The access token lacks system/Patient.rs (or .read).");
    const url = new URL(request.url);
    const countRaw = url.searchParams.get("_count");
    const count = countRaw === null ? DEFAULT_PAGE_SIZE : Number(countRaw);
    if (!Number.isInteger(count) || count < 0) return outcomeResponse(400, "invalid", `_count must be a whole number from 0 to ${MAX_PAGE_SIZE}`, "_count");
    const ids = url.searchParams.getAll("_id").flatMap((value) => value.split(","));
    const { rows, more } = await searchFhirPatients(reader, {
      ids: ids.length ? ids : null,
      identifier: url.searchParams.get("identifier"),
      count: Math.min(count, MAX_PAGE_SIZE),
      afterId: url.searchParams.get("_cursor"),
    });
    const next = new URLSearchParams(url.searchParams);
    if (more) next.set("_cursor", rows.at(-1)!.id);
    const base = `${url.origin}/fhir`;
    return fhirResponse(
      searchsetBundle(
        rows.map((patient) => ({ fullUrl: `${base}/Patient/${patient.id}`, resource: toFhirPatient(patient, patient.organizationId), search: { mode: "match" as const } })),
        { links: { self: url.toString(), next: more ? `${url.origin}${url.pathname}?${next.toString()}` : undefined } },
      ),
    );
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
