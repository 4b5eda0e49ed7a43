import { toFhirAuditEvent } from "@/lib/fhir/audit-event";
import { readAuditEvent } from "@/lib/fhir/server/audit-events";
import { fhirReadResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: 404 for an event of another organization or for anyone but a privacy officer, exactly as for a missing id. */
  async GET({ actor, params, request }) {
    const event = await readAuditEvent(actor, params.id!);
    return fhirReadResponse(request, toFhirAuditEvent(event), { lastModified: event.occurredAt });
  },
});
