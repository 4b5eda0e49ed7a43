import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

/**
 * Encryption at rest of single values (docs/decisions/020-encryption-at-rest.md): AES-256-GCM
 * with a key kept outside the database. A sealed value is one line of text,
 *
 *     v1:<keyId>:<iv>:<ciphertext>:<tag>        (iv, ciphertext and tag in base64url)
 *
 * so it fits the text column the plaintext had, says which key sealed it (rotation: new values
 * use the active key, older keys still open theirs), and any change to it fails to open (the GCM
 * tag). The context (e.g. "hospital_endpoints.bearer_token") is authenticated too, so a value
 * copied into another column does not open there.
 */

export const ENVELOPE_VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** The whole envelope, anchored. The same pattern in SQL finds values still in plaintext. */
export const SEALED_PATTERN = "^v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]*:[A-Za-z0-9_-]{22}$";
const SEALED = new RegExp(SEALED_PATTERN);

export type DataKey = { id: string; key: Buffer };

/** The keys this server holds: the first seals new values, every one opens its own. */
export type DataKeyring = { active: DataKey; byId: ReadonlyMap<string, Buffer> };

/** A sealed value that does not open: changed, sealed for another context, or under a key this server lacks. */
export class SealedValueError extends Error {
  override name = "SealedValueError";
}

/**
 * Parses `id=base64key,id=base64key,...` (LANTERN_DATA_KEYS, or the data-keys file): each key 32
 * random bytes in base64 or base64url; the first is the active one.
 */
export function parseDataKeys(text: string, source: string): DataKeyring {
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error(`${source} holds no key. Write id=key pairs, e.g. ${generateDataKeyEntry()}`);
  const keys: DataKey[] = entries.map((entry) => {
    const separator = entry.indexOf("=");
    const id = separator > 0 ? entry.slice(0, separator) : "";
    if (!KEY_ID.test(id)) throw new Error(`${source}: each key is id=key, the id 1 to 32 letters, digits, - or _ (e.g. ${generateDataKeyEntry()}).`);
    const key = Buffer.from(entry.slice(separator + 1), "base64");
    if (key.length !== KEY_BYTES) throw new Error(`${source}: the key ${id} must be 32 random bytes in base64 (openssl rand -base64 32).`);
    return { id, key };
  });
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (byId.has(id)) throw new Error(`${source}: the key id ${id} appears twice; give each key its own id.`);
    byId.set(id, key);
  }
  return { active: keys[0]!, byId };
}

/** A new key as one `id=key` entry: the id says when it was made, so rotations read in order. */
export function generateDataKeyEntry(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  return `k${day}-${randomBytes(3).toString("hex")}=${randomBytes(KEY_BYTES).toString("base64")}`;
}

export function isSealed(value: string): boolean {
  return SEALED.test(value);
}

/** The id of the key that sealed `value`, or null for a value that is not sealed. */
export function sealingKeyId(value: string): string | null {
  return isSealed(value) ? value.split(":")[1]! : null;
}

export function seal(keyring: DataKeyring, context: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyring.active.key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [ENVELOPE_VERSION, keyring.active.id, iv.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join(":");
}

export function open(keyring: DataKeyring, context: string, sealed: string): string {
  if (!isSealed(sealed)) throw new SealedValueError(`A ${context} value is not sealed: run npm run admin -- data:reencrypt to seal values stored before encryption at rest.`);
  const [, keyId, iv, ciphertext, tag] = sealed.split(":") as [string, string, string, string, string];
  const key = keyring.byId.get(keyId);
  if (!key) throw new SealedValueError(`A ${context} value was sealed with the data key ${keyId}, which this server does not have: add it to LANTERN_DATA_KEYS (or the data-keys file).`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedValueError(`A ${context} value does not open with the data key ${keyId}: it was changed, or sealed for another column.`);
  }
}

/** `open` for a nullable column. */
export function openNullable(keyring: DataKeyring, context: string, sealed: string | null): string | null {
  return sealed === null ? null : open(keyring, context, sealed);
}

/**
 * A keyed hash for equality lookups of a sealed column (a blind index): HMAC-SHA256 under a key
 * derived from the data key with HKDF for this context alone, so it is neither the encryption key
 * nor shared between columns. Equal values give equal indexes; nothing else can be read from it.
 */
function indexOf(key: Buffer, context: string, value: string): string {
  const indexKey = Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), `lantern blind index ${context}`, 32));
  return createHmac("sha256", indexKey).update(value, "utf8").digest("base64url");
}

/** The blind index a value is stored with: under the active key. */
export function blindIndex(keyring: DataKeyring, context: string, value: string): string {
  return indexOf(keyring.active.key, context, value);
}

/** The blind indexes to look a value up by: one per key, so lookups work while a rotation's re-encryption runs. */
export function blindIndexLookups(keyring: DataKeyring, context: string, value: string): string[] {
  return [...keyring.byId.values()].map((key) => indexOf(key, context, value));
}
