import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, passwordHashingQueue, verifyPassword } from "./password-hashing";

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

describe("the hashing queue under a flood of sign-ins", () => {
  it("hashes two at a time and leaves libuv's thread pool to other work, which finishes first", async () => {
    const stored = await hashPassword("violet tractor pebble sonnet");
    const finished: string[] = [];
    const flood = Array.from({ length: 12 }, (_, i) => verifyPassword(stored, `wrong guess ${i}`).then(() => finished.push(`hash ${i}`)));
    expect(passwordHashingQueue.pending).toBe(10);
    // A file read needs the same thread pool: unbounded, it would wait behind a dozen argon2 runs.
    const otherRequest = readFile(import.meta.filename).then(() => finished.push("other request"));
    await Promise.all([...flood, otherRequest]);
    expect(finished.indexOf("other request")).toBeLessThan(2);
    expect(finished).toHaveLength(13);
  });
});
