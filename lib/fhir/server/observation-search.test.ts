import { describe, expect, it } from "vitest";
import { observationCursor, observationSearch, type ObservationSearch } from "./observation-search";
import { parseSearch } from "./search/framework";

const parse = (query: string) => parseSearch(observationSearch, new URLSearchParams(query), "strict");

describe("Observation search parameters", () => {
  it("accepts every parameter it declares, with their modifiers and prefixes, under strict handling", () => {
    const search = parse(
      "patient=Patient/6f1c2d4e-0000-4000-8000-000000000001&subject:Patient=x&code=http://loinc.org|&category=laboratory&date=ge2026-11-01&date=lt2026-11-08" +
        "&value-quantity=gt250||mg/dL&device=Device/d&status=amended&_id=7&_lastUpdated=gt2026-11-24T00:00:00Z&_sort=-date&_include=Observation:subject&_total=accurate&_elements=value",
    ) as ObservationSearch;
    expect(search.conditions).toHaveLength(11);
    expect(search).toMatchObject({ sort: "-date", include: ["Observation:subject"], total: true, elements: ["value"] });
  });

  it("round-trips the paging cursor", () => {
    const cursor = observationCursor("before", { effectiveAt: new Date("2026-11-24T08:05:00.000Z"), id: 42 });
    expect((parse(`_cursor=${cursor}`) as ObservationSearch).cursor).toEqual({ direction: "before", key: ["2026-11-24T08:05:00.000Z", 42] });
  });

  it.each([
    ["date=yesterday", "date"],
    ["_lastUpdated=gt2026-99", "_lastUpdated"],
    ["value-quantity=high", "value-quantity"],
    // Crafted cursors: valid base64url, wrong shape, each a 400 and never a server error.
    [`_cursor=${Buffer.from("null").toString("base64url")}`, "_cursor"],
    [`_cursor=${Buffer.from(JSON.stringify({ v: 1, d: "after", k: ["not a date", 1] })).toString("base64url")}`, "_cursor"],
    [`_cursor=${Buffer.from(JSON.stringify({ v: 1, d: "after", k: ["2026-11-24T08:05:00.000Z", -1] })).toString("base64url")}`, "_cursor"],
    [`_cursor=${Buffer.from(JSON.stringify({ v: 1, d: "sideways", k: ["2026-11-24T08:05:00.000Z", 1] })).toString("base64url")}`, "_cursor"],
    [`_cursor=${Buffer.from(JSON.stringify({ v: 2, d: "after", k: [] })).toString("base64url")}`, "_cursor"],
    [`_cursor=${"A".repeat(600)}`, "_cursor"],
    ["_cursor=%00%ff", "_cursor"],
  ])("refuses %s naming the parameter", (query, parameter) => {
    expect(parse(query)).toEqual({ error: expect.any(String), parameter, code: "invalid" });
  });

  it.each(["identifier=urn:x|1", "code:text=glucose", "subject:Group=1", "_sort=value", "_include=Observation:performer", "_summary=text"])("refuses %s under strict handling as not supported", (query) => {
    expect(parse(query)).toMatchObject({ code: "not-supported" });
  });
});
