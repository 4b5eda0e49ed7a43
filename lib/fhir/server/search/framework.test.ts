import { describe, expect, it } from "vitest";
import { encodeCursor, idKey, MAX_PAGE_SIZE, type IdKey } from "../paging";
import type { Handling } from "../prefer";
import { parseSearch, searchPageUrl } from "./framework";
import type { ParsedSearch, SearchDefinition } from "./types";

/** A toy type whose conditions are text, so what the framework hands each parameter shows. */
const widgetSearch: SearchDefinition<string, IdKey> = {
  resourceType: "Widget",
  parameters: {
    name: { type: "string", documentation: "", modifiers: ["exact"], where: (values, modifier) => `name${modifier ? `:${modifier}` : ""} in ${JSON.stringify(values)}` },
    code: { type: "token", documentation: "", where: (values) => `code in ${JSON.stringify(values)}`, missing: (missing) => `code missing ${missing}` },
    made: { type: "date", documentation: "", where: (values) => `made ${values.map((v) => v.prefix).join("|")}` },
    owner: { type: "reference", documentation: "", modifiers: ["Patient"], where: (values) => `owner ${values.map((v) => `${v.type}/${v.id}`).join("|")}` },
    weight: { type: "quantity", documentation: "", where: (values) => `weight ${values.map((v) => `${v.prefix}${v.value}`).join("|")}` },
  },
  sorts: ["made", "-made"],
  includes: ["Widget:owner"],
  elements: { elements: ["name", "value[x]"], mandatory: ["code"] },
  totalByDefault: false,
  cursorKey: idKey,
};

const parse = (query: string, handling: Handling = "lenient") => parseSearch(widgetSearch, new URLSearchParams(query), handling);
const parsed = (query: string, handling: Handling = "lenient") => parse(query, handling) as ParsedSearch<string, IdKey>;

describe("parseSearch", () => {
  it("hands each occurrence's comma-separated values to its parameter, parsed by type", () => {
    const search = parsed("name=Lopez,Chen&name:exact=Maria&code=http://loinc.org|&code:missing=true&made=ge2026-01-01&owner=Patient/p1&weight=gt250");
    expect(search.conditions).toEqual([
      'name in ["Lopez","Chen"]',
      'name:exact in ["Maria"]',
      'code in [{"system":"http://loinc.org"}]',
      "code missing true",
      "made ge",
      "owner Patient/p1",
      "weight gt250",
    ]);
  });

  it("reads the result parameters", () => {
    const cursor = encodeCursor("after", ["6f1c2d4e-0000-4000-8000-000000000001"]);
    expect(parsed(`_count=5000&_sort=-made&_include=Widget:owner&_summary=count&_elements=name,valueQuantity&_cursor=${cursor}`)).toMatchObject({
      count: MAX_PAGE_SIZE,
      sort: "-made",
      include: ["Widget:owner"],
      summaryCount: true,
      total: true,
      elements: ["name", "valueQuantity"],
      cursor: { direction: "after", key: ["6f1c2d4e-0000-4000-8000-000000000001"] },
      cursorToken: cursor,
    });
  });

  it.each([
    ["", { total: false, sort: "made", count: 100, elements: null }],
    ["_total=accurate", { total: true }],
    ["_total=estimate", { total: true }],
    ["_total=none&_summary=count", { total: true, summaryCount: true }],
    ["_summary=false", { summaryCount: false }],
  ])("%j gives %j", (query, expected) => {
    expect(parsed(query)).toMatchObject(expected);
  });

  it.each([
    ["foo=bar", "foo"],
    ["name:contains=Lo", "name:contains"],
    ["code:text=glucose", "code:text"],
    ["owner:Device=d1", "owner:Device"],
    ["_sort=name", "_sort"],
    ["_include=Widget:maker", "_include"],
    ["_summary=true", "_summary"],
    ["_elements=colour", "_elements"],
    ["_format=xml", "_format"],
    ["_count:exact=5", "_count:exact"],
    ["_revinclude=Observation:subject", "_revinclude"],
  ])("under strict handling refuses %s as not supported, naming %s", (query, parameter) => {
    expect(parse(query, "strict")).toEqual({ error: expect.stringContaining("Prefer: handling=strict"), parameter, code: "not-supported" });
  });

  it.each([
    ["foo=bar&name=Lopez", 'name in ["Lopez"]', [["name", "Lopez"]]],
    ["name:contains=Lo&name=Lopez", 'name in ["Lopez"]', [["name", "Lopez"]]],
    ["_sort=name&name=Lopez", 'name in ["Lopez"]', [["name", "Lopez"]]],
    ["_include=Widget:maker,Widget:owner&name=Lopez", 'name in ["Lopez"]', [["_include", "Widget:owner"], ["name", "Lopez"]]],
    ["_elements=colour,name&name=Lopez", 'name in ["Lopez"]', [["_elements", "name"], ["name", "Lopez"]]],
  ])("under lenient handling drops what it does not support from %s, and from the self link", (query, condition, applied) => {
    expect(parsed(query)).toMatchObject({ conditions: [condition], applied });
  });

  it.each([
    ["made=yesterday", "made"],
    ["weight=heavy", "weight"],
    ["code=|", "code"],
    ["code:missing=maybe", "code:missing"],
    ["_count=-1", "_count"],
    ["_count=5&_count=6", "_count"],
    ["_total=some", "_total"],
    ["_cursor=garbage", "_cursor"],
    [`_cursor=${encodeCursor("after", ["not-a-uuid"])}`, "_cursor"],
  ])("refuses the malformed %s in either handling, naming %s", (query, parameter) => {
    for (const handling of ["strict", "lenient"] as const) expect(parse(query, handling)).toEqual({ error: expect.any(String), parameter, code: "invalid" });
  });

  it("ignores parameters with an empty value", () => {
    expect(parsed("name=&code=&foo=", "strict")).toMatchObject({ conditions: [], applied: [] });
  });
});

describe("searchPageUrl", () => {
  it("carries only what was applied, written as FHIR queries are, and the page's cursor", () => {
    const search = parsed("code=http://loinc.org|99504-3,|x&foo=bar&name=Mar%C3%ADa%20Jos%C3%A9&_count=5000");
    expect(searchPageUrl("https://lantern.example.org/fhir", search, null)).toBe(
      "https://lantern.example.org/fhir/Widget?code=http://loinc.org|99504-3,|x&name=Mar%C3%ADa%20Jos%C3%A9&_count=1000",
    );
    expect(searchPageUrl("https://lantern.example.org/fhir", search, "abc")).toMatch(/&_count=1000&_cursor=abc$/);
    expect(searchPageUrl("https://lantern.example.org/fhir", parsed(""), null)).toBe("https://lantern.example.org/fhir/Widget");
  });

  it("round-trips: the self link parses to the same search", () => {
    const search = parsed("name:exact=O'Neil&made=ge2026-01-01&made=lt2026-02-01&code=a\\,b|c&_sort=-made");
    const again = parsed(new URL(searchPageUrl("https://x.example/fhir", search, null)).search.slice(1));
    expect(again.conditions).toEqual(search.conditions);
    expect(again.applied).toEqual(search.applied);
  });
});
