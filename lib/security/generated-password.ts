import { randomInt } from "node:crypto";

// No 0/O, 1/l/I: generated passwords are read off a screen and typed.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/**
 * A per-installation or per-account initial password: 25 random characters from a 31-letter
 * alphabet (about 124 bits) in groups of five. Never a shared default (UK PSTI, ETSI EN 303 645 5.1).
 */
export function generatePassword(): string {
  const groups = Array.from({ length: 5 }, () =>
    Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""),
  );
  return groups.join("-");
}
