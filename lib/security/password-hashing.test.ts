import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./password-hashing";

describe("argon2id password hashing", () => {
  it("hashes with argon2id, a unique salt and the parameters in the PHC string", async () => {
    const first = await hashPassword("violet tractor pebble sonnet");
    const second = await hashPassword("violet tractor pebble sonnet");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
    expect(needsRehash(first)).toBe(false);
  });

  it("verifies the NFKC form of the same password and rejects others", async () => {
    const stored = await hashPassword("\uFB01ligature passphrase here");
    expect(await verifyPassword(stored, "filigature passphrase here")).toBe(true);
    expect(await verifyPassword(stored, "filigature passphrase hers")).toBe(false);
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
  });

  it("asks for a rehash when parameters were weaker", () => {
    expect(needsRehash("$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA")).toBe(true);
    expect(needsRehash("$2b$10$bcrypt")).toBe(true);
  });
});
