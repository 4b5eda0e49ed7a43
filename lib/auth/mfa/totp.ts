import { generateSecret, generateURI, verify } from "otplib";

/** RFC 6238 as every authenticator app speaks it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
/** One step either side of the server's clock: a phone a little fast or slow, a code typed late. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

/** A new shared secret (160 random bits, Base32) for an authenticator app. */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, accountName: string): string {
  return generateURI({ issuer: "Lantern", label: accountName, secret });
}

/** A code as typed: spaces and dashes ignored. */
export function normalizeTotpCode(code: string): string {
  return code.replace(/[\s-]/g, "");
}

export function looksLikeTotpCode(code: string): boolean {
  return /^\d{6}$/.test(normalizeTotpCode(code));
}

/**
 * The time step a code belongs to when it is right for `secret` now (within one step either side)
 * and later than `afterStep`, the step of the last code accepted; otherwise null. Refusing every
 * step up to the last accepted one is what keeps a code from being used twice (RFC 6238 5.2).
 */
export async function acceptedTotpStep(secret: string, code: string, afterStep: number | null, now: Date): Promise<number | null> {
  const token = normalizeTotpCode(code);
  if (!/^\d{6}$/.test(token)) return null;
  const currentStep = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
  // otplib refuses (throws on) an afterTimeStep beyond the window; such a step refuses every code anyway.
  if (afterStep !== null && afterStep >= currentStep + 1) return null;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}
