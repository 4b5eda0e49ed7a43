import "server-only";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "@/db/client";
import { alerts, notificationChannels, notificationOutbox, users } from "@/db/schema";
import { internalOrigin, type SystemActor } from "@/lib/access/actor";
import { recordAudit } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { startPeriodicJob } from "@/lib/periodic";
import { sendMail } from "@/lib/mail/send";
import { assertOutboundAllowed } from "@/lib/security/outbound";
import { SealedValueError } from "@/lib/security/data-encryption";
import { openFrom } from "@/lib/security/sealed-columns";
import { alertEmail, webhookBody, webhookHeaders, type NotificationFacts, type NotificationReason } from "./notification-message";

/**
 * Delivery of the notification outbox (docs/alert-notifications.md): entries are written in the
 * transaction that opens or escalates an alert, and delivered here by a worker in every server
 * process. Each entry is claimed with SKIP LOCKED and its row lock held while it is sent, so two
 * processes never send one entry twice; messages about one patient to one destination leave in
 * the order they were written; a failure is retried with backoff, and after
 * MAX_ATTEMPTS the entry is dead, listed for the organization's admins to replay.
 */

export const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_SECONDS = 300;
const WEBHOOK_TIMEOUT_MS = 10_000;

export function backoffSeconds(attempts: number): number {
  return Math.min(2 ** attempts, MAX_BACKOFF_SECONDS);
}

/** Where links in notifications point: LANTERN_PUBLIC_URL, else this server on localhost. */
export function portalOrigin(): string {
  return environment().LANTERN_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? "3000"}`;
}

/**
 * A delivery that failed, with a sentence for the admin (never the message or a value). A
 * permanent one (a disabled channel or account) will not heal by waiting: dead at once.
 */
class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/** The webhook's signing key, opened for this delivery; a value that does not open fails the delivery with the reason (retried: a missing key can be added). */
function signingSecretOf(sealed: string | null): string {
  if (sealed === null) return "";
  try {
    return openFrom("notificationChannelSigningSecret", sealed);
  } catch (error) {
    if (error instanceof SealedValueError) throw new DeliveryFailure(error.message);
    throw error;
  }
}

async function postWebhook(url: string, secret: string, facts: NotificationFacts, now: Date): Promise<void> {
  // Checked again at each delivery: an allowlist narrowed since the channel was added stops it at
  // once, before any connection. Not permanent: the entry waits for the operator to widen it again.
  try {
    assertOutboundAllowed(url);
  } catch (error) {
    throw new DeliveryFailure((error as Error).message);
  }
  const body = webhookBody(facts);
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: webhookHeaders(secret, body, facts.deliveryId, now), body, redirect: "manual", signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
  } catch {
    throw new DeliveryFailure("The webhook's server could not be reached");
  }
  await response.body?.cancel();
  if (response.status < 200 || response.status > 299) throw new DeliveryFailure(`The webhook answered HTTP ${response.status}`);
}

async function email(to: string, facts: NotificationFacts): Promise<void> {
  try {
    await sendMail({ to, ...alertEmail(facts) });
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    throw new DeliveryFailure(code ? `The mail server refused the message (SMTP ${code})` : "The mail server could not be reached");
  }
}

type Outcome = "idle" | "delivered" | "failed";

async function deliverOne(tx: Transaction, now: Date): Promise<Outcome> {
  const [item] = await tx
    .select()
    .from(notificationOutbox)
    .where(
      and(
        eq(notificationOutbox.status, "pending"),
        lte(notificationOutbox.nextAttemptAt, now),
        // In order per destination and patient: a later message waits while an earlier one about
        // the same patient to the same channel or person is still being retried (a dead one is
        // the admins' to replay, and holds back no alarm).
        sql`not exists (select 1 from notification_outbox earlier join alerts earlier_alert on earlier_alert.id = earlier.alert_id
          where earlier.id < ${notificationOutbox.id} and earlier.status = 'pending'
            and earlier.channel_id is not distinct from ${notificationOutbox.channelId}
            and earlier.recipient_user_id is not distinct from ${notificationOutbox.recipientUserId}
            and earlier_alert.patient_id = (select patient_id from alerts where alerts.id = ${notificationOutbox.alertId}))`,
      ),
    )
    .orderBy(asc(notificationOutbox.id))
    .limit(1)
    .for("update", { skipLocked: true });
  if (!item) return "idle";
  const [alert] = await tx
    .select({ id: alerts.id, kind: alerts.kind, severity: alerts.severity, startedAt: alerts.startedAt, patientId: alerts.patientId })
    .from(alerts)
    .where(eq(alerts.id, item.alertId));
  const [channel] = item.channelId ? await tx.select().from(notificationChannels).where(eq(notificationChannels.id, item.channelId)) : [];
  const [recipient] = item.recipientUserId
    ? await tx.select({ email: users.email, organizationId: users.organizationId, disabledAt: users.disabledAt }).from(users).where(eq(users.id, item.recipientUserId))
    : [];
  const organizationId = channel?.organizationId ?? recipient?.organizationId ?? "";
  const facts: NotificationFacts = { deliveryId: item.id, reason: item.reason as NotificationReason, alert: alert!, portalOrigin: portalOrigin() };
  // Each message about a patient leaving the server is a disclosure, on record with its outcome.
  const job: SystemActor = { kind: "system", job: "alert-monitor", organizationId, origin: internalOrigin() };
  const disclosure = { action: "disclose", resourceType: "Flag", resourceId: String(item.alertId), patientIds: [alert!.patientId], purpose: "care" } as const;
  const attempts = item.attempts + 1;
  try {
    if (channel) {
      if (!channel.enabled) throw new DeliveryFailure("The channel is disabled", true);
      if (channel.kind === "webhook") await postWebhook(channel.target, signingSecretOf(channel.signingSecretSealed), facts, now);
      else await email(channel.target, facts);
    } else if (recipient) {
      if (recipient.disabledAt) throw new DeliveryFailure("The recipient's account is disabled", true);
      await email(recipient.email, facts);
    } else {
      throw new DeliveryFailure("The channel or recipient no longer exists", true);
    }
    await tx.update(notificationOutbox).set({ status: "delivered", deliveredAt: now, attempts, lastError: null }).where(eq(notificationOutbox.id, item.id));
    await recordAudit(tx, job, { ...disclosure, outcome: "success" });
    return "delivered";
  } catch (error) {
    if (!(error instanceof DeliveryFailure)) throw error;
    await tx
      .update(notificationOutbox)
      .set({
        attempts,
        status: error.permanent || attempts >= MAX_ATTEMPTS ? "dead" : "pending",
        nextAttemptAt: new Date(now.getTime() + backoffSeconds(attempts) * 1000),
        lastError: error.message,
      })
      .where(eq(notificationOutbox.id, item.id));
    await recordAudit(tx, job, { ...disclosure, outcome: "failure" });
    return "failed";
  }
}

/**
 * Delivers due outbox entries, oldest first, up to `limit`. `db` is the process's database (two
 * pools in the tests stand for two server processes). Returns how many were delivered.
 */
export async function deliverDueNotifications(now = new Date(), limit = 50, db: Database = getDb()): Promise<number> {
  let delivered = 0;
  for (let i = 0; i < limit; i++) {
    const outcome = await db.transaction((tx) => deliverOne(tx, now));
    if (outcome === "idle") break;
    if (outcome === "delivered") delivered++;
  }
  return delivered;
}

/** Started once per server process; the database decides who sends what. */
export function startNotificationWorker(intervalMs = 2000): void {
  startPeriodicJob("notifications", intervalMs, deliverDueNotifications);
}
