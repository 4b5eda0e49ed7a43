import { createHash, randomBytes, randomInt } from "node:crypto";

/** A device or API credential: 256 random bits, with a prefix that says what it is when it leaks. */
export function generateToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** Credentials are stored only as their SHA-256 (they are random, so no salt or stretching is needed). */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function sha1Hex(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

// Typed on a meter's buttons or an app: no 0/O, 1/I/L.
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A one-time pairing code such as `K7QM-3XTR` (40 bits; valid 15 minutes, single use). */
export function generatePairingCode(): string {
  const characters = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return `${characters.slice(0, 4).join("")}-${characters.slice(4).join("")}`;
}

/** Codes are compared case-insensitively and with or without the dash. */
export function normalizePairingCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, "");
}
