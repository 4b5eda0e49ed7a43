import { randomInt } from "node:crypto";
import { sha256Hex } from "@/lib/security/tokens";

export const RECOVERY_CODE_COUNT = 10;
// Read from paper and typed: no 0/O, 1/I/L.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** One recovery code such as `K7QM-3XTR-PW2A-9HCD`: 16 characters, about 79 random bits. */
export function newRecoveryCode(): string {
  const characters = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8, 12].map((start) => characters.slice(start, start + 4).join("")).join("-");
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/** Compared without case, spaces or dashes. */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

export function looksLikeRecoveryCode(code: string): boolean {
  return normalizeRecoveryCode(code).length === 16;
}

/** Stored as their SHA-256: random enough that neither salt nor stretching is needed. */
export function recoveryCodeHash(code: string): string {
  return sha256Hex(normalizeRecoveryCode(code));
}
