import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/lib/config";

/** A key for one purpose, derived from AUTH_SECRET (HKDF-SHA-256): a copy of the database alone holds no usable TOTP secret. */
function derivedKey(purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret(), "lantern", purpose, 32));
}

const TOTP_KEY_PURPOSE = "totp-secret v1";

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
export function sealTotpSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(TOTP_KEY_PURPOSE), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

export function openTotpSecret(sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !ciphertext) throw new Error("A stored TOTP secret is not in the v1 sealed format.");
  const decipher = createDecipheriv("aes-256-gcm", derivedKey(TOTP_KEY_PURPOSE), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("A stored TOTP secret cannot be decrypted: AUTH_SECRET has changed since it was set up. Restore AUTH_SECRET, or have the person set up their authenticator again.");
  }
}

/** The HMAC key of the short-lived sign-in challenge between the password and the code pages. */
export function challengeKey(): Uint8Array {
  return new Uint8Array(derivedKey("sign-in challenge v1"));
}
