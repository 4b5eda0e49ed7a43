import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { newRecoveryCode, normalizeRecoveryCode, recoveryCodeHash } from "./recovery-codes";
import { acceptedTotpStep, newTotpSecret } from "./totp";

const NOW = new Date("2026-12-03T12:00:10Z");
const STEP = Math.floor(NOW.getTime() / 30_000);
const codeAt = (secret: string, step: number) => generate({ secret, epoch: step * 30 });

describe("acceptedTotpStep", () => {
  const secret = newTotpSecret();
  it.each([
    ["the current step", 0, STEP],
    ["one step behind (typed late)", -1, STEP - 1],
    ["one step ahead (phone clock fast)", 1, STEP + 1],
    ["two steps behind", -2, null],
    ["two steps ahead", 2, null],
  ])("%s", async (_label, offset, expected) => {
    expect(await acceptedTotpStep(secret, await codeAt(secret, STEP + offset), null, NOW)).toBe(expected);
  });

  it("refuses a code of a step at or before the last one accepted (replay)", async () => {
    const code = await codeAt(secret, STEP);
    expect(await acceptedTotpStep(secret, code, STEP, NOW)).toBeNull();
    expect(await acceptedTotpStep(secret, code, STEP - 1, NOW)).toBe(STEP);
    expect(await acceptedTotpStep(secret, await codeAt(secret, STEP + 1), STEP + 1, NOW)).toBeNull();
  });

  it("ignores spaces and refuses what is not six digits", async () => {
    const code = await codeAt(secret, STEP);
    expect(await acceptedTotpStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, null, NOW)).toBe(STEP);
    expect(await acceptedTotpStep(secret, "12345", null, NOW)).toBeNull();
    expect(await acceptedTotpStep(secret, "abcdef", null, NOW)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("are 16 characters in four groups, compared without case or dashes", () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(normalizeRecoveryCode(code.toLowerCase().replaceAll("-", " "))).toBe(code.replaceAll("-", ""));
    expect(recoveryCodeHash(code.toLowerCase())).toBe(recoveryCodeHash(code));
  });
});
