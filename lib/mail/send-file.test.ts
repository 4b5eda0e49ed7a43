import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";

const dataDir = mkdtempSync(path.join(tmpdir(), "lantern-mail-"));
vi.stubEnv("LANTERN_DATA_DIR", dataDir);
vi.stubEnv("LANTERN_SMTP_URL", undefined);
const { sendMail } = await import("./send");

describe("sendMail without an SMTP server", () => {
  it("writes the message as it would have been sent to an .eml file in the data folder", async () => {
    const receipt = await sendMail({ to: "guardian@example.org", subject: "Set your Lantern password", text: "Open https://lantern.example.org/invitations/abc" });
    expect(receipt.via).toBe("file");
    if (receipt.via !== "file") return;
    expect(path.dirname(receipt.path)).toBe(path.join(dataDir, "mail"));
    const eml = readFileSync(receipt.path, "utf8");
    expect(eml).toMatch(/^To: guardian@example.org$/m);
    expect(eml).toMatch(/^Subject: Set your Lantern password$/m);
    expect(eml).toContain("https://lantern.example.org/invitations/abc");
  });
});
