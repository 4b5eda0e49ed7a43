import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTextFileDecoder } from "./encoding";

const utf8 = (text: string) => new TextEncoder().encode(text);
const utf16le = (text: string) => new Uint8Array(Buffer.from(text, "utf16le"));
const utf16be = (text: string) => utf16le(text).map((_, i, bytes) => bytes[i ^ 1]!);
const bytes = (...parts: (number[] | Uint8Array)[]) => new Uint8Array(parts.flatMap((part) => [...part]));

/** Decodes bytes cut at the given points; the text, the encoding and the error. */
function decode(input: Uint8Array, cuts: number[] = []) {
  const decoder = createTextFileDecoder();
  let text = "";
  let from = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < input.length).sort((a, b) => a - b)) {
    text += decoder.push(input.subarray(from, cut));
    from = cut;
  }
  text += decoder.push(input.subarray(from));
  text += decoder.end();
  return { text, encoding: decoder.encoding, error: decoder.error };
}

const EXCEL_UNICODE_TEXT = "time\tvalue\tunit\r\n2026-11-20T08:00\t5,4\tmmol/L\r\n";

describe("createTextFileDecoder", () => {
  it.each([
    ["UTF-8", utf8(EXCEL_UNICODE_TEXT), "UTF-8"],
    ["UTF-8 with a byte order mark", bytes([0xef, 0xbb, 0xbf], utf8(EXCEL_UNICODE_TEXT)), "UTF-8 (with byte order mark)"],
    ["UTF-16 LE with a byte order mark (Excel's Unicode text)", bytes([0xff, 0xfe], utf16le(EXCEL_UNICODE_TEXT)), "UTF-16 LE (Excel Unicode text)"],
    ["UTF-16 BE with a byte order mark", bytes([0xfe, 0xff], utf16be(EXCEL_UNICODE_TEXT)), "UTF-16 BE (Unicode text)"],
  ])("decodes %s and names it", (_name, input, encoding) => {
    for (const cuts of [[], [1], [1, 2, 3, 5, 8, 13]]) {
      const result = decode(input, cuts);
      expect(result).toEqual({ text: EXCEL_UNICODE_TEXT, encoding, error: null });
    }
  });

  it("decodes an empty file as UTF-8", () => {
    expect(decode(new Uint8Array())).toEqual({ text: "", encoding: "UTF-8", error: null });
  });

  it("refuses a Windows-1252 file, naming the encoding, the line and how to export again", () => {
    const windows1252 = bytes(utf8("time,value,unit,specimen\n2026-11-20T08:00,100,mg/dL,capillary\n"), utf8("2026-11-20T08:05,101,mg/dL,capillaire r"), [0xe9], utf8("f. 5 "), [0xb5], utf8("l\n"));
    const result = decode(windows1252, [70]);
    expect(result.error).toBe(
      'This file is not UTF-8 text: line 3 has the byte 0xE9, which is "é" in Windows-1252 (the "ANSI" encoding of older Excel and Windows programs), so the file looks like Windows-1252. Export or save it again as UTF-8 (in Excel: Save As, "CSV UTF-8 (Comma delimited)") or as "Unicode Text", then upload that file.',
    );
    // The text of the pieces before the broken one came out; nothing after it does.
    expect(result.text).toBe(new TextDecoder().decode(windows1252.subarray(0, 70)));
  });

  it("stops decoding once the error is set", () => {
    const decoder = createTextFileDecoder();
    decoder.push(bytes(utf8("time,value,unit\n"), [0xb5]));
    expect(decoder.error).toMatch(/line 2 has the byte 0xB5, which is "µ" in Windows-1252/);
    expect(decoder.push(utf8("2026-11-20T08:00,100,mg/dL\n"))).toBe("");
    expect(decoder.end()).toBe("");
  });

  it("refuses a UTF-8 file cut in the middle of a character", () => {
    expect(decode(bytes(utf8("time,value,unit\nµ"), [0xc3])).error).toMatch(/^This file is not UTF-8 text: it ends in the middle of a character/);
  });

  it("refuses a UTF-16 file with a broken character", () => {
    const broken = bytes([0xff, 0xfe], utf16le("time\tvalue\n"), [0x00, 0xd8], utf16le("x"));
    expect(decode(broken).error).toBe("This file says it is UTF-16 (Unicode text) but holds a broken character: export it again from the program that made it.");
    expect(decode(bytes([0xff, 0xfe], utf16le("time"), [0x41])).error).toMatch(/holds a broken character/);
  });

  it("leaves a spreadsheet or PDF to be named as such", () => {
    const xlsx = bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xc5, 0x9a, 0xff, 0xfe]);
    expect(decode(xlsx).error).toMatch(/It looks like an Excel or zip file: export or save it as CSV first\.$/);
    expect(decode(bytes(utf8("%PDF-1.7\n%"), [0xe2, 0xe3, 0xcf, 0xd3])).error).toMatch(/It looks like a PDF report/);
  });

  it("gives the same text however the bytes are cut (property)", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 200 });
    const encoded = fc.constantFrom(
      (t: string) => utf8(t),
      (t: string) => bytes([0xef, 0xbb, 0xbf], utf8(t)),
      (t: string) => bytes([0xff, 0xfe], utf16le(t)),
      (t: string) => bytes([0xfe, 0xff], utf16be(t)),
    );
    fc.assert(
      fc.property(text, encoded, fc.array(fc.nat(), { maxLength: 10 }), (t, encode, cuts) => {
        const input = encode(t);
        const result = decode(input, cuts.map((c) => c % (input.length + 1)));
        expect(result.error).toBeNull();
        // A leading U+FEFF after a BOM is text; without a BOM it would read as one, which the CSV parser drops.
        expect(result.text.replace(/^\uFEFF/, "")).toBe(t.replace(/^\uFEFF/, ""));
      }),
      { numRuns: 500 },
    );
  });
});
