import { asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { getDb, openPostgres, type DatabaseHandle } from "@/db/client";
import { alerts, auditEvents, notificationChannels, notificationOutbox } from "@/db/schema";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { ingestForTest, insertOrganization, insertPatient } from "@/test/factories";
import { startSmtpReceiver } from "@/test/smtp-receiver";
import { startWebhookReceiver } from "@/test/webhook-receiver";
import { sealFor } from "@/lib/security/sealed-columns";

// Real receivers, started before the configuration is read (it is parsed once per test file).
const smtp = await startSmtpReceiver();
vi.stubEnv("LANTERN_SMTP_URL", smtp.url);
vi.stubEnv("LANTERN_PUBLIC_URL", "https://lantern.example.org");
const webhook = await startWebhookReceiver();
const { deliverDueNotifications, MAX_ATTEMPTS } = await import("./notifications");

afterAll(async () => {
  await smtp.stop();
  await webhook.stop();
});

const MINUTE = 60_000;
const SECRET = "whsec_integration_test_secret";

/** 20 minutes of CGM readings at 45 mg/dL ending `end`: one urgent level 2 low. */
function urgentLow(end: number, label: string): ReadingCandidate[] {
  return Array.from({ length: 5 }, (_, i) => ({
    position: i,
    value: 45,
    unit: "mg/dL",
    censored: null,
    effectiveAt: new Date(end - (4 - i) * 5 * MINUTE),
    utcOffsetMinutes: 0,
    specimen: "interstitial",
    dedupeKey: `${label}:${i}`,
  }));
}

/** An organization with a signed webhook and an email channel, and one of its patients. */
async function organizationWithChannels() {
  const organizationId = (await insertOrganization()).id;
  const patientId = (await insertPatient(organizationId)).id;
  await getDb()
    .insert(notificationChannels)
    .values([
      { organizationId, kind: "webhook", name: "On-call system", target: webhook.url, signingSecretSealed: sealFor("notificationChannelSigningSecret", SECRET) },
      { organizationId, kind: "email", name: "Ward desk", target: `ward-${organizationId.slice(0, 8)}@example.org` },
    ]);
  return { organizationId, patientId };
}

const aboutPatient = (patientId: string) => (hook: { body: unknown }) => (hook.body as { patient: { reference: string } }).patient.reference === `Patient/${patientId}`;

async function outboxOf(patientId: string) {
  const ids = (await getDb().select({ id: alerts.id }).from(alerts).where(eq(alerts.patientId, patientId))).map((row) => row.id);
  return getDb().select().from(notificationOutbox).where(inArray(notificationOutbox.alertId, ids)).orderBy(asc(notificationOutbox.id));
}

describe("delivering alert notifications to an organization's channels", () => {
  it("posts a signed webhook and sends an email, each once, with no glucose value and no name", async () => {
    const { patientId } = await organizationWithChannels();
    const now = Date.now();
    await ingestForTest(patientId, urgentLow(now, "once"), new Date(now));
    const sendAt = Date.now();
    const queued = await outboxOf(patientId);
    expect(queued.map((entry) => entry.status)).toEqual(["pending", "pending"]);

    const webhooksBefore = webhook.messages.length;
    const mailsBefore = smtp.messages.length;
    // Counts are of this patient's entries and messages: on PostgreSQL, other test files share the database.
    await deliverDueNotifications(new Date(sendAt));
    await deliverDueNotifications(new Date(sendAt + MINUTE));

    const hooks = webhook.messages.slice(webhooksBefore).filter(aboutPatient(patientId));
    expect(hooks).toHaveLength(1);
    const [hook] = hooks;
    expect(webhook.verify(hook!, SECRET)).toBe(true);
    expect(webhook.verify(hook!, "another-secret")).toBe(false);
    const [alert] = await getDb().select().from(alerts).where(eq(alerts.patientId, patientId));
    expect(hook!.body).toEqual({
      id: String(queued[0]!.id),
      type: "alert.opened",
      alert: { id: String(alert!.id), kind: "hypo-level-2", severity: "urgent", startedAt: alert!.startedAt.toISOString(), url: `https://lantern.example.org/alerts/${alert!.id}` },
      patient: { reference: `Patient/${patientId}` },
    });
    expect(hook!.headers.delivery).toBe(String(queued[0]!.id));
    expect(hook!.rawBody).not.toMatch(/\b45\b|mg\/dL/);

    const mails = smtp.messages.slice(mailsBefore).filter((mail) => mail.text.includes(patientId));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("[Lantern] Urgent alert");
    expect(mails[0]!.text).toContain(`https://lantern.example.org/alerts/${alert!.id}`);
    expect(mails[0]!.text).not.toMatch(/\b45\b|mg\/dL|mmol/);

    expect((await outboxOf(patientId)).map((entry) => [entry.status, entry.attempts])).toEqual([
      ["delivered", 1],
      ["delivered", 1],
    ]);
    const disclosures = await getDb().select().from(auditEvents).where(eq(auditEvents.resourceId, String(alert!.id)));
    expect(disclosures.filter((event) => event.action === "disclose")).toEqual([
      expect.objectContaining({ actorRole: "alert-monitor", patientIds: [patientId], outcome: "success" }),
      expect.objectContaining({ actorRole: "alert-monitor", patientIds: [patientId], outcome: "success" }),
    ]);
  });

  it("loses nothing while the webhook receiver is down, and delivers everything when it is back", async () => {
    const { patientId } = await organizationWithChannels();
    const now = Date.now();
    await webhook.stop();
    await ingestForTest(patientId, urgentLow(now, "down"), new Date(now));
    const sendAt = Date.now();
    await deliverDueNotifications(new Date(sendAt));
    const [hookEntry, mailEntry] = await outboxOf(patientId);
    expect(hookEntry).toMatchObject({ status: "pending", attempts: 1, lastError: "The webhook's server could not be reached" });
    expect(hookEntry!.nextAttemptAt.getTime()).toBe(sendAt + 2000);
    expect(mailEntry!.status).toBe("delivered");

    // Not yet due: the backoff holds it back.
    await deliverDueNotifications(new Date(sendAt + 1000));
    expect((await outboxOf(patientId))[0]!.attempts).toBe(1);
    await webhook.start();
    const before = webhook.messages.length;
    await deliverDueNotifications(new Date(sendAt + 2000));
    expect(webhook.messages.slice(before).filter(aboutPatient(patientId))).toHaveLength(1);
    expect((await outboxOf(patientId))[0]).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
  });

  it("gives up after MAX_ATTEMPTS, leaving a dead entry with the reason", async () => {
    const { patientId } = await organizationWithChannels();
    const now = Date.now();
    webhook.answerWith(503);
    try {
      await ingestForTest(patientId, urgentLow(now, "dead"), new Date(now));
      let clock = Date.now();
      for (let attempt = 0; attempt < MAX_ATTEMPTS + 2; attempt++) {
        await deliverDueNotifications(new Date(clock));
        clock += 3_600_000;
      }
    } finally {
      webhook.answerWith(204);
    }
    expect((await outboxOf(patientId))[0]).toMatchObject({ status: "dead", attempts: MAX_ATTEMPTS, lastError: "The webhook answered HTTP 503" });
  });

  it("does not send to a channel disabled after the entry was queued: dead at once, for an admin to replay", async () => {
    const { organizationId, patientId } = await organizationWithChannels();
    const now = Date.now();
    await ingestForTest(patientId, urgentLow(now, "disabled"), new Date(now));
    await getDb().update(notificationChannels).set({ enabled: false }).where(eq(notificationChannels.organizationId, organizationId));
    const before = webhook.messages.length;
    await deliverDueNotifications(new Date(Date.now()));
    expect(webhook.messages.slice(before).filter(aboutPatient(patientId))).toHaveLength(0);
    expect((await outboxOf(patientId)).map((entry) => [entry.status, entry.lastError])).toEqual([
      ["dead", "The channel is disabled"],
      ["dead", "The channel is disabled"],
    ]);
  });
});

describe.runIf(process.env.LANTERN_TEST_DATABASE === "postgres")("two server processes delivering one outbox", () => {
  // Each "process" has its own connection pool, as two `next start` processes would.
  let other: DatabaseHandle;
  beforeAll(() => {
    other = openPostgres(inject("testDatabaseUrl"));
  });
  afterAll(() => other.close());

  it("deliver each message exactly once", async () => {
    const patients = [];
    for (let i = 0; i < 6; i++) patients.push((await organizationWithChannels()).patientId);
    const now = Date.now();
    for (const [i, patientId] of patients.entries()) await ingestForTest(patientId, urgentLow(now, `pair-${i}`), new Date(now));
    const hooksBefore = webhook.messages.length;
    const mailsBefore = smtp.messages.length;
    const sendAt = new Date();

    await Promise.all([deliverDueNotifications(sendAt, 50, getDb()), deliverDueNotifications(sendAt, 50, other.db)]);
    for (const patientId of patients) {
      expect((await outboxOf(patientId)).map((entry) => entry.status)).toEqual(["delivered", "delivered"]);
      expect(webhook.messages.slice(hooksBefore).filter(aboutPatient(patientId))).toHaveLength(1);
      expect(smtp.messages.slice(mailsBefore).filter((mail) => mail.text.includes(patientId))).toHaveLength(1);
    }
  });
});
