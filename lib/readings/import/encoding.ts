/**
 * Export files arrive as bytes; this turns them into the text the CSV parser reads, streaming:
 * feed chunks split anywhere (inside a character too) and get the text they complete.
 *
 * What patients upload, and what happens:
 * - UTF-8, with or without a byte order mark (what every export site and "CSV UTF-8" write);
 * - UTF-16 with a byte order mark, little- or big-endian: Excel's "Unicode Text" (tab-separated);
 * - anything else is not UTF-8 (a Windows-1252 "CSV" from older Excel, with é or µ in a note):
 *   an error naming the line, the byte, the encoding the file looks like and how to export it
 *   again. Guessing the encoding instead would store whatever the guess made of the text.
 * Files that are not text at all (a spreadsheet, a PDF) get the format error the parser gives
 * them, which says what they look like.
 */
import { binaryFileHint, unknownFormatError } from "./detect";

export interface TextFileDecoder {
  /** The text the next bytes complete; "" once `error` is set. */
  push(bytes: Uint8Array): string;
  /** The end of the file: the last text. */
  end(): string;
  /** The encoding, for people ("UTF-16 LE (Excel Unicode text)"), once the first bytes are in. */
  readonly encoding: string | null;
  /** Why the bytes are not text Lantern reads; once set, nothing more is decoded. */
  readonly error: string | null;
}

const BYTE_ORDER_MARKS = [
  { bytes: [0xef, 0xbb, 0xbf], label: "utf-8", name: "UTF-8 (with byte order mark)" },
  { bytes: [0xff, 0xfe], label: "utf-16le", name: "UTF-16 LE (Excel Unicode text)" },
  { bytes: [0xfe, 0xff], label: "utf-16be", name: "UTF-16 BE (Unicode text)" },
] as const;
const LONGEST_MARK = 3;
/** A UTF-8 character cut by the chunking leaves at most this many bytes in the earlier chunk. */
const CUT_CHARACTER_BYTES = 3;
/** Bytes kept from the start of the file to say what a binary file is. */
const HEAD_BYTES = 256;

const REEXPORT = 'Export or save it again as UTF-8 (in Excel: Save As, "CSV UTF-8 (Comma delimited)") or as "Unicode Text", then upload that file.';

export function createTextFileDecoder(): TextFileDecoder {
  let decoder: TextDecoder | null = null;
  let encoding: string | null = null;
  let utf16 = false;
  let error: string | null = null;
  let unsniffed: Uint8Array = new Uint8Array(0); // the first bytes, until the byte order mark can be told
  let head: Uint8Array = new Uint8Array(0);
  let tail: Uint8Array = new Uint8Array(0); // the last bytes decoded: a character split by the chunking starts here
  const lines = new LineCounter();

  const decode = (bytes: Uint8Array, final: boolean): string => {
    if (error !== null || decoder === null) return "";
    try {
      const text = decoder.decode(bytes, { stream: !final });
      lines.advance(text);
      tail = bytes.length >= CUT_CHARACTER_BYTES ? bytes.slice(-CUT_CHARACTER_BYTES) : concat(tail, bytes).slice(-CUT_CHARACTER_BYTES);
      return text;
    } catch {
      error = describeFailure(bytes, final);
      return "";
    }
  };

  const describeFailure = (bytes: Uint8Array, final: boolean): string => {
    if (utf16) {
      return "This file says it is UTF-16 (Unicode text) but holds a broken character: export it again from the program that made it.";
    }
    const firstLine = new TextDecoder("windows-1252").decode(head).split(/[\r\n]/)[0] ?? "";
    if (binaryFileHint(firstLine) !== "") return unknownFormatError([firstLine]);
    if (final) return `This file is not UTF-8 text: it ends in the middle of a character (it may be cut short, or in another encoding). ${REEXPORT}`;
    const around = concat(tail, bytes);
    const at = firstInvalidUtf8(around) ?? tail.length;
    const line = lines.copy().advance(new TextDecoder().decode(bytes.subarray(0, Math.max(0, at - tail.length)))).line;
    const byte = around[at] ?? 0;
    const hex = `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    const asWindows1252 = new TextDecoder("windows-1252").decode(new Uint8Array([byte]));
    // Five bytes mean nothing in Windows-1252 either (they decode to C1 control characters).
    if (asWindows1252.charCodeAt(0) >= 0x80 && asWindows1252.charCodeAt(0) < 0xa0) {
      return `This file is not UTF-8 text: line ${line} has the byte ${hex}, which UTF-8 does not allow. ${REEXPORT}`;
    }
    return `This file is not UTF-8 text: line ${line} has the byte ${hex}, which is "${asWindows1252}" in Windows-1252 (the "ANSI" encoding of older Excel and Windows programs), so the file looks like Windows-1252. ${REEXPORT}`;
  };

  const start = (bytes: Uint8Array) => {
    const mark = BYTE_ORDER_MARKS.find((candidate) => candidate.bytes.every((value, i) => bytes[i] === value));
    encoding = mark?.name ?? "UTF-8";
    utf16 = mark !== undefined && mark.label !== "utf-8";
    // fatal: a byte that is not text must stop the import, never become U+FFFD in a stored note.
    decoder = new TextDecoder(mark?.label ?? "utf-8", { fatal: true });
  };

  return {
    push(bytes: Uint8Array): string {
      if (error !== null || bytes.length === 0) return "";
      if (head.length < HEAD_BYTES) head = concat(head, bytes.subarray(0, HEAD_BYTES - head.length));
      if (decoder !== null) return decode(bytes, false);
      unsniffed = concat(unsniffed, bytes);
      if (unsniffed.length < LONGEST_MARK) return "";
      start(unsniffed);
      return decode(unsniffed, false);
    },
    end(): string {
      if (error !== null) return "";
      if (decoder !== null) return decode(new Uint8Array(0), true);
      start(unsniffed);
      return decode(unsniffed, true);
    },
    get encoding() {
      return encoding;
    },
    get error() {
      return error;
    },
  };
}

/** Line numbers as the CSV reader counts them: LF, CRLF and a lone CR each end a line. */
class LineCounter {
  line = 1;
  private afterCR = false;

  advance(text: string): this {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) this.line++;
      else if (c === 10 && !this.afterCR) this.line++;
      this.afterCR = c === 13;
    }
    return this;
  }

  copy(): LineCounter {
    const copy = new LineCounter();
    copy.line = this.line;
    copy.afterCR = this.afterCR;
    return copy;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * Where the first byte that breaks UTF-8 is (RFC 3629: no overlong forms, no surrogates, nothing
 * past U+10FFFF), skipping the continuation bytes of a character begun before; null when the
 * bytes are valid so far (a character cut at the end is not an error yet).
 */
function firstInvalidUtf8(bytes: Uint8Array): number | null {
  let i = 0;
  while (i < bytes.length && (bytes[i]! & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    let length: number;
    let secondMin = 0x80;
    let secondMax = 0xbf;
    if (lead < 0x80) length = 1;
    else if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) secondMin = 0xa0;
      if (lead === 0xed) secondMax = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) secondMin = 0x90;
      if (lead === 0xf4) secondMax = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return null;
      const next = bytes[i + k]!;
      if (next < (k === 1 ? secondMin : 0x80) || next > (k === 1 ? secondMax : 0xbf)) return i;
    }
    i += length;
  }
  return null;
}
