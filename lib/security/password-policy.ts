import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEnglish from "@zxcvbn-ts/language-en";
import commonPasswords from "fxa-common-password-list";

/**
 * Password rules from NIST SP 800-63B-4 §3.1.1.2 and OWASP ASVS 5.0 V6.2: length (counted in
 * code points after NFKC), a whole-password blocklist checked offline, context words, and no
 * composition rules. Pure: no I/O beyond the bundled lists.
 */
export const MIN_LENGTH_SINGLE_FACTOR = 15;
export const MAX_LENGTH = 128;
// zxcvbn scores 0-4. Below 3 the password is guessable despite its length ("aaaaaaaaaaaaaaa").
const MIN_STRENGTH_SCORE = 3;
const PRODUCT_WORDS = ["lantern", "glucose", "diabetes"];

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary },
  graphs: zxcvbnCommon.adjacencyGraphs,
  translations: zxcvbnEnglish.translations,
});

export interface PasswordContext {
  email?: string;
  name?: string;
}

export type PasswordVerdict = { ok: true } | { ok: false; reason: string };

export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

export function codePointLength(text: string): number {
  return [...text].length;
}

/** Words from the user's own details and the product that make a password guessable. */
export function contextWords(context: PasswordContext): string[] {
  const fromEmail = context.email?.toLowerCase().split(/[@.+_-]/) ?? [];
  const fromName = context.name?.toLowerCase().split(/\s+/) ?? [];
  return [...new Set([...PRODUCT_WORDS, ...fromEmail, ...fromName])].filter((word) => codePointLength(word) >= 3);
}

export function checkPassword(rawPassword: string, context: PasswordContext = {}): PasswordVerdict {
  const password = normalizePassword(rawPassword);
  const length = codePointLength(password);
  if (length < MIN_LENGTH_SINGLE_FACTOR) {
    return { ok: false, reason: `Use at least ${MIN_LENGTH_SINGLE_FACTOR} characters (this has ${length}). A few unrelated words make a long password easy to remember.` };
  }
  if (length > MAX_LENGTH) {
    return { ok: false, reason: `Use at most ${MAX_LENGTH} characters (this has ${length}).` };
  }
  const lower = password.toLowerCase();
  if (commonPasswords.test(password) || commonPasswords.test(lower)) {
    return { ok: false, reason: "This password appears in lists of commonly used passwords. Choose one that is not." };
  }
  const words = contextWords(context);
  let remainder = lower;
  for (const word of words) remainder = remainder.split(word).join("");
  if (codePointLength(remainder) < MIN_LENGTH_SINGLE_FACTOR) {
    const used = words.filter((word) => lower.includes(word));
    return { ok: false, reason: `This password leans on words others can guess (${used.join(", ")}). Add words unrelated to you or to Lantern.` };
  }
  const strength = zxcvbn.check(password, words);
  if (strength.score < MIN_STRENGTH_SCORE) {
    const hint = [strength.feedback.warning, ...strength.feedback.suggestions].filter(Boolean).join(" ");
    return { ok: false, reason: `This password is easy to guess. ${hint}`.trim() };
  }
  return { ok: true };
}
