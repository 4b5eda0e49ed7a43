import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isAppError } from "./errors";
import { isStorableText, parseInput, UNSTORABLE_TEXT } from "./validation";

const schema = z.object({ note: z.string(), nested: z.object({ name: z.string() }).optional() });

function refusal(input: unknown) {
  try {
    parseInput(schema, input);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("text that cannot be stored", () => {
  it.each([
    ["plain text", "after a walk", true],
    ["accents and emoji", "après 🚶", true],
    ["a NUL character", "after\u0000a walk", false],
    ["a lone high surrogate", "broken \ud83d", false],
    ["a lone low surrogate", "broken \ude00", false],
  ])("%s is storable: %s", (_label, text, storable) => {
    expect(isStorableText(text)).toBe(storable);
  });

  it("is refused by parseInput on the field that holds it, before the schema runs", () => {
    const error = refusal({ note: "a\u0000b" });
    expect(error).toMatchObject({ code: "invalid_input", fieldErrors: { note: [UNSTORABLE_TEXT] } });
  });

  it("is found however deep it sits in a field", () => {
    expect(refusal({ note: "fine", nested: { name: "x\ud800" } }).fieldErrors).toEqual({ nested: [UNSTORABLE_TEXT] });
  });

  it("lets storable input through to the schema", () => {
    expect(parseInput(schema, { note: "après" })).toEqual({ note: "après" });
  });
});
