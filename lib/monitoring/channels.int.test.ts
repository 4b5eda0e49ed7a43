import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, notificationChannels, notificationOutbox } from "@/db/schema";
import { isAppError, type AppError } from "@/lib/errors";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { ingestForTest, insertOrganization, insertPatient, insertUser, type InsertedUser } from "@/test/factories";
import { startWebhookReceiver } from "@/test/webhook-receiver";
import { createNotificationChannel, deleteNotificationChannel, listFailedNotifications, listNotificationChannels, replayNotification, setNotificationChannelEnabled } from "./channels";
import { deliverDueNotifications, MAX_ATTEMPTS } from "./notifications";

const MINUTE = 60_000;
const webhook = await startWebhookReceiver();
afterAll(() => webhook.stop());

function urgentLow(end: number, label: string): ReadingCandidate[] {
  return Array.from({ length: 5 }, (_, i) => ({
    position: i, value: 45, unit: "mg/dL", censored: null, effectiveAt: new Date(end - (4 - i) * 5 * MINUTE), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `${label}:${i}`,
  }));
}

const fieldErrors = (error: unknown) => (isAppError(error, "invalid_input") ? (error as AppError).fieldErrors : error);

describe("an admin manages the organization's notification channels", () => {
  let admin: InsertedUser;
  let organizationId: string;
  beforeAll(async () => {
    organizationId = (await insertOrganization()).id;
    admin = await insertUser(organizationId, "admin");
  });

  it("adds a webhook with a signing secret returned once, and an email address, both audited", async () => {
    const hook = await createNotificationChannel(admin, { kind: "webhook", name: "On-call", target: "https://localhost:8443/lantern" });
    expect(hook.signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const mail = await createNotificationChannel(admin, { kind: "email", name: "Ward desk", target: "ward@example.org" });
    expect(mail.signingSecret).toBeNull();
    const channels = await listNotificationChannels(admin);
    expect(channels).toEqual([
      { id: hook.channelId, kind: "webhook", name: "On-call", target: "https://localhost:8443/lantern", enabled: true, pending: 0, dead: 0 },
      { id: mail.channelId, kind: "email", name: "Ward desk", target: "ward@example.org", enabled: true, pending: 0, dead: 0 },
    ]);
    // The list never carries the secret.
    expect(JSON.stringify(channels)).not.toContain("whsec_");
    const events = await getDb().select().from(auditEvents).where(and(eq(auditEvents.resourceType, "NotificationChannel"), eq(auditEvents.actorId, admin.userId)));
    expect(events.map((event) => [event.action, event.resourceId, event.outcome])).toEqual([
      ["grant", hook.channelId, "success"],
      ["grant", mail.channelId, "success"],
    ]);
  });

  it.each([
    [{ kind: "webhook", name: "Hook", target: "http://oncall.example.org/lantern" }, "target", "Use https (plain http only for localhost)"],
    [{ kind: "webhook", name: "Hook", target: "not a url" }, "target", "Enter the webhook's URL, e.g. https://oncall.hospital.example/lantern"],
    [{ kind: "email", name: "Desk", target: "ward at example" }, "target", "Enter an email address, e.g. ward7@hospital.example"],
    [{ kind: "email", name: " ", target: "ward@example.org" }, "name", "Name the channel, e.g. Ward 7 on-call"],
    [{ kind: "pager", name: "Pager", target: "123" }, "kind", "Choose a webhook or an email address"],
  ])("refuses %o with a sentence on %s", async (input, field, message) => {
    const error = await createNotificationChannel(admin, input).catch((e: unknown) => e);
    expect(fieldErrors(error)).toMatchObject({ [field]: [message] });
  });

  it("accepts plain http to localhost (a receiver on the same machine)", async () => {
    await expect(createNotificationChannel(admin, { kind: "webhook", name: "Local", target: "http://127.0.0.1:9999/hook" })).resolves.toBeTruthy();
  });

  it("disables, enables and deletes its own channels; another organization's admin and a clinician get nothing", async () => {
    const { channelId } = await createNotificationChannel(admin, { kind: "email", name: "Temporary", target: "temp@example.org" });
    await setNotificationChannelEnabled(admin, channelId, false);
    expect((await listNotificationChannels(admin)).find((channel) => channel.id === channelId)?.enabled).toBe(false);
    await setNotificationChannelEnabled(admin, channelId, true);

    const stranger = await insertUser((await insertOrganization()).id, "admin");
    expect(isAppError(await setNotificationChannelEnabled(stranger, channelId, false).catch((e: unknown) => e), "not_found")).toBe(true);
    expect(isAppError(await deleteNotificationChannel(stranger, channelId).catch((e: unknown) => e), "not_found")).toBe(true);
    expect(isAppError(await deleteNotificationChannel(admin, "not-a-uuid").catch((e: unknown) => e), "not_found")).toBe(true);
    expect(await listNotificationChannels(stranger)).toEqual([]);
    const clinician = await insertUser(organizationId, "clinician");
    expect(isAppError(await listNotificationChannels(clinician).catch((e: unknown) => e))).toBe(true);

    await deleteNotificationChannel(admin, channelId);
    expect((await listNotificationChannels(admin)).map((channel) => channel.id)).not.toContain(channelId);
  });
});

describe("failed deliveries", () => {
  it("are listed for the organization's admins, who replay them once the receiver answers", async () => {
    const organizationId = (await insertOrganization()).id;
    const admin = await insertUser(organizationId, "admin");
    const { channelId, signingSecret } = await createNotificationChannel(admin, { kind: "webhook", name: "Flaky", target: webhook.url });
    const patientId = (await insertPatient(organizationId)).id;
    webhook.answerWith(500);
    try {
      await ingestForTest(patientId, urgentLow(Date.now(), "replay"));
      let clock = Date.now();
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        await deliverDueNotifications(new Date(clock));
        clock += 3_600_000;
      }
    } finally {
      webhook.answerWith(204);
    }
    const failed = await listFailedNotifications(admin);
    expect(failed).toEqual([expect.objectContaining({ reason: "new", channel: "Flaky", recipient: null, patientId, attempts: MAX_ATTEMPTS, lastError: "The webhook answered HTTP 500" })]);
    expect((await listNotificationChannels(admin))[0]).toMatchObject({ pending: 0, dead: 1 });

    const stranger = await insertUser((await insertOrganization()).id, "admin");
    expect(await listFailedNotifications(stranger)).toEqual([]);
    expect(isAppError(await replayNotification(stranger, failed[0]!.id).catch((e: unknown) => e), "not_found")).toBe(true);

    const before = webhook.messages.length;
    await replayNotification(admin, failed[0]!.id);
    await deliverDueNotifications(new Date(Date.now() + 1000));
    expect(webhook.messages.length).toBe(before + 1);
    expect(webhook.verify(webhook.messages.at(-1)!, signingSecret!)).toBe(true);
    expect(await listFailedNotifications(admin)).toEqual([]);
    const [entry] = await getDb().select().from(notificationOutbox).where(eq(notificationOutbox.channelId, channelId));
    expect(entry).toMatchObject({ status: "delivered", attempts: 1 });
    const [replayed] = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "update"), eq(auditEvents.resourceType, "NotificationChannel"), eq(auditEvents.actorId, admin.userId)));
    expect(replayed).toMatchObject({ resourceId: String(failed[0]!.id), patientIds: [patientId], outcome: "success" });
  });

  it("deleting a channel takes its queue with it", async () => {
    const organizationId = (await insertOrganization()).id;
    const admin = await insertUser(organizationId, "admin");
    const { channelId } = await createNotificationChannel(admin, { kind: "email", name: "Soon gone", target: "gone@example.org" });
    await ingestForTest((await insertPatient(organizationId)).id, urgentLow(Date.now(), "deleted"));
    expect(await getDb().select().from(notificationOutbox).where(eq(notificationOutbox.channelId, channelId))).toHaveLength(1);
    await deleteNotificationChannel(admin, channelId);
    expect(await getDb().select().from(notificationOutbox).where(eq(notificationOutbox.channelId, channelId))).toHaveLength(0);
    expect(await getDb().select().from(notificationChannels).where(eq(notificationChannels.id, channelId))).toHaveLength(0);
  });
});
