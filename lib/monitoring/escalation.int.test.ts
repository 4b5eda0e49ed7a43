import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { getDb, openPostgres, type DatabaseHandle } from "@/db/client";
import { alerts, auditEvents, notificationChannels, notificationOutbox } from "@/db/schema";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { ingestForTest, insertCareTeam, insertOrganization, insertPatient, insertUser } from "@/test/factories";
import { startSmtpReceiver } from "@/test/smtp-receiver";
import { startWebhookReceiver } from "@/test/webhook-receiver";
import { sealFor } from "@/lib/security/sealed-columns";

// Real receivers, started before the configuration is read (it is parsed once per test file).
const smtp = await startSmtpReceiver();
vi.stubEnv("LANTERN_SMTP_URL", smtp.url);
vi.stubEnv("LANTERN_ESCALATION_MINUTES", "15");
const webhook = await startWebhookReceiver();
const { escalateOverdueAlerts } = await import("./escalation");
const { deliverDueNotifications } = await import("./notifications");

afterAll(async () => {
  await smtp.stop();
  await webhook.stop();
});

const MINUTE = 60_000;

function urgentLow(end: number, label: string): ReadingCandidate[] {
  return Array.from({ length: 5 }, (_, i) => ({
    position: i, value: 45, unit: "mg/dL", censored: null, effectiveAt: new Date(end - (4 - i) * 5 * MINUTE), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `${label}:${i}`,
  }));
}

/**
 * A patient in two care teams (one clinician in both, one disabled), a clinician of another team,
 * a webhook channel, and an urgent low just stored (its channel message already delivered).
 */
async function urgentAlertWithCareTeams(label: string) {
  const organizationId = (await insertOrganization()).id;
  const patientId = (await insertPatient(organizationId)).id;
  const [first, second, disabled, elsewhere] = [
    await insertUser(organizationId, "clinician"),
    await insertUser(organizationId, "clinician"),
    await insertUser(organizationId, "clinician", { disabledAt: new Date() }),
    await insertUser(organizationId, "clinician"),
  ];
  await insertCareTeam(organizationId, { clinicianUserIds: [first!.userId, disabled!.userId], patientIds: [patientId] });
  await insertCareTeam(organizationId, { clinicianUserIds: [first!.userId, second!.userId], patientIds: [patientId] });
  await insertCareTeam(organizationId, { clinicianUserIds: [elsewhere!.userId] });
  await getDb().insert(notificationChannels).values({ organizationId, kind: "webhook", name: "On-call", target: webhook.url, signingSecretSealed: sealFor("notificationChannelSigningSecret", "s") });
  await ingestForTest(patientId, urgentLow(Date.now(), label));
  await deliverDueNotifications(new Date());
  const [alert] = await getDb().select().from(alerts).where(and(eq(alerts.patientId, patientId), eq(alerts.severity, "urgent")));
  return { patientId, alert: alert!, clinicians: { first: first!, second: second!, disabled: disabled!, elsewhere: elsewhere! } };
}

const escalationsOf = (alertId: number) => getDb().select().from(notificationOutbox).where(and(eq(notificationOutbox.alertId, alertId), eq(notificationOutbox.reason, "escalation")));

describe("escalating urgent alerts nobody acknowledged", () => {
  it("waits the configured minutes, then escalates once to the channels and every active clinician of the care teams", async () => {
    const { patientId, alert, clinicians } = await urgentAlertWithCareTeams("escalate");
    // created_at has microseconds; the millisecond after it is past them.
    const opened = alert.createdAt.getTime() + 1;

    // Counts are of this alert's rows: on PostgreSQL, other test files share the database.
    await escalateOverdueAlerts(new Date(opened + 14 * MINUTE));
    expect(await escalationsOf(alert.id)).toHaveLength(0);

    expect(await escalateOverdueAlerts(new Date(opened + 15 * MINUTE))).toBeGreaterThanOrEqual(1);
    const [row] = await getDb().select().from(alerts).where(eq(alerts.id, alert.id));
    expect(row!.escalatedAt).toEqual(new Date(opened + 15 * MINUTE));
    const queued = await escalationsOf(alert.id);
    expect(queued.filter((entry) => entry.channelId !== null)).toHaveLength(1);
    expect(queued.map((entry) => entry.recipientUserId).filter(Boolean).sort()).toEqual([clinicians.first.userId, clinicians.second.userId].sort());

    // Once: later runs find it escalated.
    await escalateOverdueAlerts(new Date(opened + 60 * MINUTE));
    expect(await escalationsOf(alert.id)).toHaveLength(3);
    expect((await getDb().select().from(alerts).where(eq(alerts.id, alert.id)))[0]!.escalatedAt).toEqual(new Date(opened + 15 * MINUTE));

    const hooksBefore = webhook.messages.length;
    const mailsBefore = smtp.messages.length;
    await deliverDueNotifications(new Date(opened + 16 * MINUTE));
    expect((await escalationsOf(alert.id)).map((entry) => entry.status)).toEqual(["delivered", "delivered", "delivered"]);
    const hooks = webhook.messages.slice(hooksBefore).filter((hook) => (hook.body as { alert: { id: string } }).alert.id === String(alert.id));
    expect(hooks.map((hook) => (hook.body as { type: string }).type)).toEqual(["alert.escalated"]);
    const mails = smtp.messages.slice(mailsBefore).filter((mail) => mail.text.includes(`/alerts/${alert.id}\n`));
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual([clinicians.first.email, clinicians.second.email].sort());
    for (const mail of mails) {
      expect(mail.subject).toBe("[Lantern] Urgent alert not yet acknowledged");
      expect(mail.text).toContain(`/alerts/${alert.id}`);
      expect(mail.text).not.toMatch(/\b45\b|mg\/dL|mmol/);
    }
    const [event] = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "update"), eq(auditEvents.resourceType, "Flag"), eq(auditEvents.resourceId, String(alert.id))));
    expect(event).toMatchObject({ actorRole: "alert-monitor", patientIds: [patientId], outcome: "success" });
  });

  it("leaves acknowledged, resolved, historical and less than urgent alerts alone", async () => {
    const cases = await Promise.all(["ack", "resolved", "historical", "high"].map((label) => urgentAlertWithCareTeams(`leave-${label}`)));
    const [acknowledged, resolved, historical, high] = cases;
    await getDb().update(alerts).set({ status: "acknowledged", acknowledgedAt: new Date() }).where(eq(alerts.id, acknowledged!.alert.id));
    await getDb().update(alerts).set({ status: "resolved", resolvedAt: new Date() }).where(eq(alerts.id, resolved!.alert.id));
    await getDb().update(alerts).set({ historical: true }).where(eq(alerts.id, historical!.alert.id));
    await getDb().update(alerts).set({ severity: "high" }).where(eq(alerts.id, high!.alert.id));
    const later = new Date(Date.now() + 60 * MINUTE);
    await escalateOverdueAlerts(later);
    const ids = cases.map((entry) => entry!.alert.id);
    const rows = await getDb().select({ escalatedAt: alerts.escalatedAt }).from(alerts).where(inArray(alerts.id, ids));
    expect(rows.map((row) => row.escalatedAt)).toEqual([null, null, null, null]);
  });
});

describe.runIf(process.env.LANTERN_TEST_DATABASE === "postgres")("two server processes escalating at once", () => {
  let other: DatabaseHandle;
  beforeAll(() => {
    other = openPostgres(inject("testDatabaseUrl"));
  });
  afterAll(() => other.close());

  it("escalate each alert exactly once", async () => {
    const cases = [];
    for (let i = 0; i < 4; i++) cases.push(await urgentAlertWithCareTeams(`pair-${i}`));
    const later = new Date(Date.now() + 60 * MINUTE);
    const [first, second] = await Promise.all([escalateOverdueAlerts(later, getDb()), escalateOverdueAlerts(later, other.db)]);
    expect(first + second).toBeGreaterThanOrEqual(4);
    for (const { alert } of cases) expect(await escalationsOf(alert.id)).toHaveLength(3);
  });
});
