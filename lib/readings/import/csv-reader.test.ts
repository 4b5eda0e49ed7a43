import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvReader, type CsvEvent } from "./csv-reader";

function read(text: string | string[], delimiter = ",", maxRecordChars?: number): CsvEvent[] {
  const events: CsvEvent[] = [];
  const reader = new CsvReader(delimiter, (event) => events.push(event), maxRecordChars);
  for (const chunk of Array.isArray(text) ? text : [text]) reader.push(chunk);
  reader.end();
  return events;
}

const records = (events: CsvEvent[]) => events.map((e) => (e.kind === "record" ? [e.line, ...e.fields] : [e.kind, e.line, e.lastLine, e.why]));

describe("CsvReader", () => {
  it.each<[string, string, (string | number)[][]]>([
    ["plain fields", "a,b,c\nd,e,f\n", [[1, "a", "b", "c"], [2, "d", "e", "f"]]],
    ["no final line break", "a,b\nc,d", [[1, "a", "b"], [2, "c", "d"]]],
    ["CRLF", "a,b\r\nc,d\r\n", [[1, "a", "b"], [2, "c", "d"]]],
    ["lone CR", "a,b\rc,d\r", [[1, "a", "b"], [2, "c", "d"]]],
    ["mixed line ends", "a\r\nb\nc\rd", [[1, "a"], [2, "b"], [3, "c"], [4, "d"]]],
    ["blank lines are not records but count", "a\n\n\r\n\nb\n", [[1, "a"], [5, "b"]]],
    ["empty fields", ",a,,\n", [[1, "", "a", "", ""]]],
    ["quoted delimiter", '"a,b",c\n', [[1, "a,b", "c"]]],
    ["escaped quotes", '"say ""hi""",x\n', [[1, 'say "hi"', "x"]]],
    ["line breaks inside quotes count as lines", '"a\r\nb\nc",d\ne\n', [[1, "a\r\nb\nc", "d"], [4, "e"]]],
    ["an empty quoted field is a record", '""\n', [[1, ""]]],
    ["a quote inside an unquoted field is literal", 'ab"c,d\n', [[1, 'ab"c', "d"]]],
    ["text after a closing quote is kept", '"ab"c,d\n', [[1, 'ab"c', "d"]]],
    ["whitespace is kept", " a , b \n", [[1, " a ", " b "]]],
  ])("%s", (_name, text, expected) => {
    expect(records(read(text))).toEqual(expected);
    expect(records(read(Array.from(text)))).toEqual(expected); // one character at a time
  });

  it("uses the given delimiter", () => {
    expect(records(read('a;"b;c";5,4\n', ";"))).toEqual([[1, "a", "b;c", "5,4"]]);
    expect(records(read("a\tb\n", "\t"))).toEqual([[1, "a", "b"]]);
  });

  it("reports an unclosed quote at the end of the input", () => {
    expect(records(read('a\n"b,c\nd\n'))).toEqual([[1, "a"], ["broken", 2, 3, "unclosed-quote"]]);
    expect(records(read('a\n"b,c\r\nd'))).toEqual([[1, "a"], ["broken", 2, 3, "unclosed-quote"]]);
    expect(records(read('a\n"'))).toEqual([[1, "a"], ["broken", 2, 2, "unclosed-quote"]]);
  });

  it("drops an over-long record, reports it and resumes at the next line break", () => {
    expect(records(read(["x".repeat(30), "\n", "a,b\n"], ",", 20))).toEqual([["broken", 1, 1, "too-long"], [2, "a", "b"]]);
    // A stray quote on line 2 swallows lines until the record is too long (line 7), then reading resumes.
    const swallowed = records(read(`a\n"${"x\n".repeat(20)}\nb\n`, ",", 10));
    expect(swallowed).toEqual([[1, "a"], ["broken", 2, 7, "unclosed-quote"], ...Array.from({ length: 14 }, (_, i) => [8 + i, "x"]), [23, "b"]]);
    expect(records(read(`${",".repeat(50)}\nz\n`, ",", 20))).toEqual([["broken", 1, 1, "too-long"], [2, "z"]]);
  });

  it("rejects delimiters it cannot honour", () => {
    expect(() => new CsvReader('"', () => {})).toThrow();
    expect(() => new CsvReader("ab", () => {})).toThrow();
  });

  // Round trip: any table, written as RFC 4180 CSV with any line ends and cut anywhere, reads back.
  const cell = fc.string({ unit: fc.constantFrom("a", "b", "1", " ", ",", ";", '"', "\r", "\n", "é", "😀"), maxLength: 8 });
  const quote = (field: string) => (/[",\r\n]/.test(field) || field === "" ? `"${field.replace(/"/g, '""')}"` : field);

  it("reads back any table written as CSV, cut anywhere", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 8 }),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (table, lineEnd, finalLineEnd, cutSeeds) => {
          const lines = table.map((row) => row.map(quote).join(","));
          const text = lines.join(lineEnd) + (finalLineEnd ? lineEnd : "");
          const cuts = [...new Set(cutSeeds.map((seed) => (text.length === 0 ? 0 : seed % text.length)))].sort((a, b) => a - b);
          const chunks = [...cuts, text.length].map((cut, i, all) => text.slice(i === 0 ? 0 : all[i - 1], cut));
          const events = read(chunks);
          const expectedLines: number[] = [];
          let line = 1;
          for (const written of lines) {
            expectedLines.push(line);
            line += 1 + (written.match(/\r\n|\r|\n/g) ?? []).length;
          }
          expect(events).toEqual(table.map((fields, i) => ({ kind: "record", fields, line: expectedLines[i] })));
        },
      ),
      { numRuns: 500 },
    );
  });
});
