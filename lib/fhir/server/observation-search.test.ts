import { describe, expect, it } from "vitest";
import { observationCursor, parseObservationSearch, type ObservationQuery } from "./observation-search";
import { MAX_PAGE_SIZE } from "./paging";

const patient = "6f1c2d4e-0000-4000-8000-000000000001";
const parse = (query: string) => parseObservationSearch(new URLSearchParams(query));

describe("parseObservationSearch", () => {
  it("reads patient and subject references in every form", () => {
    for (const query of [`patient=${patient}`, `patient=Patient/${patient}`, `subject=Patient/${patient}`, `subject=https://lantern.example/fhir/Patient/${patient}`]) {
      expect((parse(query) as ObservationQuery).patientIds).toEqual([patient]);
    }
  });

  it("turns ids that cannot exist into a search that matches nothing", () => {
    expect((parse("patient=not-a-uuid") as ObservationQuery).patientIds).toEqual([]);
  });

  it.each([
    ["code=http://loinc.org|99504-3", [{ specimen: "interstitial", unit: "mg/dL" }]],
    ["code=14743-9", [{ specimen: "capillary", unit: "mmol/L" }]],
    ["code=http://loinc.org|41653-7,http://loinc.org|105272-9", [{ specimen: "capillary", unit: "mg/dL" }, { specimen: "interstitial", unit: "mmol/L" }]],
    ["code=urn:iso:std:iso:11073:10101|160212", [{ specimen: "interstitial" }]],
    ["code=http://loinc.org|2339-0", []],
    ["", null],
  ])("%s selects %j", (query, codes) => {
    expect((parse(query) as ObservationQuery).codes).toEqual(codes);
  });

  it.each([
    ["category=laboratory", true],
    ["category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory", true],
    ["category=vital-signs", false],
  ])("%s matches: %s", (query, matches) => {
    expect((parse(query) as ObservationQuery).categoryMatches).toBe(matches);
  });

  it("reads repeated dates as a range, sort, includes, summary and a clamped count", () => {
    const query = parse("date=ge2026-11-01&date=lt2026-11-08&_sort=-date&_include=Observation:subject&_include=Observation:device&_count=5000&_summary=count") as ObservationQuery;
    expect(query.dates.map((d) => d.prefix)).toEqual(["ge", "lt"]);
    expect(query).toMatchObject({ sort: "-date", include: { subject: true, device: true }, summaryCount: true, count: MAX_PAGE_SIZE });
  });

  it("round-trips the paging cursor", () => {
    const cursor = observationCursor("before", { effectiveAt: new Date("2026-11-24T08:05:00.000Z"), id: 42 });
    expect((parse(`_cursor=${cursor}`) as ObservationQuery).cursor).toEqual({ direction: "before", key: ["2026-11-24T08:05:00.000Z", 42] });
  });

  it.each([
    ["date=yesterday", "date"],
    ["_lastUpdated=gt2026-99", "_lastUpdated"],
    ["_count=-1", "_count"],
    ["_count=ten", "_count"],
    ["_sort=value", "_sort"],
    ["_include=Observation:performer", "_include"],
    ["_summary=text", "_summary"],
    ["_cursor=garbage", "_cursor"],
    // Crafted cursors: valid base64url, wrong shape, each a 400 and never a server error.
    [`_cursor=${Buffer.from("null").toString("base64url")}`, "_cursor"],
    [`_cursor=${Buffer.from(JSON.stringify({ v: 1, d: "after", k: ["not a date", 1] })).toString("base64url")}`, "_cursor"],
    [`_cursor=${Buffer.from(JSON.stringify({ v: 1, d: "after", k: ["2026-11-24T08:05:00.000Z", -1] })).toString("base64url")}`, "_cursor"],
    [`_cursor=${Buffer.from(JSON.stringify({ v: 1, d: "sideways", k: ["2026-11-24T08:05:00.000Z", 1] })).toString("base64url")}`, "_cursor"],
    [`_cursor=${Buffer.from(JSON.stringify({ v: 2, d: "after", k: [] })).toString("base64url")}`, "_cursor"],
    [`_cursor=${"A".repeat(600)}`, "_cursor"],
    ["_cursor=%00%ff", "_cursor"],
  ])("refuses %s naming the parameter", (query, parameter) => {
    expect(parse(query)).toEqual({ error: expect.any(String), parameter });
  });
});
