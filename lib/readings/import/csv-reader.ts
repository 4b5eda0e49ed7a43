/**
 * An incremental RFC 4180 reader: text goes in as chunks of any size, records come out with the
 * 1-based line on which each starts. It is synchronous (push returns what it found), works on
 * strings, and keeps memory bounded whatever the input:
 *
 * - fields may be quoted (`"a, b"`, `""` for a quote, line breaks inside quotes);
 * - records end at LF, CRLF or a lone CR, even across chunk boundaries;
 * - quotes are read leniently (a quote inside an unquoted field, or text after a closing quote,
 *   is kept as a literal character) so a stray quote spoils one field, not the whole file;
 * - a record longer than `maxRecordChars` (a runaway unclosed quote, a binary file, a hostile
 *   field) is dropped and reported as broken; reading resumes at the next line break.
 *
 * Why not csv-parse: its incremental synchronous core is not part of its public exports (only a
 * Node stream, a web TransformStream or a whole-input parser are), it works on bytes, and after
 * its max-record-size error it drops the rest of the chunk; this reader stays small and exact.
 */

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** A single broken record: where it started and the last line it swallowed. */
export type CsvEvent =
  | { kind: "record"; fields: string[]; line: number }
  | { kind: "broken"; line: number; lastLine: number; why: "unclosed-quote" | "too-long" };

export const DEFAULT_MAX_RECORD_CHARS = 65_536;

// Reader states.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3; // a quote seen inside a quoted field: closing, or the first of `""`
const SKIPPING = 4; // after an over-long record, until the next line break

export class CsvReader {
  private state = FIELD_START;
  private field = "";
  private fields: string[] = [];
  private recordChars = 0;
  private recordHasContent = false;
  private line = 1; // the line of the next character
  private recordLine = 1;
  private afterCR = false;
  private skipWhy: "unclosed-quote" | "too-long" = "too-long";
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly emit: (event: CsvEvent) => void,
    private readonly maxRecordChars: number = DEFAULT_MAX_RECORD_CHARS,
    firstLine = 1,
  ) {
    if (delimiter.length !== 1 || delimiter.charCodeAt(0) === QUOTE || delimiter === "\r" || delimiter === "\n") {
      throw new Error(`Unsupported CSV delimiter ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter.charCodeAt(0);
    this.line = firstLine;
    this.recordLine = firstLine;
  }

  push(text: string): void {
    const n = text.length;
    const delimiter = this.delimiter;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.afterCR) {
        this.afterCR = false;
        if (c === LF) {
          // The LF of a CRLF pair: the line was already counted at the CR.
          if (this.state === QUOTED) this.append("\n", 0, 1);
          i++;
          continue;
        }
      }
      switch (this.state) {
        case FIELD_START:
          if (c === QUOTE) {
            this.startContent();
            this.state = QUOTED;
            i++;
          } else if (c === delimiter) {
            this.startContent();
            this.endField();
            i++;
          } else if (c === CR || c === LF) {
            this.endLine(c);
            i++;
          } else {
            this.startContent();
            this.state = UNQUOTED;
          }
          break;
        case UNQUOTED: {
          let j = i;
          while (j < n) {
            const d = text.charCodeAt(j);
            if (d === delimiter || d === CR || d === LF) break;
            j++;
          }
          const fits = j === i || this.append(text, i, j);
          i = j;
          if (fits && i < n && text.charCodeAt(i) === delimiter) {
            this.endField();
            if (this.state === UNQUOTED) this.state = FIELD_START;
            i++;
          } else if (fits && i < n) {
            this.state = FIELD_START; // the line break is handled there
          }
          break;
        }
        case QUOTED: {
          let j = i;
          while (j < n) {
            const d = text.charCodeAt(j);
            if (d === QUOTE || d === CR || d === LF) break;
            j++;
          }
          const fits = j === i || this.append(text, i, j);
          i = j;
          if (fits && i < n) {
            const d = text.charCodeAt(i);
            if (d === QUOTE) {
              this.state = QUOTE_IN_QUOTED;
              i++;
            } else if (this.append(text, i, i + 1)) {
              // A line break inside quotes is part of the field.
              this.line++;
              this.afterCR = d === CR;
              i++;
            } // else: too long, and the line break now ends the skipping
          }
          break;
        }
        case QUOTE_IN_QUOTED:
          if (c === QUOTE) {
            if (this.append('"', 0, 1)) this.state = QUOTED;
            i++;
          } else if (c === delimiter) {
            this.endField();
            if (this.state === QUOTE_IN_QUOTED) this.state = FIELD_START;
            i++;
          } else if (c === CR || c === LF) {
            this.state = FIELD_START; // the closing quote ended the field; the line break ends the record
          } else if (this.append('"', 0, 1)) {
            // Text after a closing quote: keep the quote as a literal and read on unquoted.
            this.state = UNQUOTED;
          }
          break;
        case SKIPPING:
          if (c === CR || c === LF) {
            this.emit({ kind: "broken", line: this.recordLine, lastLine: this.line, why: this.skipWhy });
            this.state = FIELD_START;
            this.resetRecord();
            this.newLine(c);
            this.recordLine = this.line;
          }
          i++;
          break;
      }
    }
  }

  /** The end of the input: emits the last record (or reports an unclosed quote). */
  end(): void {
    switch (this.state) {
      case QUOTED: {
        // The last line the quote swallowed (not the empty one after a final line break).
        const endsWithBreak = this.field.endsWith("\n") || this.field.endsWith("\r");
        this.emit({ kind: "broken", line: this.recordLine, lastLine: this.line - (endsWithBreak ? 1 : 0), why: "unclosed-quote" });
        break;
      }
      case SKIPPING:
        this.emit({ kind: "broken", line: this.recordLine, lastLine: this.line, why: this.skipWhy });
        break;
      case FIELD_START:
      case UNQUOTED:
      case QUOTE_IN_QUOTED:
        if (this.recordHasContent) {
          this.endField();
          if (this.skipping()) {
            this.emit({ kind: "broken", line: this.recordLine, lastLine: this.line, why: this.skipWhy });
          } else {
            this.emit({ kind: "record", fields: this.fields, line: this.recordLine });
          }
        }
        break;
    }
    this.resetRecord();
    this.state = FIELD_START;
  }

  /** After endField or append, which may have found the record too long (not narrowed by TS). */
  private skipping(): boolean {
    return this.state === SKIPPING;
  }

  private startContent(): void {
    if (!this.recordHasContent) {
      this.recordHasContent = true;
      this.recordLine = this.line;
    }
  }

  /** Appends text[from, to) to the field; false when the record became too long (now skipping). */
  private append(text: string, from: number, to: number): boolean {
    this.recordChars += to - from;
    if (this.recordChars > this.maxRecordChars) {
      this.skipWhy = this.state === QUOTED || this.state === QUOTE_IN_QUOTED ? "unclosed-quote" : "too-long";
      this.field = "";
      this.fields = [];
      this.state = SKIPPING;
      return false;
    }
    this.field += from === 0 && to === text.length ? text : text.slice(from, to);
    return true;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = "";
    this.recordChars++; // the delimiter counts, so a line of a million commas is bounded too
    if (this.recordChars > this.maxRecordChars) {
      this.skipWhy = "too-long";
      this.field = "";
      this.fields = [];
      this.state = SKIPPING;
    }
  }

  /** A line break outside quotes: the record (if any) ends. */
  private endLine(c: number): void {
    if (this.recordHasContent) {
      this.endField();
      if (this.skipping()) {
        // endField overflowed: the record ends here anyway.
        this.emit({ kind: "broken", line: this.recordLine, lastLine: this.line, why: this.skipWhy });
        this.state = FIELD_START;
      } else {
        this.emit({ kind: "record", fields: this.fields, line: this.recordLine });
      }
    }
    this.resetRecord();
    this.newLine(c);
  }

  private newLine(c: number): void {
    this.line++;
    this.afterCR = c === CR;
  }

  private resetRecord(): void {
    this.fields = [];
    this.field = "";
    this.recordChars = 0;
    this.recordHasContent = false;
    this.recordLine = this.line;
  }
}
