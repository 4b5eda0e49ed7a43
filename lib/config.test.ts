import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dataKeysFromFile, parseEnvironment } from "./config";

describe("LANTERN_PUBLIC_URL", () => {
  it.each([
    [undefined, undefined],
    ["https://lantern.example.org", "https://lantern.example.org"],
    ["https://lantern.example.org/", "https://lantern.example.org"],
    ["HTTPS://Lantern.Example.org:443", "https://lantern.example.org"],
    ["http://localhost:3000", "http://localhost:3000"],
    ["https://lantern.example.org:8443", "https://lantern.example.org:8443"],
  ])("%s is the origin %s", (value, origin) => {
    expect(parseEnvironment({ LANTERN_PUBLIC_URL: value }).LANTERN_PUBLIC_URL).toBe(origin);
  });

  it.each([
    ["a path, which the server's routes do not have", "https://lantern.example.org/lantern"],
    ["a query", "https://lantern.example.org/?a=1"],
    ["a fragment", "https://lantern.example.org/#top"],
    ["credentials", "https://user:secret@lantern.example.org"],
    ["another scheme", "ftp://lantern.example.org"],
    ["no scheme", "lantern.example.org"],
    ["nothing", ""],
  ])("refuses %s with a sentence naming the variable", (_what, value) => {
    expect(() => parseEnvironment({ LANTERN_PUBLIC_URL: value })).toThrow(/LANTERN_PUBLIC_URL must be the site's address/);
  });
});

describe("LANTERN_DIGITAL_CONSENT_AGE", () => {
  it.each([
    [undefined, 16],
    ["EU", 16],
    ["UK", 13],
    ["us", 13],
    ["14", 14],
  ])("%s is %s years", (value, years) => {
    expect(parseEnvironment({ LANTERN_DIGITAL_CONSENT_AGE: value }).LANTERN_DIGITAL_CONSENT_AGE).toBe(years);
  });

  it.each(["12", "17", "15.5", "FR"])("refuses %s with what to write instead", (value) => {
    expect(() => parseEnvironment({ LANTERN_DIGITAL_CONSENT_AGE: value })).toThrow(/LANTERN_DIGITAL_CONSENT_AGE must be UK, EU, US or a whole number of years from 13 to 16/);
  });
});

describe("LANTERN_PROXY_REVIEW_AGES", () => {
  it.each([
    [undefined, [11, 16]],
    ["16, 11", [11, 16]],
    ["12", [12]],
    ["11,11,14", [11, 14]],
  ])("%s is %o", (value, ages) => {
    expect(parseEnvironment({ LANTERN_PROXY_REVIEW_AGES: value }).LANTERN_PROXY_REVIEW_AGES).toEqual(ages);
  });

  it.each(["18", "0", "eleven", "11;16", "11.5"])("refuses %s with what to write instead", (value) => {
    expect(() => parseEnvironment({ LANTERN_PROXY_REVIEW_AGES: value })).toThrow(/LANTERN_PROXY_REVIEW_AGES must be whole years under 18 separated by commas, e.g. 11,16/);
  });
});

describe("LANTERN_DATA_KEYS", () => {
  const key = Buffer.alloc(32, 7).toString("base64");

  it("is the keyring, the first key sealing", () => {
    const keyring = parseEnvironment({ LANTERN_DATA_KEYS: `new=${key},old=${Buffer.alloc(32, 8).toString("base64")}` }).LANTERN_DATA_KEYS!;
    expect(keyring.active.id).toBe("new");
    expect([...keyring.byId.keys()]).toEqual(["new", "old"]);
    expect(parseEnvironment({}).LANTERN_DATA_KEYS).toBeUndefined();
  });

  it("refuses a malformed key with what to write instead", () => {
    expect(() => parseEnvironment({ LANTERN_DATA_KEYS: "k1=short" })).toThrow(/LANTERN_DATA_KEYS: the key k1 must be 32 random bytes in base64 \(openssl rand -base64 32\)/);
  });
});

describe("the data-keys file (embedded mode, or LANTERN_DATA_KEYS unset)", () => {
  it("is generated on first use, readable by its owner only, and the same key afterwards", () => {
    const folder = mkdtempSync(path.join(tmpdir(), "lantern-keys-"));
    try {
      const file = path.join(folder, "nested", "data-keys");
      const first = dataKeysFromFile(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(first.active.key).toHaveLength(32);
      const again = dataKeysFromFile(file);
      expect(again.active.id).toBe(first.active.id);
      expect(again.active.key.equals(first.active.key)).toBe(true);
      expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
