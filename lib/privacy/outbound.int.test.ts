import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alerts, hospitalEndpoints, notificationChannels, notificationOutbox, pushOutbox } from "@/db/schema";
import { createHospitalEndpoint } from "@/lib/fhir/push/endpoints";
import { deliverDuePushes } from "@/lib/fhir/push/outbox";
import { createNotificationChannel } from "@/lib/monitoring/channels";
import { deliverDueNotifications } from "@/lib/monitoring/notifications";
import { ingestForTest, insertOrganization, insertPatient, insertUser } from "@/test/factories";
import { sealFor } from "@/lib/security/sealed-columns";

describe("hospital endpoints outside the outbound allowlist (default: this machine only)", () => {
  it("cannot be added, with a sentence on the field", async () => {
    const organization = await insertOrganization();
    const admin = await insertUser(organization.id, "admin");
    await expect(createHospitalEndpoint(admin, { name: "Far away", baseUrl: "https://fhir.elsewhere.example/r4" })).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { baseUrl: [expect.stringMatching(/fhir\.elsewhere\.example is not on this deployment's outbound allowlist/)] },
    });
    await expect(createHospitalEndpoint(admin, { name: "Here", baseUrl: "http://127.0.0.1:9/fhir" })).resolves.toMatchObject({ endpointId: expect.any(String) });
  });

  it("receive nothing if one is already stored: the delivery is refused before any connection, with the reason", async () => {
    const organization = await insertOrganization();
    const patientId = (await insertPatient(organization.id)).id;
    const [endpoint] = await getDb().insert(hospitalEndpoints).values({ organizationId: organization.id, name: "Stored earlier", baseUrl: "https://fhir.elsewhere.example/r4" }).returning();
    await ingestForTest(patientId, [{ position: 0, value: 120, unit: "mg/dL", censored: null, effectiveAt: new Date("2026-11-30T10:00:00Z"), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: "allowlist:1" }]);
    await deliverDuePushes();
    const [entry] = await getDb().select().from(pushOutbox).where(eq(pushOutbox.endpointId, endpoint!.id));
    expect(entry).toMatchObject({ status: "pending", attempts: 1, deliveredAt: null, lastError: expect.stringMatching(/not on this deployment's outbound allowlist/) });
  });
});

describe("alert webhooks outside the outbound allowlist (default: this machine only)", () => {
  it("cannot be added, with a sentence on the URL field; a local one and an email address can", async () => {
    const admin = await insertUser((await insertOrganization()).id, "admin");
    await expect(createNotificationChannel(admin, { kind: "webhook", name: "Far away", target: "https://oncall.elsewhere.example/lantern" })).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { target: ["oncall.elsewhere.example is not on this deployment's outbound allowlist, so Lantern will not send data there. Ask the operator to add it with its region to LANTERN_OUTBOUND_ALLOWLIST (e.g. oncall.elsewhere.example=UK)."] },
    });
    await expect(createNotificationChannel(admin, { kind: "webhook", name: "Here", target: "http://127.0.0.1:9/hook" })).resolves.toMatchObject({ channelId: expect.any(String) });
    // The allowlist is about hosts Lantern connects to; email goes through the deployment's own mail server.
    await expect(createNotificationChannel(admin, { kind: "email", name: "Desk", target: "desk@elsewhere.example" })).resolves.toMatchObject({ channelId: expect.any(String) });
  });

  it("are sent nothing if one is already stored: the delivery is refused before any connection, with the reason, and retried later", async () => {
    const organizationId = (await insertOrganization()).id;
    const patientId = (await insertPatient(organizationId)).id;
    const [channel] = await getDb()
      .insert(notificationChannels)
      .values({ organizationId, kind: "webhook", name: "Stored earlier", target: "https://oncall.elsewhere.example/lantern", signingSecretSealed: sealFor("notificationChannelSigningSecret", "s") })
      .returning();
    const now = Date.now();
    const urgentLow = Array.from({ length: 5 }, (_, i) => ({
      position: i, value: 45, unit: "mg/dL" as const, censored: null, effectiveAt: new Date(now - (4 - i) * 5 * 60_000), utcOffsetMinutes: 0, specimen: "interstitial" as const, dedupeKey: `allowlist-webhook:${i}`,
    }));
    await ingestForTest(patientId, urgentLow, new Date(now));
    expect(await getDb().select({ id: alerts.id }).from(alerts).where(eq(alerts.patientId, patientId))).not.toHaveLength(0);
    // Queued at the database clock, just after `now`: deliver a minute later.
    await deliverDueNotifications(new Date(now + 60_000));
    const [entry] = await getDb().select().from(notificationOutbox).where(eq(notificationOutbox.channelId, channel!.id));
    expect(entry).toMatchObject({ status: "pending", attempts: 1, deliveredAt: null, lastError: expect.stringMatching(/^oncall\.elsewhere\.example is not on this deployment's outbound allowlist/) });
  });
});
