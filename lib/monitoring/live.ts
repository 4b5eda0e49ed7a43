import "server-only";
import { databaseHandle, type DatabaseHandle } from "@/db/client";
import type { Actor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { logUnexpected } from "@/lib/log";
import { findVisibleAlert, type AlertItem } from "./inbox";
import { ALERTS_CHANNEL } from "./live-channel";

/**
 * New alerts as they happen, and escalations (docs/decisions/009-alerts-inbox-live-channel.md). The
 * write path NOTIFYs `lantern_alerts` with `{ alertId, patientId }` when a transaction that opened
 * a live alert commits, in whichever server process took the readings; the escalation job with
 * `{ alertId, patientId, reason: "escalation" }` when an urgent alert went unacknowledged too long. Each process LISTENs once and
 * fans the announcements out to its subscribers; each subscriber's actor is checked again for
 * every alert (findVisibleAlert: permission, the visibility rule, audited as a read), so nobody
 * is told of a patient they may not see, even if their care teams changed since they connected.
 */

/** Why an alert is announced: it is new, or it went unacknowledged past LANTERN_ESCALATION_MINUTES. */
export type AnnouncementReason = "new" | "escalation";

interface Announcement {
  alertId: number;
  patientId: string;
  reason: AnnouncementReason;
}

type Subscriber = (announcement: Announcement) => void;

interface Hub {
  subscribers: Set<Subscriber>;
  listening: Promise<unknown> | null;
}

// One hub per database handle (tests install their own), kept across Next.js module graphs.
const globalForHubs = globalThis as typeof globalThis & { lanternAlertHubs?: WeakMap<DatabaseHandle, Hub> };

function hubOf(handle: DatabaseHandle): Hub {
  globalForHubs.lanternAlertHubs ??= new WeakMap();
  let hub = globalForHubs.lanternAlertHubs.get(handle);
  if (!hub) {
    hub = { subscribers: new Set(), listening: null };
    globalForHubs.lanternAlertHubs.set(handle, hub);
  }
  return hub;
}

function parseAnnouncement(payload: string): Announcement | null {
  try {
    const parsed = JSON.parse(payload) as Partial<Announcement>;
    if (!Number.isSafeInteger(parsed.alertId) || typeof parsed.patientId !== "string") return null;
    return { alertId: parsed.alertId!, patientId: parsed.patientId, reason: parsed.reason === "escalation" ? "escalation" : "new" };
  } catch {
    return null;
  }
}

async function listening(handle: DatabaseHandle, hub: Hub): Promise<void> {
  hub.listening ??= handle
    .listen(ALERTS_CHANNEL, (payload) => {
      const announcement = parseAnnouncement(payload);
      if (!announcement) return;
      for (const subscriber of hub.subscribers) subscriber(announcement);
    })
    .catch((error: unknown) => {
      // The next subscriber tries again.
      hub.listening = null;
      throw error;
    });
  await hub.listening;
}

/**
 * Calls `onAlert` with each new live alert the actor may see, and each escalated one (with the
 * reason), from the moment the returned promise resolves until the returned function is called.
 */
export async function subscribeToAlerts(actor: Actor, onAlert: (alert: AlertItem, reason: AnnouncementReason) => void): Promise<() => void> {
  assertCan(actor, "alert:search", "alert");
  const handle = databaseHandle();
  const hub = hubOf(handle);
  let open = true;
  const subscriber: Subscriber = ({ alertId, reason }) => {
    findVisibleAlert(actor, alertId).then(
      (alert) => {
        if (alert && open) onAlert(alert, reason);
      },
      (error: unknown) => logUnexpected("alerts-live", actor.origin.requestId, error),
    );
  };
  hub.subscribers.add(subscriber);
  try {
    await listening(handle, hub);
  } catch (error) {
    hub.subscribers.delete(subscriber);
    throw error;
  }
  return () => {
    open = false;
    hub.subscribers.delete(subscriber);
  };
}
