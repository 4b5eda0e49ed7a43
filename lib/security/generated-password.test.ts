import { describe, expect, it } from "vitest";
import { generatePassword } from "./generated-password";
import { checkPassword } from "./password-policy";

describe("generatePassword", () => {
  it("makes distinct passwords that pass the password policy", () => {
    const passwords = Array.from({ length: 20 }, generatePassword);
    expect(new Set(passwords).size).toBe(20);
    for (const password of passwords) {
      expect(password).toMatch(/^([a-z2-9]{5}-){4}[a-z2-9]{5}$/);
      expect(checkPassword(password, { email: "demo@lantern.example", name: "Demo User" })).toEqual({ ok: true });
    }
  });
});
