import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { hospitalEndpoints, patients, pushOutbox } from "@/db/schema";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

export const hospitalEndpointSchema = z.object({
  name: z.string().trim().min(1, "Name the hospital system").max(200),
  baseUrl: z
    .url({ message: "Enter the FHIR base URL, e.g. https://fhir.hospital.example/r4" })
    .refine((url) => url.startsWith("https://") || /^http:\/\/(localhost|127\.0\.0\.1)(:|\/)/.test(url), "Use https (plain http only for localhost)"),
  bearerToken: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().max(4000).optional()),
});

/** An admin configures where the organization's new readings are pushed. */
export async function createHospitalEndpoint(actor: Actor, input: unknown): Promise<{ endpointId: string }> {
  assertCan(actor, "backendClient:manage");
  const form = parseInput(hospitalEndpointSchema, input);
  const [endpoint] = await getDb()
    .insert(hospitalEndpoints)
    .values({ organizationId: actor.organizationId, name: form.name, baseUrl: form.baseUrl.replace(/\/+$/, ""), bearerToken: form.bearerToken ?? null })
    .returning({ id: hospitalEndpoints.id });
  return { endpointId: endpoint!.id };
}

export async function listHospitalEndpoints(actor: Actor) {
  assertCan(actor, "backendClient:manage");
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
export async function listDeadPushes(actor: Actor) {
  assertCan(actor, "backendClient:manage");
  return getDb()
    .select({ id: pushOutbox.id, endpoint: hospitalEndpoints.name, patientId: pushOutbox.patientId, readings: sql<number>`cardinality(${pushOutbox.readingIds})`, attempts: pushOutbox.attempts, lastError: pushOutbox.lastError, createdAt: pushOutbox.createdAt })
    .from(pushOutbox)
    .innerJoin(hospitalEndpoints, eq(hospitalEndpoints.id, pushOutbox.endpointId))
    .innerJoin(patients, eq(patients.id, pushOutbox.patientId))
    .where(and(eq(pushOutbox.status, "dead"), eq(hospitalEndpoints.organizationId, actor.organizationId)))
    .orderBy(desc(pushOutbox.id));
}

/** Puts a dead delivery back in line, to be tried at once. */
export async function replayPush(actor: Actor, outboxId: number): Promise<void> {
  assertCan(actor, "backendClient:manage");
  const [updated] = await getDb()
    .update(pushOutbox)
    .set({ status: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: null })
    .where(
      and(
        eq(pushOutbox.id, outboxId),
        eq(pushOutbox.status, "dead"),
        sql`${pushOutbox.endpointId} in (select id from hospital_endpoints where organization_id = ${actor.organizationId})`,
      ),
    )
    .returning({ id: pushOutbox.id });
  if (!updated) throw notFound("delivery");
}
