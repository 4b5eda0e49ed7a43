import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIBRE_HEADER_COLUMNS, libreHeader, parseText } from "./test-helpers";
import type { RowOutcome } from "./index";

const DEXCOM_HEADER =
  "Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Event Subtype,Patient Info,Device Info,Source Device ID,Glucose Value (mg/dL),Insulin Value (u),Carb Value (grams),Duration (hh:mm:ss),Glucose Rate of Change (mg/dL/min),Transmitter Time (Long Integer),Transmitter ID";
const HEADERS = ["", "time,value,unit\n", "time;value;unit;specimen\r\n", `${libreHeader()}\n`, `${libreHeader("mmol/L", ";")}\r\n`, `${DEXCOM_HEADER}\n`];

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** What must hold for any input: no throw (checked by getting here), well-formed outcomes in order. */
function checkOutcomes(outcomes: RowOutcome[], text: string) {
  const lastLine = (text.match(/\r\n|\r|\n/g) ?? []).length + 1;
  let previous = 0;
  for (const outcome of outcomes) {
    switch (outcome.kind) {
      case "reading": {
        const r = outcome.reading;
        expect(Number.isFinite(r.value)).toBe(true);
        expect(["mg/dL", "mmol/L"]).toContain(r.unit);
        expect(["capillary", "interstitial"]).toContain(r.specimen);
        expect([null, "below", "above"]).toContain(r.censored);
        expect((r.localTime === null) !== (r.instant === null)).toBe(true);
        if (r.localTime !== null) expect(r.localTime).toMatch(LOCAL_TIME);
        if (r.instant !== null) expect(Number.isNaN(r.instant.getTime())).toBe(false);
        expect(r.utcOffsetMinutes === null).toBe(r.instant === null);
        expect(r.row).toBeGreaterThanOrEqual(previous);
        expect(r.row).toBeLessThanOrEqual(lastLine);
        previous = r.row;
        break;
      }
      case "skipped":
      case "rejected":
        expect(outcome.row).toBeGreaterThanOrEqual(previous);
        expect(outcome.row).toBeLessThanOrEqual(lastLine);
        if (outcome.kind === "rejected") expect(outcome.reason.startsWith(`Row ${outcome.row}: `)).toBe(true);
        previous = outcome.row;
        break;
      default:
        throw new Error(`unknown outcome ${JSON.stringify(outcome)}`);
    }
  }
}

/** Parses whole and cut at the given points: never throws, and the cuts change nothing. */
function checkText(text: string, cuts: number[]) {
  const whole = parseText(text);
  checkOutcomes(whole.outcomes, text);
  expect(whole.error === null || whole.outcomes.length === 0).toBe(true);
  expect(parseText(text, cuts.map((c) => c % (text.length + 1)))).toEqual(whole);
}

const cuts = fc.array(fc.nat(), { maxLength: 8 });

describe("hostile input", () => {
  it("random text after any header never throws", () => {
    fc.assert(
      fc.property(fc.constantFrom(...HEADERS), fc.string({ unit: "binary", maxLength: 400 }), cuts, (header, body, at) => {
        checkText(header + body, at);
      }),
      { numRuns: 400 },
    );
  });

  it("random text made of CSV-significant characters never throws", () => {
    const unit = fc.constantFrom(",", ";", "\t", '"', "\r", "\n", "\uFEFF", "0", "1", "2", "-", ":", " ", "T", "LO", "HI", "EGV", "AM", "2026-11-20T08:00", "11-13-2026 08:00 AM", "😀", "\uD800");
    fc.assert(
      fc.property(fc.constantFrom(...HEADERS), fc.string({ unit, maxLength: 200 }), cuts, (header, body, at) => {
        checkText(header + body, at);
      }),
      { numRuns: 400 },
    );
  });

  it("random bytes decoded as text never throw", () => {
    fc.assert(
      fc.property(fc.constantFrom(...HEADERS), fc.uint8Array({ maxLength: 600 }), cuts, (header, bytes, at) => {
        checkText(header + new TextDecoder().decode(bytes), at);
      }),
      { numRuns: 300 },
    );
  });

  it("huge fields are rejected with bounded memory and reading resumes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HEADERS.slice(1)),
        fc.constantFrom("", '"', "x,"),
        fc.integer({ min: 70_000, max: 200_000 }),
        fc.constantFrom("x", "9", ",", '"'),
        (header, opening, size, filler) => {
          const next = ["2026-11-20T08:00", "100", "mg/dL"].join(header.includes(";") ? ";" : ",");
          const text = `${header}${opening}${filler.repeat(size)}\n${next}\n`;
          const { outcomes, error } = parseText(text, 65_536);
          expect(error).toBeNull();
          checkOutcomes(outcomes, text);
          // A run of quotes may unescape to a field under the limit (`""` is one character), and
          // then is an ordinary row; anything else is over the limit and rejected as such.
          if (filler !== '"') {
            expect(outcomes.some((o) => o.kind === "rejected" && /longer than|does not end/.test(o.reason))).toBe(true);
          }
          // Reading resumes on the next line unless the huge field was an (unclosed) quoted one.
          if (header.startsWith("time") && opening !== '"' && filler !== '"') {
            expect(outcomes.at(-1)).toMatchObject({ kind: "reading", reading: { row: 3, value: 100 } });
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("random CSV of random known and unknown columns never throws", () => {
    const columnName = fc.oneof(
      fc.constantFrom(...LIBRE_HEADER_COLUMNS.map((c) => c.replace("{unit}", "mg/dL")), "Historic Glucose mmol/L", "Index", "Timestamp (YYYY-MM-DDThh:mm:ss)", "Event Type", "Glucose Value (mmol/L)", "Transmitter ID", "time", "value", "unit", "specimen"),
      fc.string({ maxLength: 6 }),
    );
    const cellValue = fc.oneof(
      fc.constantFrom("", "0", "1", "2", "4", "6", "EGV", "Calibration", "LO", "HI", "Low", "High", "104", "5,4", "5.4", "-3", "mg/dL", "mmol/L", "interstitial"),
      fc.constantFrom("11-13-2026 08:00 AM", "13-11-2026 20:00", "01-02-2026 12:00 PM", "2026-11-20T08:00:00", "2026-11-20T08:00+01:00", "31-02-2026 10:00", "2026-02-30T10:00"),
      fc.string({ maxLength: 10 }),
    );
    const quote = (s: string, d: string) => (s.includes(d) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    fc.assert(
      fc.property(
        fc.constantFrom(",", ";", "\t"),
        fc.array(columnName, { minLength: 1, maxLength: 20 }),
        fc.array(fc.array(cellValue, { maxLength: 22 }), { maxLength: 30 }),
        fc.constantFrom("\n", "\r\n"),
        cuts,
        (delimiter, columns, rows, lineEnd, at) => {
          const text = [columns, ...rows].map((row) => row.map((c) => quote(c, delimiter)).join(delimiter)).join(lineEnd);
          checkText(text, at);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("valid generic files", () => {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const reading = fc.record({
    year: fc.integer({ min: 1970, max: 2100 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.option(fc.integer({ min: 0, max: 59 })),
    offset: fc.option(fc.oneof(fc.constant<"Z">("Z"), fc.integer({ min: -14 * 60, max: 14 * 60 }))),
    whole: fc.integer({ min: 0, max: 1500 }),
    fraction: fc.option(fc.stringMatching(/^\d{1,3}$/)),
    unit: fc.constantFrom("mg/dL", "MG/DL", "mmol/L", "mmol/l"),
    specimen: fc.constantFrom("", "capillary", "interstitial", "Interstitial"),
    quoted: fc.boolean(),
  });

  it("every reading comes back exactly once, in order, with the same value", () => {
    fc.assert(
      fc.property(
        fc.array(reading, { maxLength: 40 }),
        fc.constantFrom(",", ";"),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 40 }),
        cuts,
        (rows, delimiter, lineEnd, bom, withSpecimen, finalLineEnd, blankLinesAfter, at) => {
          const blanks = new Set(blankLinesAfter.map((n) => (rows.length === 0 ? 0 : n % rows.length)));
          const lines = [["time", "value", "unit", ...(withSpecimen ? ["specimen"] : [])].join(delimiter)];
          for (const [i, r] of rows.entries()) {
            let time = `${pad(r.year, 4)}-${pad(r.month)}-${pad(r.day)}T${pad(r.hour)}:${pad(r.minute)}${r.second === null ? "" : `:${pad(r.second)}`}`;
            if (r.offset === "Z") time += "Z";
            else if (r.offset !== null) time += `${r.offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(r.offset) / 60))}:${pad(Math.abs(r.offset) % 60)}`;
            const separator = delimiter === ";" && i % 2 === 1 ? "," : ".";
            const value = r.fraction === null ? String(r.whole) : `${r.whole}${separator}${r.fraction}`;
            const q = (s: string) => (r.quoted || s.includes(delimiter) ? `"${s}"` : s);
            lines.push([q(time), q(value), q(r.unit), ...(withSpecimen ? [q(r.specimen)] : [])].join(delimiter));
            if (blanks.has(i)) lines.push("");
          }
          const text = (bom ? "\uFEFF" : "") + lines.join(lineEnd) + (finalLineEnd ? lineEnd : "");
          const { outcomes, error, format } = parseText(text, at.map((c) => c % (text.length + 1)));
          expect(error).toBeNull();
          expect(format).toBe("generic");
          expect(outcomes.every((o) => o.kind === "reading")).toBe(true);
          const got = outcomes.flatMap((o) => (o.kind === "reading" ? [o.reading] : []));
          expect(got).toHaveLength(rows.length);
          got.forEach((g, i) => {
            const r = rows[i]!;
            expect(g.value).toBe(Number(`${r.whole}${r.fraction === null ? "" : `.${r.fraction}`}`));
            expect(g.unit).toBe(r.unit.toLowerCase() === "mg/dl" ? "mg/dL" : "mmol/L");
            expect(g.specimen).toBe(withSpecimen && r.specimen !== "" ? r.specimen.toLowerCase() : "capillary");
            const local = `${pad(r.year, 4)}-${pad(r.month)}-${pad(r.day)}T${pad(r.hour)}:${pad(r.minute)}${r.second === null ? "" : `:${pad(r.second)}`}`;
            if (r.offset === null) {
              expect(g.localTime).toBe(local);
              expect(g.instant).toBeNull();
            } else {
              const offset = r.offset === "Z" ? 0 : r.offset;
              expect(g.localTime).toBeNull();
              expect(g.utcOffsetMinutes).toBe(offset);
              expect(g.instant?.getTime()).toBe(Date.UTC(r.year, r.month - 1, r.day, r.hour, r.minute, r.second ?? 0) - offset * 60_000);
            }
          });
          const rowNumbers = got.map((g) => g.row);
          expect(new Set(rowNumbers).size).toBe(rowNumbers.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
