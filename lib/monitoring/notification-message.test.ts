import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { alertEmail, verifyWebhook, webhookBody, webhookHeaders, type NotificationFacts } from "./notification-message";

const facts: NotificationFacts = {
  deliveryId: 17,
  reason: "new",
  alert: { id: 42, kind: "hypo-level-2", severity: "urgent", startedAt: new Date("2026-11-20T11:40:00Z"), patientId: "6a1f9e36-0d7c-4a43-9c1b-8f3e2d1c0b4a" },
  portalOrigin: "https://lantern.example.org",
};
const NOW = new Date("2026-11-20T12:00:00Z");

describe("webhook messages", () => {
  it("carry severity, kind, a link and an opaque patient reference, nothing more", () => {
    expect(JSON.parse(webhookBody(facts))).toEqual({
      id: "17",
      type: "alert.opened",
      alert: { id: "42", kind: "hypo-level-2", severity: "urgent", startedAt: "2026-11-20T11:40:00.000Z", url: "https://lantern.example.org/alerts/42" },
      patient: { reference: "Patient/6a1f9e36-0d7c-4a43-9c1b-8f3e2d1c0b4a" },
    });
    expect(JSON.parse(webhookBody({ ...facts, reason: "escalation" })).type).toBe("alert.escalated");
  });

  it("are signed as HMAC-SHA256(secret, timestamp + '.' + body), the recipe the docs give", () => {
    const body = webhookBody(facts);
    const headers = webhookHeaders("whsec_test", body, 17, NOW);
    expect(headers["lantern-timestamp"]).toBe("1795176000");
    const recipe = createHmac("sha256", "whsec_test").update(`1795176000.${body}`).digest("hex");
    expect(headers["lantern-signature"]).toBe(`sha256=${recipe}`);
    expect(headers["lantern-delivery"]).toBe("17");
  });

  it.each([
    ["the right secret, body and a fresh timestamp", "whsec_test", (body: string) => body, NOW, true],
    ["another secret", "whsec_other", (body: string) => body, NOW, false],
    ["a changed body", "whsec_test", (body: string) => body.replace("urgent", "low"), NOW, false],
    ["a timestamp older than five minutes", "whsec_test", (body: string) => body, new Date(NOW.getTime() + 301_000), false],
  ])("verify with %s: %s", (_label, secret, tamper, receivedAt, valid) => {
    const body = webhookBody(facts);
    const headers = webhookHeaders("whsec_test", body, 17, NOW);
    expect(verifyWebhook(secret, { timestamp: headers["lantern-timestamp"]!, signature: headers["lantern-signature"]! }, tamper(body), receivedAt)).toBe(valid);
  });
});

describe("email messages", () => {
  it("name no patient and carry no value, in the subject or the body", () => {
    const email = alertEmail(facts);
    expect(email.subject).toBe("[Lantern] Urgent alert");
    expect(email.text).toContain("level 2 low glucose");
    expect(email.text).toContain("https://lantern.example.org/alerts/42");
    expect(email.text).not.toMatch(/mg\/dL|mmol/);
    expect(alertEmail({ ...facts, reason: "escalation" }).subject).toBe("[Lantern] Urgent alert not yet acknowledged");
  });
});
