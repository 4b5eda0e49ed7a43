import { describe, expect, it } from "vitest";
import { blindIndex, blindIndexLookups, generateDataKeyEntry, isSealed, open, openNullable, parseDataKeys, SealedValueError, seal, sealingKeyId } from "./data-encryption";

const first = parseDataKeys(generateDataKeyEntry(), "test");
const CONTEXT = "hospital_endpoints.bearer_token";

/** Replaces one base64url character of the envelope's part `index` (2 iv, 3 ciphertext, 4 tag). */
function flipCharacter(sealed: string, index: number): string {
  const parts = sealed.split(":");
  const part = parts[index]!;
  parts[index] = (part[0] === "A" ? "B" : "A") + part.slice(1);
  return parts.join(":");
}

describe("the sealed envelope", () => {
  it.each(["a bearer token", "", "Zoë O'Brien-Łukasiewicz 🩸", "x".repeat(4000)])("opens what it sealed: %j", (plaintext) => {
    const sealed = seal(first, CONTEXT, plaintext);
    expect(sealed).toMatch(/^v1:k\d{8}-[0-9a-f]{6}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]*:[A-Za-z0-9_-]{22}$/);
    expect(isSealed(sealed)).toBe(true);
    expect(sealingKeyId(sealed)).toBe(first.active.id);
    expect(open(first, CONTEXT, sealed)).toBe(plaintext);
  });

  it("seals the same value differently each time (a fresh IV) and never holds it in clear", () => {
    const [a, b] = [seal(first, CONTEXT, "secret-token"), seal(first, CONTEXT, "secret-token")];
    expect(a).not.toBe(b);
    expect(a).not.toContain("secret-token");
    expect(Buffer.from(a.split(":")[3]!, "base64url").toString("utf8")).not.toContain("secret");
  });

  it.each([
    ["the IV", 2],
    ["the ciphertext", 3],
    ["the tag", 4],
  ])("refuses a value whose %s was changed", (_part, index) => {
    const tampered = flipCharacter(seal(first, CONTEXT, "secret-token"), index);
    expect(() => open(first, CONTEXT, tampered)).toThrow(SealedValueError);
    expect(() => open(first, CONTEXT, tampered)).toThrow(/was changed, or sealed for another column/);
  });

  it("refuses a value copied into another column (the context is authenticated)", () => {
    const sealed = seal(first, CONTEXT, "secret-token");
    expect(() => open(first, "notification_channels.signing_secret", sealed)).toThrow(/was changed, or sealed for another column/);
  });

  it("refuses plaintext with what to run", () => {
    expect(() => open(first, CONTEXT, "a token stored before encryption")).toThrow(/is not sealed: run npm run admin -- data:reencrypt/);
    expect(isSealed("a token stored before encryption")).toBe(false);
    expect(sealingKeyId("v1:abc")).toBeNull();
  });

  it("passes null through for nullable columns", () => {
    expect(openNullable(first, CONTEXT, null)).toBeNull();
  });
});

describe("key rotation", () => {
  const second = parseDataKeys(generateDataKeyEntry(new Date("2027-06-01T00:00:00Z")), "test");
  const rotated = parseDataKeys(`${second.active.id}=${second.active.key.toString("base64")},${first.active.id}=${first.active.key.toString("base64")}`, "test");

  it("seals new values with the first key listed and still opens values of the older ones", () => {
    const old = seal(first, CONTEXT, "old value");
    const fresh = seal(rotated, CONTEXT, "new value");
    expect(sealingKeyId(fresh)).toBe(second.active.id);
    expect(second.active.id).toMatch(/^k20270601-/);
    expect(open(rotated, CONTEXT, old)).toBe("old value");
    expect(open(rotated, CONTEXT, fresh)).toBe("new value");
  });

  it("names a key it does not have", () => {
    const fresh = seal(rotated, CONTEXT, "new value");
    expect(() => open(first, CONTEXT, fresh)).toThrow(new RegExp(`sealed with the data key ${second.active.id}, which this server does not have`));
  });
});

describe("parsing the keys", () => {
  const key = Buffer.alloc(32, 7).toString("base64");

  it("reads id=key pairs separated by commas or lines, base64 or base64url", () => {
    const keyring = parseDataKeys(`2026-12=${key}\n 2026-01=${Buffer.alloc(32, 9).toString("base64url")} ,`, "LANTERN_DATA_KEYS");
    expect(keyring.active.id).toBe("2026-12");
    expect([...keyring.byId.keys()]).toEqual(["2026-12", "2026-01"]);
  });

  it.each([
    ["nothing", "", /holds no key/],
    ["a key without an id", key, /each key is id=key/],
    ["an id with a colon", `a:b=${key}`, /each key is id=key/],
    ["a short key", `k1=${Buffer.alloc(16, 1).toString("base64")}`, /the key k1 must be 32 random bytes/],
    ["the same id twice", `k1=${key},k1=${key}`, /the key id k1 appears twice/],
  ])("refuses %s with a sentence naming the source", (_what, text, message) => {
    expect(() => parseDataKeys(text, "LANTERN_DATA_KEYS")).toThrow(message);
    expect(() => parseDataKeys(text, "LANTERN_DATA_KEYS")).toThrow(/LANTERN_DATA_KEYS/);
  });
});

describe("the blind index", () => {
  const other = parseDataKeys(generateDataKeyEntry(), "test");
  const both = { active: other.active, byId: new Map([...other.byId, ...first.byId]) };
  const MRN = "patients.medical_record_number";

  it("is the same for the same value, key and column, and reveals nothing of the value", () => {
    expect(blindIndex(first, MRN, "DEMO-0001")).toBe(blindIndex(first, MRN, "DEMO-0001"));
    expect(blindIndex(first, MRN, "DEMO-0001")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(blindIndex(first, MRN, "DEMO-0001")).not.toBe(blindIndex(first, MRN, "DEMO-0002"));
  });

  it("differs between columns and between keys (a key of its own, derived for each column)", () => {
    expect(blindIndex(first, MRN, "DEMO-0001")).not.toBe(blindIndex(first, "users.email", "DEMO-0001"));
    expect(blindIndex(first, MRN, "DEMO-0001")).not.toBe(blindIndex(other, MRN, "DEMO-0001"));
  });

  it("looks a value up under every key, so values indexed before a rotation are found", () => {
    const lookups = blindIndexLookups(both, MRN, "DEMO-0001");
    expect(lookups).toHaveLength(2);
    expect(lookups).toContain(blindIndex(first, MRN, "DEMO-0001"));
    expect(lookups).toContain(blindIndex(both, MRN, "DEMO-0001"));
  });
});
