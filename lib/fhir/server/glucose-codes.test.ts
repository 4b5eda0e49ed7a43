import { describe, expect, it } from "vitest";
import { codeSelectionsOf, glucoseCodeSelection } from "./glucose-codes";

describe("codeSelectionsOf", () => {
  it.each([
    [{ system: "http://loinc.org", code: "99504-3" }, [{ specimen: "interstitial", unit: "mg/dL" }]],
    [{ system: undefined, code: "14743-9" }, [{ specimen: "capillary", unit: "mmol/L" }]],
    [{ system: "urn:iso:std:iso:11073:10101", code: "160212" }, [{ specimen: "interstitial" }]],
    [
      { system: "http://loinc.org", code: undefined },
      [
        { specimen: "capillary", unit: "mg/dL" },
        { specimen: "capillary", unit: "mmol/L" },
        { specimen: "interstitial", unit: "mg/dL" },
        { specimen: "interstitial", unit: "mmol/L" },
      ],
    ],
    [{ system: "urn:iso:std:iso:11073:10101", code: undefined }, [{ specimen: "capillary" }, { specimen: "interstitial" }]],
    [{ system: null, code: "99504-3" }, []],
    [{ system: "http://snomed.info/sct", code: undefined }, []],
    [{ system: "http://loinc.org", code: "2339-0" }, []],
  ])("%j selects %j", (token, selections) => {
    expect(codeSelectionsOf(token)).toEqual(selections);
  });
});

describe("glucoseCodeSelection", () => {
  it.each([
    ["http://loinc.org", "41653-7", { specimen: "capillary", unit: "mg/dL" }],
    ["http://loinc.org", "107931-8", null],
    [undefined, "41653-7", null],
    ["http://loinc.org", "toString", null],
  ])("%s|%s is %j", (system, code, selection) => {
    expect(glucoseCodeSelection(system, code)).toEqual(selection);
  });
});
