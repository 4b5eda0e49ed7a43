import { CsvReader, DEFAULT_MAX_RECORD_CHARS, type CsvEvent } from "./csv-reader";
import {
  detectHeaderLine,
  MAX_HEADER_LINE,
  MAX_PRELUDE_LINE_CHARS,
  quoteForMessage,
  unknownFormatError,
  type DetectedHeader,
  type ImportFormat,
} from "./detect";
import { dexcomRow, genericRow, libreViewRow, type DeferredReading, type RowResult } from "./rows";
import { meterLocalTime, type DayMonthOrder } from "./time";
import type { RowOutcome } from "./types";

/**
 * LibreView rows whose date reads both ways (both numbers 12 or less) wait until a row settles the
 * file's day/month order; after this many waiting rows the clock style decides (12-hour clock:
 * month first; 24-hour clock: day first). Thirteen days of a sensor are about 1,500 rows.
 */
export const MAX_PENDING_ROWS = 20_000;

export interface ImportParserOptions {
  maxRecordChars?: number;
  maxPendingRows?: number;
}

export interface ImportParser {
  /** Feeds the next piece of text (any size, split anywhere); returns the outcomes it completed. */
  push(chunk: string): RowOutcome[];
  /** The end of the file: returns the last outcomes. Later pushes are ignored. */
  end(): RowOutcome[];
  /** Known once the header row has been read. */
  readonly format: ImportFormat | null;
  /** A file-level error (unknown format, empty file); once set, no outcomes follow. */
  readonly error: string | null;
  /** LibreView only: the day/month order the file's dates were read in, once settled. */
  readonly dateOrder: DayMonthOrder | null;
}

const CR = "\r";
const LF = "\n";

export function createImportParser(options: ImportParserOptions = {}): ImportParser {
  const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  const maxPendingRows = options.maxPendingRows ?? MAX_PENDING_ROWS;

  let phase: "detecting" | "reading" | "done" = "detecting";
  let format: ImportFormat | null = null;
  let error: string | null = null;
  let started = false; // the first character has been seen (for the BOM)
  let heldSurrogate = "";

  // Detection: text kept until the header row is found.
  let head = "";
  let headSearched = 0; // `head` up to here holds no line break
  let preludeLineCount = 0; // lines read before the header
  const preludeLines: string[] = []; // the non-blank ones, for the error message

  // Reading.
  let reader: CsvReader | null = null;
  let interpret: ((fields: string[], line: number) => RowResult) | null = null;
  let out: RowOutcome[] = [];

  // LibreView day/month order.
  let order: DayMonthOrder | null = null;
  let clockDefault: DayMonthOrder | null = null;
  let queue: (RowOutcome | DeferredReading)[] = [];

  const take = (): RowOutcome[] => {
    const result = out;
    out = [];
    return result;
  };

  const fail = (message: string) => {
    error = message;
    phase = "done";
    head = "";
    queue = [];
    out = [];
  };

  const emit = (outcome: RowOutcome) => {
    if (queue.length > 0) queue.push(outcome);
    else out.push(outcome);
  };

  const resolve = (deferred: DeferredReading, fileOrder: DayMonthOrder): RowOutcome => {
    const { reading, timestamp, timeText } = deferred;
    const localTime = meterLocalTime(timestamp, fileOrder);
    if (localTime !== null) return { kind: "reading", reading: { ...reading, localTime } };
    const other: DayMonthOrder = fileOrder === "month-first" ? "day-first" : "month-first";
    const reason =
      meterLocalTime(timestamp, other) !== null
        ? `time ${quoteForMessage(timeText)} does not fit the ${fileOrder === "month-first" ? "month-day-year" : "day-month-year"} order of the other dates in this file`
        : `time ${quoteForMessage(timeText)} is not a valid date`;
    return { kind: "rejected", row: reading.row, reason: `Row ${reading.row}: ${reason}` };
  };

  const settle = (fileOrder: DayMonthOrder) => {
    order = fileOrder;
    const waiting = queue;
    queue = [];
    for (const item of waiting) out.push(item.kind === "deferred" ? resolve(item, fileOrder) : item);
  };

  const handleDeferred = (deferred: DeferredReading) => {
    const { timestamp } = deferred;
    if (timestamp.yearFirst || order !== null) {
      emit(resolve(deferred, order ?? "month-first")); // year-first dates read one way only
      return;
    }
    clockDefault ??= timestamp.twelveHour ? "month-first" : "day-first";
    const monthFirst = meterLocalTime(timestamp, "month-first") !== null;
    const dayFirst = meterLocalTime(timestamp, "day-first") !== null;
    if (monthFirst !== dayFirst) {
      // Only one reading of the date exists: that settles the whole file.
      queue.push(deferred);
      settle(monthFirst ? "month-first" : "day-first");
    } else if (!monthFirst) {
      emit(resolve(deferred, clockDefault)); // not a date either way: rejected
    } else if (timestamp.first === timestamp.second) {
      emit(resolve(deferred, clockDefault)); // 05-05: same either way
    } else {
      queue.push(deferred);
      if (queue.length > maxPendingRows) settle(clockDefault);
    }
  };

  const onEvent = (event: CsvEvent) => {
    if (event.kind === "broken") {
      const lines = event.lastLine > event.line ? `lines ${event.line}–${event.lastLine} were` : "it was";
      const reason =
        event.why === "unclosed-quote"
          ? `a quoted field does not end (a stray " character?), so ${lines} not read`
          : `the row is longer than ${maxRecordChars.toLocaleString("en-US")} characters, so ${lines} not read`;
      emit({ kind: "rejected", row: event.line, reason: `Row ${event.line}: ${reason}` });
      return;
    }
    const { fields, line } = event;
    if (fields.every((field) => field.trim() === "")) return; // a blank line
    const result = interpret!(fields, line);
    if (result.kind === "deferred") handleDeferred(result);
    else emit(result);
  };

  const startReading = (header: DetectedHeader, rest: string) => {
    format = header.format;
    phase = "reading";
    head = "";
    preludeLines.length = 0;
    const delimiter = header.delimiter;
    switch (header.format) {
      case "libreview": {
        const columns = header.columns;
        interpret = (fields, line) => libreViewRow(fields, line, columns, delimiter);
        break;
      }
      case "dexcom-clarity": {
        const columns = header.columns;
        interpret = (fields, line) => dexcomRow(fields, line, columns, delimiter);
        break;
      }
      case "generic": {
        const columns = header.columns;
        interpret = (fields, line) => genericRow(fields, line, columns, delimiter);
        break;
      }
    }
    reader = new CsvReader(header.delimiter, onEvent, maxRecordChars, header.headerLine + 1);
    if (rest !== "") reader.push(rest);
  };

  /** Reads complete lines of `head` looking for the header row. */
  const detect = (atEnd: boolean) => {
    let scan = 0;
    let searchedTo = 0;
    while (phase === "detecting") {
      let end = scan === 0 ? headSearched : scan; // do not search a partial line twice
      while (end < head.length && head[end] !== CR && head[end] !== LF) end++;
      const complete = end < head.length && (head[end] === LF || end + 1 < head.length || atEnd);
      if (!complete && !atEnd) {
        if (end - scan > MAX_PRELUDE_LINE_CHARS) {
          preludeLines.push(head.slice(scan, scan + 200));
          fail(unknownFormatError(preludeLines));
        }
        searchedTo = end - scan;
        break;
      }
      const line = head.slice(scan, end);
      const next = end < head.length ? end + (head[end] === CR && head[end + 1] === LF ? 2 : 1) : end;
      preludeLineCount++;
      const layout = line.length <= MAX_PRELUDE_LINE_CHARS ? detectHeaderLine(line) : null;
      if (layout) {
        startReading({ ...layout, headerLine: preludeLineCount }, head.slice(next));
        return;
      }
      scan = next;
      if (line.trim() !== "") preludeLines.push(line.slice(0, 200));
      const atLastLine = next >= head.length;
      if (line.length > MAX_PRELUDE_LINE_CHARS || preludeLines.length >= MAX_HEADER_LINE || (atEnd && atLastLine)) {
        fail(unknownFormatError(preludeLines));
        return;
      }
      if (atLastLine) break;
    }
    head = head.slice(scan); // lines already read (blank ones too) do not pile up
    headSearched = searchedTo;
  };

  return {
    push(chunk: string): RowOutcome[] {
      if (phase === "done" || chunk === "") return [];
      let text = heldSurrogate + chunk;
      heldSurrogate = "";
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        // Half of a surrogate pair: wait for the other half.
        heldSurrogate = text.slice(-1);
        text = text.slice(0, -1);
      }
      if (!started && text !== "") {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (phase === "detecting") {
        head += text;
        detect(false);
      } else {
        reader!.push(text);
      }
      return take();
    },
    end(): RowOutcome[] {
      if (phase === "done") return [];
      if (heldSurrogate !== "") {
        const text = heldSurrogate;
        heldSurrogate = "";
        if (phase === "detecting") head += text;
        else reader!.push(text);
      }
      if (phase === "detecting") {
        if (head.trim() === "") {
          fail(preludeLines.length === 0 ? "The file is empty." : unknownFormatError(preludeLines));
          return [];
        }
        detect(true);
        if (reader === null) return []; // detection failed
      }
      reader!.end();
      if (queue.length > 0) settle(clockDefault ?? "day-first");
      phase = "done";
      return take();
    },
    get format() {
      return format;
    },
    get error() {
      return error;
    },
    get dateOrder() {
      return order;
    },
  };
}
