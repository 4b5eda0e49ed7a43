import { describe, expect, it } from "vitest";
import { checkPassword, codePointLength } from "./password-policy";

describe("checkPassword", () => {
  const context = { email: "maria.lopez@example.org", name: "Maria Lopez" };
  it.each([
    ["too short", "short words", /at least 15 characters \(this has 11\)/],
    ["14 code points", "ééééé ffffffff", /at least 15/],
    ["too long", "x".repeat(129), /at most 128/],
    ["common password", "passwordpassword", /commonly used/],
    ["product word padding", "lanternlantern123", /words others can guess \(lantern\)/],
    ["own name and email", "MariaLopez maria example", /words others can guess/],
    ["repetition", "aaaaaaaaaaaaaaaaaaaa", /easy to guess|commonly used/],
  ])("rejects %s with the reason", (_label, password, reason) => {
    const verdict = checkPassword(password, context);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it.each([
    ["four unrelated words", "violet tractor pebble sonnet"],
    ["64 characters", "quiet-harbour-".repeat(4) + "ornithology-zx"],
    ["unicode passphrase", "ночной трамвай идёт медленно"],
  ])("accepts %s", (_label, password) => {
    expect(checkPassword(password, context)).toEqual({ ok: true });
  });

  it("counts code points after NFKC, not UTF-16 units", () => {
    expect(codePointLength("😀😀😀")).toBe(3);
    // U+FB01 (the "fi" ligature) is one code point that NFKC turns into two letters.
    const verdict = checkPassword("\uFB01".repeat(5) + "zq", {});
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining("(this has 12)") });
  });
});
