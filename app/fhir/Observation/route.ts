import { toFhirDevice, toFhirObservation, toFhirPatient, searchsetBundle } from "@/lib/fhir/mapping";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { encodeCursor, parseObservationSearch, type ObservationCursor } from "@/lib/fhir/server/observation-search";
import { readFhirBody } from "@/lib/fhir/server/body";
import { createObservation } from "@/lib/fhir/server/observation-writes";
import { countObservations, devicesForInclude, searchObservations } from "@/lib/fhir/server/observations";
import { patientsByIds } from "@/lib/fhir/server/patients";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** GET /fhir/Observation?...: a searchset Bundle with keyset `next`/`previous` links (docs/fhir.md). */
export async function GET(request: Request) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Observation", "search")) return outcomeResponse(403, "forbidden", "The access token lacks system/Observation.rs (or .read).");
    const url = new URL(request.url);
    const query = parseObservationSearch(url.searchParams);
    if ("error" in query) return outcomeResponse(400, "invalid", query.error, query.parameter);

    const selfUrl = `${url.origin}${url.pathname}?${url.searchParams.toString()}`;
    if (query.summaryCount) {
      return fhirResponse(searchsetBundle([], { total: await countObservations(reader, query), links: { self: selfUrl } }));
    }

    const page = await searchObservations(reader, query);
    const linkTo = (cursor: ObservationCursor | null) => {
      if (!cursor) return undefined;
      const params = new URLSearchParams(url.searchParams);
      params.set("_cursor", encodeCursor(cursor));
      return `${url.origin}${url.pathname}?${params.toString()}`;
    };
    const base = `${url.origin}/fhir`;
    const matches = page.rows.map((row) => ({ fullUrl: `${base}/Observation/${row.id}`, resource: toFhirObservation(row, row.patientId), search: { mode: "match" as const } }));
    const includes = [];
    if (query.include.subject) {
      const subjects = await patientsByIds(reader, [...new Set(page.rows.map((row) => row.patientId))]);
      includes.push(...subjects.map((patient) => ({ fullUrl: `${base}/Patient/${patient.id}`, resource: toFhirPatient(patient, patient.organizationId), search: { mode: "include" as const } })));
    }
    if (query.include.device) {
      const deviceIds = [...new Set(page.rows.flatMap((row) => (row.deviceId ? [row.deviceId] : [])))];
      const found = await devicesForInclude(reader, deviceIds);
      includes.push(...found.map((device) => ({ fullUrl: `${base}/Device/${device.id}`, resource: toFhirDevice(device), search: { mode: "include" as const } })));
    }
    return fhirResponse(searchsetBundle([...matches, ...includes], { links: { self: selfUrl, next: linkTo(page.next), previous: linkTo(page.previous) } }));
  } catch (error) {
    return fhirErrorResponse(error);
  }
}

/** POST /fhir/Observation: glucose Observations only; conditional create with If-None-Exist. */
export async function POST(request: Request) {
  try {
    const writer = await fhirReader(request);
    if (lacksScope(writer, "Observation", "create")) return outcomeResponse(403, "forbidden", "The access token lacks system/Observation.c (or .cu, .write).");
    const { created, row } = await createObservation(writer, await readFhirBody(request), request.headers.get("if-none-exist"));
    const location = `${new URL(request.url).origin}/fhir/Observation/${row.id}/_history/${row.version}`;
    return fhirResponse(toFhirObservation(row, row.patientId), { status: created ? 201 : 200, headers: { Location: location, ETag: `W/"${row.version}"` } });
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
