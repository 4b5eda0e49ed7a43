import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * What an alert notification says (docs/alert-notifications.md): the least health data that works
 * (PRIVACY-SECURITY.md). Severity, kind, when it began, a link to the alert in the portal and an
 * opaque patient reference; never a glucose value, never a name. Pure: the delivery worker
 * (notifications.ts) sends what these functions build.
 */

export type NotificationReason = "new" | "escalation";

export interface NotificationFacts {
  /** The outbox entry's id: the same on every retry, so a receiver can drop a repeat. */
  deliveryId: number;
  reason: NotificationReason;
  alert: { id: number; kind: string; severity: string; startedAt: Date; patientId: string };
  /** The portal's origin, e.g. https://lantern.example.org. */
  portalOrigin: string;
}

const KIND_LABELS: Record<string, string> = {
  "hypo-level-2": "level 2 low glucose",
  "hypo-extended": "extended low glucose",
  "hypo-level-1": "level 1 low glucose",
  "rapid-fall": "rapid glucose fall",
  "hyper-level-2": "level 2 high glucose",
  "hyper-level-1": "level 1 high glucose",
  "no-data": "no data from a monitored device",
};

export function alertLink(facts: Pick<NotificationFacts, "alert" | "portalOrigin">): string {
  return `${facts.portalOrigin}/alerts/${facts.alert.id}`;
}

/** The webhook's JSON body. */
export function webhookBody(facts: NotificationFacts): string {
  return JSON.stringify({
    id: String(facts.deliveryId),
    type: facts.reason === "new" ? "alert.opened" : "alert.escalated",
    alert: {
      id: String(facts.alert.id),
      kind: facts.alert.kind,
      severity: facts.alert.severity,
      startedAt: facts.alert.startedAt.toISOString(),
      url: alertLink(facts),
    },
    patient: { reference: `Patient/${facts.alert.patientId}` },
  });
}

export const SIGNATURE_HEADER = "lantern-signature";
export const TIMESTAMP_HEADER = "lantern-timestamp";
export const DELIVERY_HEADER = "lantern-delivery";

/** hex(HMAC-SHA256(secret, timestamp + "." + body)): what the signature header carries after "sha256=". */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The headers of one webhook POST, signed at `now` (Unix seconds in the timestamp header). */
export function webhookHeaders(secret: string, body: string, deliveryId: number, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    "content-type": "application/json",
    "user-agent": "Lantern-Webhook/1",
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `sha256=${webhookSignature(secret, timestamp, body)}`,
    [DELIVERY_HEADER]: String(deliveryId),
  };
}

/**
 * The receiver's side, as docs/alert-notifications.md describes it: the signature matches the raw
 * body and timestamp, and the timestamp is within `toleranceSeconds` of the receiver's clock
 * (a replayed old message is refused).
 */
export function verifyWebhook(secret: string, headers: { timestamp: string | null; signature: string | null }, rawBody: string, now: Date, toleranceSeconds = 300): boolean {
  if (!headers.timestamp || !headers.signature || !/^\d+$/.test(headers.timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(headers.timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(`sha256=${webhookSignature(secret, headers.timestamp, rawBody)}`);
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The email: no name and no value in the subject or the body, only the severity, kind and a link. */
export function alertEmail(facts: NotificationFacts): { subject: string; text: string } {
  const severity = facts.alert.severity[0]!.toUpperCase() + facts.alert.severity.slice(1);
  const kind = KIND_LABELS[facts.alert.kind] ?? facts.alert.kind;
  const subject = facts.reason === "new" ? `[Lantern] ${severity} alert` : `[Lantern] ${severity} alert not yet acknowledged`;
  const opening =
    facts.reason === "new"
      ? `A ${facts.alert.severity} alert (${kind}) opened for a patient at ${facts.alert.startedAt.toISOString()}.`
      : `A ${facts.alert.severity} alert (${kind}) that began at ${facts.alert.startedAt.toISOString()} has not been acknowledged yet.`;
  const text = [
    opening,
    "",
    `Open it in Lantern (sign-in required): ${alertLink(facts)}`,
    `Patient reference: ${facts.alert.patientId}`,
    "",
    "This message carries no glucose values or names by design; the portal shows the details.",
  ].join("\n");
  return { subject, text };
}
