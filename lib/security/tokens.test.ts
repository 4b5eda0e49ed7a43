import { describe, expect, it } from "vitest";
import { generatePairingCode, generateToken, normalizePairingCode, sha1Hex, sha256Hex } from "./tokens";

describe("credentials", () => {
  it("generates distinct 256-bit tokens with their prefix", () => {
    const tokens = new Set(Array.from({ length: 100 }, () => generateToken("lnt_dev")));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^lnt_dev_[A-Za-z0-9_-]{43}$/);
  });

  it("generates readable pairing codes and normalizes what people type", () => {
    expect(generatePairingCode()).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(normalizePairingCode(" k7qm-3xtr ")).toBe("K7QM3XTR");
  });

  it.each([
    ["sha256", sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["sha1", sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d"],
  ])("%s matches the standard test vector", (_name, digest, expected) => {
    expect(digest).toBe(expected);
  });
});
