import { createPublicKey } from "node:crypto";

/**
 * Checks of the public keys an admin registers for a backend client. Pure (node:crypto only
 * parses the key to prove it is one): no I/O. SMART Backend Services signs client assertions
 * with RS384 or ES384, so a key set holds RSA keys (2048 bits or more) or EC keys on P-384, each
 * with a `kid` the assertion names. Private key material is refused: the hospital system keeps
 * its private key and Lantern only ever needs the public half.
 */

export const ASSERTION_ALGORITHMS = ["RS384", "ES384"] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];

export const MAX_JWKS_CHARACTERS = 64_000;
const MAX_KEYS = 10;
const MIN_RSA_BITS = 2048;
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

export interface PublicJwk {
  kty: "RSA" | "EC";
  kid: string;
  alg?: AssertionAlgorithm;
  use?: "sig";
  key_ops?: string[];
  n?: string;
  e?: string;
  crv?: "P-384";
  x?: string;
  y?: string;
}

export interface PublicJwks {
  keys: PublicJwk[];
}

export type JwksVerdict = { ok: true; jwks: PublicJwks } | { ok: false; message: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Parses pasted JSON as a JWK Set of public signing keys, or says what to fix. */
export function parseJwksText(text: string): JwksVerdict {
  if (text.length > MAX_JWKS_CHARACTERS) return { ok: false, message: `The key set is longer than ${MAX_JWKS_CHARACTERS} characters; paste only the public keys.` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'This is not valid JSON. Paste the JWK Set, like {"keys": [{"kty": "EC", "crv": "P-384", ...}]}.' };
  }
  return checkJwks(value);
}

export function checkJwks(value: unknown): JwksVerdict {
  if (!isObject(value)) return { ok: false, message: 'Paste a JWK Set: a JSON object like {"keys": [...]}.' };
  if (!("keys" in value) && "kty" in value) {
    if (PRIVATE_MEMBERS.some((member) => member in value)) return { ok: false, message: privateKeyMessage("The key") };
    return { ok: false, message: 'This is a single key; wrap it in a JWK Set: {"keys": [ your public key ]}.' };
  }
  if (!Array.isArray(value.keys) || value.keys.length === 0) return { ok: false, message: 'The JWK Set needs a "keys" array with at least one public key.' };
  if (value.keys.length > MAX_KEYS) return { ok: false, message: `The JWK Set has ${value.keys.length} keys; register at most ${MAX_KEYS}.` };
  const keys: PublicJwk[] = [];
  for (const [index, key] of value.keys.entries()) {
    const checked = checkKey(key, `Key ${index + 1}`);
    if (typeof checked === "string") return { ok: false, message: checked };
    if (keys.some((other) => other.kid === checked.kid)) return { ok: false, message: `Two keys share the kid "${checked.kid}"; each key needs its own kid.` };
    keys.push(checked);
  }
  return { ok: true, jwks: { keys } };
}

function privateKeyMessage(which: string): string {
  return `${which} contains private key material. Paste only the PUBLIC key set; the private key stays on the system that signs (for example, remove "d", "p", "q", "dp", "dq" and "qi").`;
}

/** One key: the public members kept, or the sentence saying what is wrong with it. */
function checkKey(key: unknown, which: string): PublicJwk | string {
  if (!isObject(key)) return `${which} is not a JSON object.`;
  if (PRIVATE_MEMBERS.some((member) => member in key)) return privateKeyMessage(which);
  const { kty, kid, alg, use, key_ops: keyOps } = key;
  if (kty !== "RSA" && kty !== "EC") return `${which} has key type ${JSON.stringify(kty ?? null)}; use an RSA key (RS384) or an EC P-384 key (ES384).`;
  if (typeof kid !== "string" || kid.trim() === "" || kid.length > 200) return `${which} needs a "kid" (key id): the client names it in the header of each assertion.`;
  const expectedAlg: AssertionAlgorithm = kty === "RSA" ? "RS384" : "ES384";
  if (alg !== undefined && alg !== expectedAlg) return `${which} ("${kid}") declares alg ${JSON.stringify(alg)}; a ${kty} key here signs with ${expectedAlg}.`;
  if (use !== undefined && use !== "sig") return `${which} ("${kid}") has "use": ${JSON.stringify(use)}; a signing key has "use": "sig" or no "use".`;
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.every((op) => typeof op === "string") && keyOps.includes("verify"))) {
    return `${which} ("${kid}") has "key_ops" without "verify".`;
  }
  if (kty === "EC" && key.crv !== "P-384") return `${which} ("${kid}") is on curve ${JSON.stringify(key.crv ?? null)}; ES384 needs an EC key on P-384.`;
  const members = kty === "RSA" ? (["n", "e"] as const) : (["x", "y"] as const);
  for (const member of members) {
    if (typeof key[member] !== "string" || !/^[A-Za-z0-9_-]+$/.test(key[member])) return `${which} ("${kid}") needs "${member}" as a base64url string.`;
  }
  const publicJwk: PublicJwk =
    kty === "RSA"
      ? { kty, kid, n: key.n as string, e: key.e as string }
      : { kty, kid, crv: "P-384", x: key.x as string, y: key.y as string };
  try {
    const parsed = createPublicKey({ key: { ...publicJwk }, format: "jwk" });
    const bits = parsed.asymmetricKeyDetails?.modulusLength;
    if (kty === "RSA" && (bits ?? 0) < MIN_RSA_BITS) return `${which} ("${kid}") is a ${bits}-bit RSA key; use at least ${MIN_RSA_BITS} bits.`;
  } catch {
    return `${which} ("${kid}") is not a valid ${kty} public key.`;
  }
  return {
    ...publicJwk,
    ...(alg !== undefined ? { alg: expectedAlg } : {}),
    ...(use !== undefined ? { use: "sig" as const } : {}),
    ...(Array.isArray(keyOps) ? { key_ops: keyOps as string[] } : {}),
  };
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A JWKS URL must be https; plain http only on this machine (for development). */
export function checkJwksUrl(text: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "Enter the full URL of the key set, like https://ehr.example.org/.well-known/jwks.json." };
  }
  if (url.username || url.password) return { ok: false, message: "The URL must not contain a user name or password." };
  if (url.protocol === "https:" || (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname))) return { ok: true, url: url.toString() };
  return { ok: false, message: "The key set URL must use https (http is accepted only for localhost)." };
}
