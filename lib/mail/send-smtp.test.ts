import { afterAll, describe, expect, it, vi } from "vitest";
import { startSmtpReceiver } from "@/test/smtp-receiver";

// A real SMTP server, started before the configuration is read (it is parsed once per test file).
const receiver = await startSmtpReceiver();
vi.stubEnv("LANTERN_SMTP_URL", receiver.url);
vi.stubEnv("LANTERN_MAIL_FROM", "Lantern Test <lantern@example.org>");
const { sendMail } = await import("./send");

afterAll(() => receiver.stop());

describe("sendMail with LANTERN_SMTP_URL", () => {
  it("delivers the message to the SMTP server, from the configured sender", async () => {
    const receipt = await sendMail({ to: "clinician@example.org", subject: "An alert needs you", text: "Open https://lantern.example.org/alerts/42" });
    expect(receipt.via).toBe("smtp");
    const [message] = await receiver.waitFor(1);
    expect(message).toEqual({ from: "lantern@example.org", to: ["clinician@example.org"], subject: "An alert needs you", text: "Open https://lantern.example.org/alerts/42\n" });
  });
});
