import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { hospitalEndpoints, patients, pushOutbox } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { AccessDenied } from "@/lib/errors";
import { assertOutboundAllowed } from "@/lib/security/outbound";
import { sealFor } from "@/lib/security/sealed-columns";
import { invalidFields, parseInput } from "@/lib/validation";

export const hospitalEndpointSchema = z.object({
  name: z.string().trim().min(1, "Name the hospital system").max(200),
  baseUrl: z
    .url({ message: "Enter the FHIR base URL, e.g. https://fhir.hospital.example/r4" })
    .refine((url) => url.startsWith("https://") || /^http:\/\/(localhost|127\.0\.0\.1)(:|\/)/.test(url), "Use https (plain http only for localhost)"),
  bearerToken: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().max(4000).optional()),
});

/**
 * An admin configures where the organization's new readings are pushed: a grant of access, audited.
 * The host must be on the deployment's outbound allowlist (lib/security/outbound.ts).
 */
export async function createHospitalEndpoint(actor: UserActor, input: unknown): Promise<{ endpointId: string }> {
  assertCan(actor, "hospitalEndpoint:manage");
  const form = parseInput(hospitalEndpointSchema, input);
  try {
    assertOutboundAllowed(form.baseUrl);
  } catch (error) {
    throw invalidFields({ baseUrl: [(error as Error).message] });
  }
  return audited(actor, { action: "grant", resourceType: "Endpoint", purpose: "administration" }, async (tx, trail) => {
    const [endpoint] = await tx
      .insert(hospitalEndpoints)
      .values({ organizationId: actor.organizationId, name: form.name, baseUrl: form.baseUrl.replace(/\/+$/, ""), bearerTokenSealed: form.bearerToken ? sealFor("hospitalEndpointBearerToken", form.bearerToken) : null })
      .returning({ id: hospitalEndpoints.id });
    trail.resourceId = endpoint!.id;
    return { endpointId: endpoint!.id };
  });
}

export async function listHospitalEndpoints(actor: UserActor) {
  assertCan(actor, "hospitalEndpoint:manage");
  return getDb()
    .select({
      id: hospitalEndpoints.id,
      name: hospitalEndpoints.name,
      baseUrl: hospitalEndpoints.baseUrl,
      enabled: hospitalEndpoints.enabled,
      pending: sql<number>`(select count(*)::int from push_outbox o where o.endpoint_id = hospital_endpoints.id and o.status = 'pending')`,
      dead: sql<number>`(select count(*)::int from push_outbox o where o.endpoint_id = hospital_endpoints.id and o.status = 'dead')`,
    })
    .from(hospitalEndpoints)
    .where(eq(hospitalEndpoints.organizationId, actor.organizationId));
}

/** The dead-letter list: deliveries that failed too often, with the last error (no health data). */
export async function listDeadPushes(actor: UserActor) {
  assertCan(actor, "hospitalEndpoint:manage");
  return getDb()
    .select({ id: pushOutbox.id, endpoint: hospitalEndpoints.name, patientId: pushOutbox.patientId, readings: sql<number>`cardinality(${pushOutbox.readingIds})`, attempts: pushOutbox.attempts, lastError: pushOutbox.lastError, createdAt: pushOutbox.createdAt })
    .from(pushOutbox)
    .innerJoin(hospitalEndpoints, eq(hospitalEndpoints.id, pushOutbox.endpointId))
    .innerJoin(patients, eq(patients.id, pushOutbox.patientId))
    .where(and(eq(pushOutbox.status, "dead"), eq(hospitalEndpoints.organizationId, actor.organizationId)))
    .orderBy(desc(pushOutbox.id));
}

/** Puts a dead delivery back in line, to be tried at once. */
export async function replayPush(actor: UserActor, outboxId: number): Promise<void> {
  assertCan(actor, "hospitalEndpoint:manage");
  await audited(actor, { action: "update", resourceType: "Endpoint", purpose: "administration" }, async (tx, trail) => {
    trail.resourceId = String(outboxId);
    const [updated] = await tx
      .update(pushOutbox)
      .set({ status: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: null })
      .where(
        and(
          eq(pushOutbox.id, outboxId),
          eq(pushOutbox.status, "dead"),
          sql`${pushOutbox.endpointId} in (select id from hospital_endpoints where organization_id = ${actor.organizationId})`,
        ),
      )
      .returning({ id: pushOutbox.id, patientId: pushOutbox.patientId });
    if (!updated) throw new AccessDenied("delivery");
    trail.touch(updated.patientId);
  });
}
