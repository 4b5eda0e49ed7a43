import { describe, expect, it } from "vitest";
import { securityTxt } from "./security-txt";

describe("securityTxt", () => {
  it("names the contact, expires within a year, and says where it lives", () => {
    const text = securityTxt({ contact: "mailto:security@clinic.example", now: new Date("2026-12-03T13:00:00Z"), canonicalUrl: "https://lantern.example/.well-known/security.txt" });
    expect(text).toBe(
      "Contact: mailto:security@clinic.example\nExpires: 2027-01-02T00:00:00Z\nPreferred-Languages: en\nCanonical: https://lantern.example/.well-known/security.txt\n",
    );
  });

  it("leaves Canonical out when the public address is not configured", () => {
    expect(securityTxt({ contact: "https://clinic.example/security", now: new Date("2026-12-03T13:00:00Z"), canonicalUrl: null })).not.toContain("Canonical");
  });
});
