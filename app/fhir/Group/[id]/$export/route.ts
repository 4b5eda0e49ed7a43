import { kickOffExport } from "@/lib/fhir/server/bulk-http";

/** GET /fhir/Group/[id]/$export: a care team's patients (a Group is a care team). */
export async function GET(request: Request, { params }: RouteContext<"/fhir/Group/[id]/$export">) {
  const { id } = await params;
  return kickOffExport(request, id);
}
