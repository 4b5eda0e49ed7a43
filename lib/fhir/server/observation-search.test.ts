import { describe, expect, it } from "vitest";
import { encodeCursor, MAX_PAGE_SIZE, parseObservationSearch, type ObservationQuery } from "./observation-search";

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
    const cursor = { effectiveAt: "2026-11-24T08:05:00.000Z", id: 42, direction: "before" as const };
    expect((parse(`_cursor=${encodeCursor(cursor)}`) as ObservationQuery).cursor).toEqual(cursor);
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
  ])("refuses %s naming the parameter", (query, parameter) => {
    expect(parse(query)).toEqual({ error: expect.any(String), parameter });
  });
});
