import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { alerts, notificationChannels, notificationOutbox, users } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { AccessDenied } from "@/lib/errors";
import { assertOutboundAllowed } from "@/lib/security/outbound";
import { sealFor } from "@/lib/security/sealed-columns";
import { invalidFields, parseInput } from "@/lib/validation";

/**
 * The organization's notification channels (docs/alert-notifications.md), managed by its admins:
 * signed webhooks and email addresses that hear of urgent alerts, and the deliveries that failed.
 * Adding a channel is a grant of access to alert facts, audited like any other. A webhook's host
 * must be on the deployment's outbound allowlist (lib/security/outbound.ts), here and again at
 * each delivery (lib/monitoring/notifications.ts).
 */

const webhookUrl = z
  .url({ message: "Enter the webhook's URL, e.g. https://oncall.hospital.example/lantern" })
  .refine((url) => url.startsWith("https://") || /^http:\/\/(localhost|127\.0\.0\.1)(:|\/)/.test(url), "Use https (plain http only for localhost)");
const emailAddress = z.email({ message: "Enter an email address, e.g. ward7@hospital.example" });

export const notificationChannelSchema = z
  .object({
    kind: z.enum(["webhook", "email"], { message: "Choose a webhook or an email address" }),
    name: z.string().trim().min(1, "Name the channel, e.g. Ward 7 on-call").max(200),
    target: z.string().trim().max(2000),
  })
  .superRefine((form, context) => {
    const check = (form.kind === "webhook" ? webhookUrl : emailAddress).safeParse(form.target);
    if (!check.success) context.addIssue({ code: "custom", path: ["target"], message: check.error.issues[0]!.message });
  });

/** A webhook's signing secret: 256 random bits, shown to the admin once. */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** Adds a channel; a webhook's signing secret is returned here and never shown again. */
export async function createNotificationChannel(actor: UserActor, input: unknown): Promise<{ channelId: string; signingSecret: string | null }> {
  assertCan(actor, "notificationChannel:manage");
  const form = parseInput(notificationChannelSchema, input);
  if (form.kind === "webhook") {
    try {
      assertOutboundAllowed(form.target);
    } catch (error) {
      throw invalidFields({ target: [(error as Error).message] });
    }
  }
  return audited(actor, { action: "grant", resourceType: "NotificationChannel", purpose: "administration" }, async (tx, trail) => {
    const signingSecret = form.kind === "webhook" ? newSigningSecret() : null;
    const [channel] = await tx
      .insert(notificationChannels)
      .values({ organizationId: actor.organizationId, kind: form.kind, name: form.name, target: form.target, signingSecretSealed: signingSecret && sealFor("notificationChannelSigningSecret", signingSecret) })
      .returning({ id: notificationChannels.id });
    trail.resourceId = channel!.id;
    return { channelId: channel!.id, signingSecret };
  });
}

export async function listNotificationChannels(actor: UserActor) {
  assertCan(actor, "notificationChannel:manage");
  return getDb()
    .select({
      id: notificationChannels.id,
      kind: notificationChannels.kind,
      name: notificationChannels.name,
      target: notificationChannels.target,
      enabled: notificationChannels.enabled,
      pending: sql<number>`(select count(*)::int from notification_outbox o where o.channel_id = notification_channels.id and o.status = 'pending')`,
      dead: sql<number>`(select count(*)::int from notification_outbox o where o.channel_id = notification_channels.id and o.status = 'dead')`,
    })
    .from(notificationChannels)
    .where(eq(notificationChannels.organizationId, actor.organizationId))
    .orderBy(notificationChannels.createdAt);
}

const ownChannel = (actor: UserActor, channelId: string) =>
  and(eq(notificationChannels.id, channelId), eq(notificationChannels.organizationId, actor.organizationId));

/** Pauses or resumes a channel: a disabled one is sent nothing (what was queued for it waits among the failed deliveries). */
export async function setNotificationChannelEnabled(actor: UserActor, channelId: string, enabled: boolean): Promise<{ name: string }> {
  assertCan(actor, "notificationChannel:manage");
  const id = z.uuid().safeParse(channelId);
  return audited(actor, { action: enabled ? "grant" : "revoke", resourceType: "NotificationChannel", purpose: "administration" }, async (tx, trail) => {
    if (!id.success) throw new AccessDenied("channel");
    trail.resourceId = id.data;
    const [updated] = await tx.update(notificationChannels).set({ enabled }).where(ownChannel(actor, id.data)).returning({ name: notificationChannels.name });
    if (!updated) throw new AccessDenied("channel");
    return updated;
  });
}

/** Removes a channel with its queue and delivery history (the audit trail keeps each delivery's event). */
export async function deleteNotificationChannel(actor: UserActor, channelId: string): Promise<{ name: string }> {
  assertCan(actor, "notificationChannel:manage");
  const id = z.uuid().safeParse(channelId);
  return audited(actor, { action: "revoke", resourceType: "NotificationChannel", purpose: "administration" }, async (tx, trail) => {
    if (!id.success) throw new AccessDenied("channel");
    trail.resourceId = id.data;
    const [channel] = await tx.select({ id: notificationChannels.id, name: notificationChannels.name }).from(notificationChannels).where(ownChannel(actor, id.data)).for("update");
    if (!channel) throw new AccessDenied("channel");
    await tx.delete(notificationOutbox).where(eq(notificationOutbox.channelId, channel.id));
    await tx.delete(notificationChannels).where(eq(notificationChannels.id, channel.id));
    return { name: channel.name };
  });
}

/** Entries of this organization: to one of its channels, or to one of its clinicians (escalation email). */
const ofOrganization = (organizationId: string) =>
  or(
    sql`${notificationOutbox.channelId} in (select id from notification_channels where organization_id = ${organizationId})`,
    sql`${notificationOutbox.recipientUserId} in (select id from users where organization_id = ${organizationId})`,
  );

/** The dead letters: deliveries that failed too often or went to a disabled channel, with the last error (no health data). */
export async function listFailedNotifications(actor: UserActor) {
  assertCan(actor, "notificationChannel:manage");
  return getDb()
    .select({
      id: notificationOutbox.id,
      alertId: notificationOutbox.alertId,
      patientId: alerts.patientId,
      reason: notificationOutbox.reason,
      channel: notificationChannels.name,
      recipient: users.displayName,
      attempts: notificationOutbox.attempts,
      lastError: notificationOutbox.lastError,
      createdAt: notificationOutbox.createdAt,
    })
    .from(notificationOutbox)
    .innerJoin(alerts, eq(alerts.id, notificationOutbox.alertId))
    .leftJoin(notificationChannels, eq(notificationChannels.id, notificationOutbox.channelId))
    .leftJoin(users, eq(users.id, notificationOutbox.recipientUserId))
    .where(and(eq(notificationOutbox.status, "dead"), ofOrganization(actor.organizationId)))
    .orderBy(desc(notificationOutbox.id));
}

/** Puts a dead delivery back in line, to be tried at once. */
export async function replayNotification(actor: UserActor, outboxId: number): Promise<void> {
  assertCan(actor, "notificationChannel:manage");
  await audited(actor, { action: "update", resourceType: "NotificationChannel", purpose: "administration" }, async (tx, trail) => {
    trail.resourceId = String(outboxId);
    const [updated] = await tx
      .update(notificationOutbox)
      .set({ status: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: null })
      .where(and(eq(notificationOutbox.id, outboxId), eq(notificationOutbox.status, "dead"), ofOrganization(actor.organizationId)))
      .returning({ alertId: notificationOutbox.alertId });
    if (!updated) throw new AccessDenied("delivery");
    const [alert] = await tx.select({ patientId: alerts.patientId }).from(alerts).where(eq(alerts.id, updated.alertId));
    trail.touch(alert!.patientId);
  });
}
