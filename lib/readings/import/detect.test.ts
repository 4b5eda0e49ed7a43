import { describe, expect, it } from "vitest";
import { DEXCOM_MGDL, DEXCOM_MMOL, GENERIC, LIBREVIEW_EU_MMOL, LIBREVIEW_NO_TITLE, LIBREVIEW_US } from "./fixtures";
import { detectImportFormat } from "./index";
import { detectHeader } from "./detect";

const lines = (text: string) => text.split(/\r\n|\r|\n/).slice(0, 12);

describe("detectImportFormat", () => {
  it.each([
    ["LibreView US", LIBREVIEW_US, { format: "libreview", headerLine: 2, delimiter: "," }],
    ["LibreView Europe", LIBREVIEW_EU_MMOL, { format: "libreview", headerLine: 2, delimiter: ";" }],
    ["LibreView without title, with BOM", LIBREVIEW_NO_TITLE, { format: "libreview", headerLine: 1, delimiter: "," }],
    ["Dexcom mg/dL", DEXCOM_MGDL, { format: "dexcom-clarity", headerLine: 1, delimiter: "," }],
    ["Dexcom mmol/L", DEXCOM_MMOL, { format: "dexcom-clarity", headerLine: 1, delimiter: "," }],
    ["generic with specimen", GENERIC, { format: "generic", headerLine: 1, delimiter: "," }],
    ["generic, any case and spacing", " Time , VALUE ,Unit\n", { format: "generic", headerLine: 1, delimiter: "," }],
    ["generic, semicolons", "time;value;unit\n", { format: "generic", headerLine: 1, delimiter: ";" }],
    ["generic, tabs", "time\tvalue\tunit\tspecimen\n", { format: "generic", headerLine: 1, delimiter: "\t" }],
    ["generic, quoted header", '"time","value","unit"\n', { format: "generic", headerLine: 1, delimiter: "," }],
    ["generic after blank lines", "\n\ntime,value,unit\n", { format: "generic", headerLine: 3, delimiter: "," }],
    [
      "LibreView with bracketed units and a localised column",
      "Device,Serial Number,Device Timestamp,Record Type,Historic Glucose (mmol/L),Long-Acting Insulin Value (units)\n",
      { format: "libreview", headerLine: 1, delimiter: "," },
    ],
  ])("%s", (_name, text, expected) => {
    expect(detectImportFormat(lines(text))).toEqual(expected);
  });

  it("finds LibreView columns by name, wherever they are", () => {
    const header = "Record Type,Strip Glucose mmol/L,Device Timestamp,Serial Number,Scan Glucose mmol/L";
    expect(detectHeader([header])).toMatchObject({
      format: "libreview",
      columns: { recordType: 0, strip: { index: 1, unit: "mmol/L" }, timestamp: 2, serial: 3, scan: { index: 4, unit: "mmol/L" }, historic: null },
    });
  });

  it.each([
    ["time,value", 'Its first line is "time,value"'],
    ["time,value,unit,specimen,notes", 'Its first line is "time,value,unit,specimen,notes"'],
    ["Device,Serial Number,Device Timestamp,Record Type", 'Its first line is "Device,Serial Number,Device Timestamp,Record Type"'],
    ["Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type", "Its first line is"],
    ["\u0000\u0001binary\u0002", 'Its first line is "??binary?"'],
  ])("does not take %j for a header", (line, message) => {
    const result = detectImportFormat([line]);
    expect(result).toHaveProperty("error");
    expect("error" in result && result.error).toContain(message);
    expect("error" in result && result.error).toContain("Supported: LibreView CSV export (FreeStyle Libre), Dexcom Clarity CSV export");
  });

  it("says when there is nothing to read", () => {
    expect(detectImportFormat([])).toEqual({ error: "The file is empty." });
    expect(detectImportFormat(["\uFEFF", "  ", ""])).toEqual({ error: "The file is empty." });
  });

  it("looks at ten non-blank lines at most", () => {
    expect(detectImportFormat([...Array<string>(9).fill("x"), "time,value,unit"])).toMatchObject({ headerLine: 10 });
    expect(detectImportFormat([...Array<string>(10).fill("x"), "time,value,unit"])).toHaveProperty("error");
  });
});
