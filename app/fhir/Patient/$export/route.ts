import { kickOffExport } from "@/lib/fhir/server/bulk-http";

/** GET /fhir/Patient/$export: every patient of the client's organization (Bulk Data kick-off). */
export function GET(request: Request) {
  return kickOffExport(request, null);
}
