import "server-only";
import type { Resource } from "@medplum/fhirtypes";
import type { DataReader } from "@/lib/auth/actor";
import { searchsetBundle } from "@/lib/fhir/mapping";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "./http";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./observation-search";
import { fhirReader, lacksScope } from "./reader";

type DirectoryType = "Device" | "Organization" | "Practitioner";

const missingScope = (type: DirectoryType) => outcomeResponse(403, "forbidden", `The access token lacks system/${type}.rs (or .read).`);

/** GET [type]/[id] for directory resources: 404 for anything outside the caller's view. */
export function directoryRead<Row>(type: DirectoryType, load: (reader: DataReader, id: string) => Promise<Row>, render: (row: Row) => Resource) {
  return async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    try {
      const reader = await fhirReader(request);
      if (lacksScope(reader, type, "read")) return missingScope(type);
      return fhirResponse(render(await load(reader, (await params).id)));
    } catch (error) {
      return fhirErrorResponse(error);
    }
  };
}

/** GET [type]?...: one page of at most _count (clamped to MAX_PAGE_SIZE) of what the caller may see. */
export function directorySearch<Row extends { id: string }>(
  type: DirectoryType,
  search: (reader: DataReader, params: URLSearchParams, count: number) => Promise<Row[]>,
  render: (row: Row) => Resource,
) {
  return async (request: Request) => {
    try {
      const reader = await fhirReader(request);
      if (lacksScope(reader, type, "search")) return missingScope(type);
      const url = new URL(request.url);
      const count = Number(url.searchParams.get("_count") ?? DEFAULT_PAGE_SIZE);
      if (!Number.isInteger(count) || count < 0) return outcomeResponse(400, "invalid", `_count must be a whole number from 0 to ${MAX_PAGE_SIZE}`, "_count");
      const rows = await search(reader, url.searchParams, Math.min(count, MAX_PAGE_SIZE));
      const base = `${url.origin}/fhir`;
      const entries = rows.map((row) => ({ fullUrl: `${base}/${type}/${row.id}`, resource: render(row), search: { mode: "match" as const } }));
      return fhirResponse(searchsetBundle(entries, { links: { self: url.toString() } }));
    } catch (error) {
      return fhirErrorResponse(error);
    }
  };
}
