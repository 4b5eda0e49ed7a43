import type { Bundle, BundleEntry, Resource } from "@medplum/fhirtypes";
import { z } from "zod";
import { searchsetBundle, toFhirDevice, toFhirObservation, toFhirPatient } from "@/lib/fhir/mapping";
import type { ObservationPage } from "./observations";
import { decodeCursor, encodeCursor, isSearchError, pageUrl, parseCount, type IdPaging, type SearchError } from "./paging";

/**
 * Search results as `searchset` Bundles: matches, includes and paging links, for every type.
 * Pure: the data layer has already applied the visibility rule and written the audit event.
 */

function entry(baseUrl: string, resource: Resource & { id?: string }, mode: "match" | "include"): BundleEntry {
  return { fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`, resource, search: { mode } };
}

export function observationSearchBundle(page: ObservationPage, selfUrl: URL, baseUrl: string): Bundle {
  const entries = [
    ...page.rows.map((row) => entry(baseUrl, toFhirObservation(row, row.patientId), "match")),
    ...page.subjects.map((patient) => entry(baseUrl, toFhirPatient(patient, patient.organizationId), "include")),
    ...page.devices.map((device) => entry(baseUrl, toFhirDevice(device), "include")),
  ];
  return searchsetBundle(entries, { links: { self: selfUrl.toString(), next: pageUrl(selfUrl, page.next), previous: pageUrl(selfUrl, page.previous) } });
}

/** A count-only answer (`_summary=count`). */
export function countBundle(total: number, selfUrl: URL): Bundle {
  return searchsetBundle([], { total, links: { self: selfUrl.toString() } });
}

const idKey = z.tuple([z.uuid()]);

export function parseIdPaging(params: URLSearchParams): IdPaging | SearchError {
  const count = parseCount(params.get("_count"));
  if (isSearchError(count)) return count;
  const cursor = decodeCursor(params.get("_cursor"), idKey);
  if (isSearchError(cursor)) return cursor;
  return { count, afterId: cursor?.key[0] ?? null };
}

/** One page of an id-ordered search: `rows` holds up to `count + 1` rows, the extra one says there is a next page. */
export function idPagedBundle<Row extends { id: string }>(rows: readonly Row[], paging: IdPaging, render: (row: Row) => Resource, selfUrl: URL, baseUrl: string): Bundle {
  const page = rows.slice(0, paging.count);
  const more = rows.length > paging.count;
  const next = more && page.length ? encodeCursor("after", [page.at(-1)!.id]) : null;
  return searchsetBundle(
    page.map((row) => entry(baseUrl, render(row), "match")),
    { links: { self: selfUrl.toString(), next: pageUrl(selfUrl, next) } },
  );
}
