import { describe, expect, it } from "vitest";
import { DEXCOM_MGDL, DEXCOM_MMOL, GENERIC, LIBREVIEW_EU_MMOL, LIBREVIEW_NO_TITLE, LIBREVIEW_US } from "./fixtures";
import { createImportParser, type ParsedImportRow } from "./index";
import { libreHeader, libreRow, parseText, readings, rejections, skips } from "./test-helpers";

type Expected = Partial<ParsedImportRow> & { row: number };

describe("sample files", () => {
  it.each<{ name: string; file: string; format: string; dateOrder: string | null; readings: Expected[]; skipped: number[] }>([
    {
      name: "LibreView US (12-hour clock, month first, CRLF, multi-line note)",
      file: LIBREVIEW_US,
      format: "libreview",
      dateOrder: "month-first",
      readings: [
        { row: 3, localTime: "2026-11-09T23:52", value: 104, unit: "mg/dL", specimen: "interstitial", censored: null, recordKind: "historic", deviceSerial: "3C1B4D2E-8F7A-4B6C" },
        { row: 4, localTime: "2026-11-10T00:07", value: 98, recordKind: "historic" },
        { row: 5, localTime: "2026-11-10T07:31", value: 40, censored: "below", specimen: "interstitial", recordKind: "scan" },
        { row: 6, localTime: "2026-11-10T07:33", value: 62, censored: null, specimen: "capillary", recordKind: "strip" },
        { row: 11, localTime: "2026-11-10T12:22", value: 500, censored: "above", recordKind: "scan" },
        { row: 12, localTime: "2026-11-13T12:37", value: 187, recordKind: "historic" },
        { row: 13, localTime: "2026-11-13T18:05", value: 20, censored: "below", specimen: "capillary", recordKind: "strip" },
      ],
      skipped: [7, 8, 9],
    },
    {
      name: "LibreView Europe (semicolons, decimal commas, mmol/L, 24-hour clock, day first)",
      file: LIBREVIEW_EU_MMOL,
      format: "libreview",
      dateOrder: "day-first",
      readings: [
        { row: 3, localTime: "2026-11-02T23:52", value: 5.8, unit: "mmol/L", specimen: "interstitial", deviceSerial: "0D4B9C7A" },
        { row: 4, localTime: "2026-11-03T00:07", value: 5.4, unit: "mmol/L" },
        { row: 5, localTime: "2026-11-03T07:31", value: 2.2, unit: "mmol/L", censored: "below", recordKind: "scan" },
        { row: 6, localTime: "2026-11-03T07:33", value: 3.4, unit: "mmol/L", specimen: "capillary", recordKind: "strip" },
        { row: 8, localTime: "2026-11-14T12:37", value: 10.4, unit: "mmol/L" },
        { row: 9, localTime: "2026-11-14T18:05", value: 27.8, unit: "mmol/L", censored: "above", recordKind: "scan" },
        { row: 10, localTime: "2026-11-14T18:06", value: 1.1, unit: "mmol/L", censored: "below", recordKind: "strip" },
      ],
      skipped: [7],
    },
    {
      name: "LibreView without title line, with BOM, ambiguous dates, 24-hour clock",
      file: LIBREVIEW_NO_TITLE,
      format: "libreview",
      dateOrder: "day-first",
      readings: [
        { row: 2, localTime: "2026-03-05T08:00", value: 121, deviceSerial: "MXAB12345" },
        { row: 3, localTime: "2026-03-05T08:15", value: 117 },
      ],
      skipped: [],
    },
    {
      name: "Dexcom Clarity mg/dL",
      file: DEXCOM_MGDL,
      format: "dexcom-clarity",
      dateOrder: null,
      readings: [
        { row: 7, localTime: "2026-11-20T08:00:21", instant: null, utcOffsetMinutes: null, value: 112, unit: "mg/dL", specimen: "interstitial", censored: null, deviceSerial: "3F7K2L", recordKind: "egv" },
        { row: 8, localTime: "2026-11-20T08:05:21", value: 40, censored: "below", recordKind: "egv" },
        { row: 9, localTime: "2026-11-20T08:07:02", value: 74, specimen: "capillary", censored: null, deviceSerial: null, recordKind: "calibration" },
        { row: 10, localTime: "2026-11-20T08:10:21", value: 400, censored: "above", recordKind: "egv" },
      ],
      skipped: [2, 3, 4, 5, 6, 11, 12, 13],
    },
    {
      name: "Dexcom Clarity mmol/L",
      file: DEXCOM_MMOL,
      format: "dexcom-clarity",
      dateOrder: null,
      readings: [
        { row: 3, value: 6.2, unit: "mmol/L", censored: null, deviceSerial: "8XYZ01" },
        { row: 4, value: 2.2, unit: "mmol/L", censored: "below" },
        { row: 5, value: 22.2, unit: "mmol/L", censored: "above" },
      ],
      skipped: [2],
    },
    {
      name: "generic",
      file: GENERIC,
      format: "generic",
      dateOrder: null,
      readings: [
        { row: 2, localTime: null, instant: new Date("2026-11-20T06:45:00Z"), utcOffsetMinutes: 60, value: 96, unit: "mg/dL", specimen: "capillary", recordKind: "generic", deviceSerial: null, censored: null },
        { row: 3, localTime: null, instant: new Date("2026-11-20T12:10:00Z"), utcOffsetMinutes: 0, value: 7.8, unit: "mmol/L", specimen: "capillary" },
        { row: 4, localTime: "2026-11-20T18:30", instant: null, utcOffsetMinutes: null, value: 5.1, unit: "mmol/L", specimen: "interstitial" },
        { row: 5, localTime: null, instant: new Date("2026-11-21T03:00:00Z"), utcOffsetMinutes: -300, value: 143, unit: "mg/dL", specimen: "capillary" },
      ],
      skipped: [],
    },
  ])("$name", ({ file, format, dateOrder, readings: expected, skipped }) => {
    const result = parseText(file);
    expect(result.error).toBeNull();
    expect(result.format).toBe(format);
    expect(result.dateOrder).toBe(dateOrder);
    expect(rejections(result.outcomes)).toEqual([]);
    const got = readings(result.outcomes);
    expect(got.map((r) => r.row)).toEqual(expected.map((r) => r.row));
    got.forEach((reading, i) => expect(reading).toMatchObject(expected[i]!));
    expect(skips(result.outcomes)).toEqual(skipped);
    // Outcomes come in file order.
    const rows = result.outcomes.map((o) => (o.kind === "reading" ? o.reading.row : o.row));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
  });

  it("says why rows are skipped", () => {
    const { outcomes } = parseText(LIBREVIEW_US);
    expect(outcomes.filter((o) => o.kind === "skipped").map((o) => (o.kind === "skipped" ? o.reason : ""))).toEqual([
      "record type 4 (insulin) is not a glucose reading",
      "record type 5 (food) is not a glucose reading",
      "record type 6 (note) is not a glucose reading",
    ]);
    const dexcom = parseText(DEXCOM_MGDL).outcomes.flatMap((o) => (o.kind === "skipped" ? [o.reason] : []));
    expect(dexcom).toContain("patient or device information");
    expect(dexcom).toContain('event type "Insulin" is not a glucose reading');
  });
});

describe("LibreView day/month order, decided per file", () => {
  const file = (rows: string[], unit: "mg/dL" | "mmol/L" = "mg/dL") =>
    [libreHeader(unit), ...rows.map((ts, i) => libreRow({ ts, type: 0, historic: String(100 + i) }))].join("\n") + "\n";

  it.each([
    { name: "12-hour clock, no evidence: month first", rows: ["03-04-2026 08:00 AM", "03-05-2026 08:00 PM"], order: "month-first", times: ["2026-03-04T08:00", "2026-03-05T20:00"] },
    { name: "24-hour clock, no evidence: day first", rows: ["03-04-2026 08:00", "03-05-2026 20:00"], order: "day-first", times: ["2026-04-03T08:00", "2026-05-03T20:00"] },
    { name: "24-hour clock but a second number above 12: month first", rows: ["03-04-2026 08:00", "03-14-2026 20:00"], order: "month-first", times: ["2026-03-04T08:00", "2026-03-14T20:00"] },
    { name: "12-hour clock but a first number above 12: day first", rows: ["03-04-2026 08:00 AM", "14-03-2026 08:00 PM"], order: "day-first", times: ["2026-04-03T08:00", "2026-03-14T20:00"] },
    { name: "evidence on the first row", rows: ["25-12-2026 23:59", "01-02-2026 00:00"], order: "day-first", times: ["2026-12-25T23:59", "2026-02-01T00:00"] },
    { name: "same day and month reads either way", rows: ["05-05-2026 12:00 AM"], order: null, times: ["2026-05-05T00:00"] },
    { name: "seconds and slashes", rows: ["13/01/2026 07:05:09"], order: "day-first", times: ["2026-01-13T07:05:09"] },
    { name: "year first needs no order", rows: ["2026-03-04 08:00"], order: null, times: ["2026-03-04T08:00"] },
    { name: "12 AM is midnight, 12 PM noon", rows: ["01-13-2026 12:00 AM", "01-13-2026 12:30 pm"], order: "month-first", times: ["2026-01-13T00:00", "2026-01-13T12:30"] },
  ])("$name", ({ rows, order, times }) => {
    const result = parseText(file(rows));
    expect(rejections(result.outcomes)).toEqual([]);
    expect(result.dateOrder).toBe(order);
    expect(readings(result.outcomes).map((r) => r.localTime)).toEqual(times);
  });

  it("rejects a date that contradicts the order the file settled on", () => {
    const result = parseText(file(["01-13-2026 08:00 AM", "14-01-2026 08:00 AM", "01-15-2026 08:00 AM"]));
    expect(result.dateOrder).toBe("month-first");
    expect(readings(result.outcomes).map((r) => r.row)).toEqual([2, 4]);
    expect(rejections(result.outcomes)).toEqual([
      'Row 3: time "14-01-2026 08:00 AM" does not fit the month-day-year order of the other dates in this file',
    ]);
  });

  it("rejects a date that exists in neither order", () => {
    const result = parseText(file(["31-02-2026 10:00", "02-31-2026 10:00", "30-30-2026 10:00"]));
    expect(rejections(result.outcomes)).toEqual([
      'Row 2: time "31-02-2026 10:00" is not a valid date',
      'Row 3: time "02-31-2026 10:00" is not a valid date',
      'Row 4: time "30-30-2026 10:00" is not a valid date',
    ]);
  });

  it("keeps ambiguous rows waiting, in order, until the file settles the order", () => {
    const rows = Array.from({ length: 12 }, (_, day) => `11-${String(day + 1).padStart(2, "0")}-2026 08:00`);
    const parser = createImportParser();
    const header = libreHeader() + "\n";
    const early = parser.push(header + rows.map((ts) => libreRow({ ts, type: 0, historic: "100" }) + "\n").join(""));
    expect(early).toEqual([]); // 24-hour clock says day first, but nothing settled it yet
    const settled = parser.push(libreRow({ ts: "11-13-2026 08:00", type: 0, historic: "100" }) + "\n");
    expect(parser.dateOrder).toBe("month-first");
    expect(settled.map((o) => (o.kind === "reading" ? o.reading.localTime : o.kind))).toEqual(
      Array.from({ length: 13 }, (_, day) => `2026-11-${String(day + 1).padStart(2, "0")}T08:00`),
    );
    expect(parser.end()).toEqual([]);
  });

  it("stops waiting after maxPendingRows and falls back to the clock style", () => {
    const rows = ["01-02-2026 08:00", "01-03-2026 08:00", "01-04-2026 08:00", "01-13-2026 08:00"];
    const result = parseText(file(rows), Infinity, { maxPendingRows: 2 });
    expect(result.dateOrder).toBe("day-first");
    expect(readings(result.outcomes).map((r) => r.localTime)).toEqual(["2026-02-01T08:00", "2026-03-01T08:00", "2026-04-01T08:00"]);
    expect(rejections(result.outcomes)).toEqual([
      'Row 5: time "01-13-2026 08:00" does not fit the day-month-year order of the other dates in this file',
    ]);
  });
});

describe("rejected rows say what to fix", () => {
  const libre = (...rows: string[]) => [libreHeader(), ...rows].join("\n");
  const dexcomHeader =
    "Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Event Subtype,Patient Info,Device Info,Source Device ID,Glucose Value (mg/dL),Insulin Value (u),Carb Value (grams),Duration (hh:mm:ss),Glucose Rate of Change (mg/dL/min),Transmitter Time (Long Integer),Transmitter ID";
  const dexcom = (...rows: string[]) => [dexcomHeader, ...rows].join("\n");
  const generic = (...rows: string[]) => ["time,value,unit,specimen", ...rows].join("\n");

  it.each([
    ["LibreView value not a number", libre(libreRow({ ts: "11-13-2026 08:00 AM", type: 0, historic: "abc" })), 'Row 2: historic glucose value "abc" is not a number'],
    ["LibreView empty value", libre(libreRow({ ts: "11-13-2026 08:00 AM", type: 1 })), "Row 2: scan glucose value is empty"],
    [
      "LibreView unquoted decimal comma in a comma file",
      libre(libreRow({ ts: "11-13-2026 08:00 AM", type: 0, historic: "5,4" })),
      'Row 2: the value 5,4 has a decimal comma, which splits it over two columns in a comma-separated file. Write 5.4, or put the value in quotes ("5,4"), or separate the columns with semicolons.',
    ],
    ["LibreView unknown time form", libre(libreRow({ ts: "Nov 13 2026 8am", type: 0, historic: "100" })), 'Row 2: time "Nov 13 2026 8am" is not in the form MM-DD-YYYY hh:mm AM/PM or DD-MM-YYYY HH:MM'],
    ["LibreView impossible hour", libre(libreRow({ ts: "11-13-2026 13:00 PM", type: 0, historic: "100" })), 'Row 2: time "11-13-2026 13:00 PM" is not a valid time of day'],
    ["LibreView 24:00", libre(libreRow({ ts: "13-11-2026 24:00", type: 0, historic: "100" })), 'Row 2: time "13-11-2026 24:00" is not a valid time of day'],
    ["LibreView empty time", libre(libreRow({ ts: "", type: 0, historic: "100" })), "Row 2: time is empty"],
    ["LibreView record type not a number", libre(libreRow({ ts: "11-13-2026 08:00 AM", type: "x", historic: "100" })), 'Row 2: record type "x" is not a number'],
    ["LibreView empty record type", libre(libreRow({ ts: "11-13-2026 08:00 AM", type: "", historic: "100" })), "Row 2: record type is empty"],
    [
      "LibreView strip row without a strip column",
      "Device,Serial Number,Device Timestamp,Record Type,Historic Glucose mg/dL\nFreeStyle Libre,X,11-13-2026 08:00 AM,2,",
      'Row 2: a strip reading, but the file has no "Strip Glucose" column',
    ],
    ["Dexcom EGV without time", dexcom("1,,EGV,,,,iOS G7,100,,,,,,"), "Row 2: time is empty"],
    ["Dexcom time reformatted by a spreadsheet", dexcom("1,11/20/2026 08:00,EGV,,,,iOS G7,100,,,,,,"), 'Row 2: time "11/20/2026 08:00" is not in the form YYYY-MM-DDThh:mm[:ss] with an optional UTC offset such as +01:00'],
    ["Dexcom impossible date", dexcom("1,2026-02-29T08:00:00,EGV,,,,iOS G7,100,,,,,,"), 'Row 2: time "2026-02-29T08:00:00" is not a valid date'],
    ["Dexcom value not a number", dexcom("1,2026-11-20T08:00:00,EGV,,,,iOS G7,1e2,,,,,,"), 'Row 2: glucose value "1e2" is not a number'],
    ["Dexcom empty calibration value", dexcom("1,2026-11-20T08:00:00,Calibration,,,,iOS G7,,,,,,,"), "Row 2: glucose value is empty"],
    ["generic value not a number", generic("2026-11-20T08:00,abc,mg/dL"), 'Row 2: glucose value "abc" is not a number'],
    ["generic invalid date", generic("2026-02-30T08:00,100,mg/dL"), 'Row 2: time "2026-02-30T08:00" is not a valid date'],
    ["generic day-first time", generic("31-02-2026 10:00,100,mg/dL"), 'Row 2: time "31-02-2026 10:00" is not in the form YYYY-MM-DDThh:mm[:ss] with an optional UTC offset such as +01:00'],
    ["generic impossible offset", generic("2026-11-20T08:00+15:00,100,mg/dL"), 'Row 2: time "2026-11-20T08:00+15:00" has an impossible UTC offset'],
    ["generic unknown unit", generic("2026-11-20T08:00,100,mg"), 'Row 2: unit "mg" is not mg/dL or mmol/L'],
    ["generic empty unit", generic("2026-11-20T08:00,100,"), "Row 2: unit is empty (write mg/dL or mmol/L)"],
    ["generic unknown specimen", generic("2026-11-20T08:00,100,mg/dL,venous"), 'Row 2: specimen "venous" is not capillary or interstitial'],
    [
      "generic unquoted decimal comma",
      generic("2026-11-20T08:00,5,4,mmol/L,capillary"),
      'Row 2: the value 5,4 has a decimal comma, which splits it over two columns in a comma-separated file. Write 5.4, or put the value in quotes ("5,4"), or separate the columns with semicolons.',
    ],
    ["generic row with a stray comma", generic("2026-11-20T08:00,100,mg/dL,capillary,after dinner"), "Row 2: has 5 fields but the header has 4; put a value that contains a comma in quotes"],
    ["generic empty value", generic("2026-11-20T08:00,,mg/dL"), "Row 2: glucose value is empty"],
    ["generic empty time", generic(",100,mg/dL"), "Row 2: time is empty"],
    ["a stray quote swallowing the rest", generic('2026-11-20T08:00,"100,mg/dL', "2026-11-20T08:05,101,mg/dL"), 'Row 2: a quoted field does not end (a stray " character?), so lines 2–3 were not read'],
  ])("%s", (_name, file, reason) => {
    const result = parseText(file);
    expect(result.error).toBeNull();
    expect(rejections(result.outcomes)).toEqual([reason]);
    expect(result.outcomes).toHaveLength(1);
    const outcome = result.outcomes[0]!;
    expect(outcome.kind === "rejected" && outcome.row).toBe(2);
  });

  it("reads on after a rejected row, with the right row numbers", () => {
    const file = ["time,value,unit", "2026-11-20T08:00,abc,mg/dL", "", "2026-11-20T08:05,101,mg/dL", "2026-11-20T08:10,\"1\n2\",mg/dL", "2026-11-20T08:15,102,mg/dL"].join("\r\n");
    const result = parseText(file);
    expect(result.outcomes.map((o) => (o.kind === "reading" ? `${o.reading.row}:${o.reading.value}` : `${o.kind}:${o.row}`))).toEqual([
      "rejected:2",
      "4:101",
      "rejected:5",
      "7:102",
    ]);
  });

  it("rejects an over-long row and resumes at the next line", () => {
    const file = `time,value,unit\n2026-11-20T08:00,${"9".repeat(500)},mg/dL\n2026-11-20T08:05,101,mg/dL\n`;
    const result = parseText(file, 7, { maxRecordChars: 100 });
    expect(rejections(result.outcomes)).toEqual(["Row 2: the row is longer than 100 characters, so it was not read"]);
    expect(readings(result.outcomes).map((r) => [r.row, r.value])).toEqual([[3, 101]]);
  });
});

describe("decimal commas", () => {
  it.each([
    ["a quoted decimal comma in a comma-separated generic file", 'time,value,unit\n2026-11-20T08:00,"5,4",mmol/L\n'],
    ["a quoted decimal comma in a comma-separated LibreView file", [libreHeader("mmol/L"), libreRow({ ts: "13-11-2026 08:00", type: 2, strip: '"5,4"' })].join("\n")],
    ["an unquoted decimal comma in a semicolon-separated file", "time;value;unit\n2026-11-20T08:00;5,4;mmol/L\n"],
    ["a decimal comma in a tab-separated file", "time\tvalue\tunit\n2026-11-20T08:00\t5,4\tmmol/L\n"],
  ])("reads %s as 5.4", (_name, file) => {
    const result = parseText(file);
    expect(rejections(result.outcomes)).toEqual([]);
    expect(readings(result.outcomes).map((r) => r.value)).toEqual([5.4]);
  });
});

describe("file-level errors", () => {
  it.each([
    ["an empty file", ""],
    ["only a BOM", "\uFEFF"],
    ["only blank lines", "\r\n\n  \n"],
  ])("%s is empty", (_name, text) => {
    for (const size of [1, 7, Infinity]) {
      const result = parseText(text, size);
      expect(result.error).toBe("The file is empty.");
      expect(result.outcomes).toEqual([]);
      expect(result.format).toBeNull();
    }
  });

  it("names the supported formats and quotes the first line, truncated", () => {
    const text = `Date;Glucose;Comment with a very long text that goes on and on beyond sixty characters\n1;2;3\n`;
    const result = parseText(text);
    expect(result.error).toBe(
      'This file is not in a format Lantern can import. Supported: LibreView CSV export (FreeStyle Libre), Dexcom Clarity CSV export, or a CSV whose first line is "time,value,unit" (optionally ",specimen"). Its first line is "Date;Glucose;Comment with a very long text that goes on and …".',
    );
    expect(result.outcomes).toEqual([]);
  });

  it.each([
    ["a LibreView title without its header", "Glucose Data,Generated on,11-24-2026 10:00 AM,Generated by,Jane Doe\n", "its column header row is missing"],
    ["a zip (xlsx) file", "PK\u0003\u0004\u0014\u0000\u0006\u0000", "Excel or zip file"],
    ["a PDF", "%PDF-1.7\n%âãÏÓ\n", "PDF report"],
  ])("hints at %s", (_name, text, hint) => {
    expect(parseText(text).error).toContain(hint);
  });

  it("gives up when the header is not within the first lines", () => {
    const text = `${"preamble\n".repeat(10)}time,value,unit\n2026-11-20T08:00,100,mg/dL\n`;
    expect(parseText(text).error).toContain('Its first line is "preamble"');
    const blankLinesDoNotCount = `${"\n".repeat(50)}time,value,unit\n2026-11-20T08:00,100,mg/dL\n`;
    expect(readings(parseText(blankLinesDoNotCount).outcomes).map((r) => r.row)).toEqual([52]);
  });

  it("gives up on a first line too long to be a header, without buffering the file", () => {
    const parser = createImportParser();
    parser.push("x".repeat(10_000));
    expect(parser.error).toBeNull();
    parser.push("x".repeat(10_000));
    expect(parser.error).toContain('Its first line is "xxxx');
    expect(parser.push("time,value,unit\n")).toEqual([]);
    expect(parser.end()).toEqual([]);
  });

  it("accepts a header-only file with no rows", () => {
    const result = parseText("time,value,unit\n");
    expect(result).toEqual({ outcomes: [], format: "generic", error: null, dateOrder: null });
  });
});

describe("chunk boundaries", () => {
  const files = {
    LIBREVIEW_US,
    LIBREVIEW_EU_MMOL,
    LIBREVIEW_NO_TITLE,
    DEXCOM_MGDL,
    DEXCOM_MMOL,
    GENERIC,
    emoji: 'time,value,unit,specimen\r\n2026-11-20T08:00,100,mg/dL,capillary\r\n"2026-11-20T08:05",😀,mg/dL\r',
    crOnly: "time,value,unit\r2026-11-20T08:00,100,mg/dL\r\r2026-11-20T08:05,101,mg/dL",
  };

  it.each(Object.entries(files))("%s gives the same outcomes in chunks of 1, 7 and 4096 characters", (_name, file) => {
    const whole = parseText(file);
    expect(whole.outcomes.length).toBeGreaterThan(0);
    for (const size of [1, 7, 4096]) expect(parseText(file, size)).toEqual(whole);
  });

  it("does not split a surrogate pair", () => {
    const file = "time,value,unit\n2026-11-20T08:00,😀,mg/dL\n";
    const cut = file.indexOf("😀") + 1; // between the two halves
    expect(parseText(file, [cut])).toEqual(parseText(file));
    expect(rejections(parseText(file, 1).outcomes)).toEqual(['Row 2: glucose value "😀" is not a number']);
  });
});
