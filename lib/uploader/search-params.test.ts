import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { parseV1EntrySpec, parseV1Search, parseV3History, parseV3Search, project } from "./search-params";

const params = (query: string) => new URLSearchParams(query);
const at = (text: string) => new Date(text);
const errorOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return isAppError(error, "invalid_input") ? error.message : error;
  }
  throw new Error("expected a refusal");
};

describe("parseV1Search", () => {
  it("reads Nightscout's default counts: 10 entries and reports, 100 treatments, 1,000 when searching", () => {
    expect(parseV1Search(params(""), "entries").limit).toBe(10);
    expect(parseV1Search(params(""), "devicestatus").limit).toBe(10);
    expect(parseV1Search(params(""), "treatments").limit).toBe(100);
    expect(parseV1Search(params("find[eventType]=Note"), "treatments").limit).toBe(1000);
    expect(parseV1Search(params("count=288"), "entries").limit).toBe(288);
  });

  it("reads find[date] comparisons in epoch milliseconds, keeping the tighter bound on each side", () => {
    const [t1, t2, t9] = [1_800_000_001_000, 1_800_000_002_000, 1_800_000_009_000];
    expect(parseV1Search(params(`find[date][$gte]=${t1}&find[date][$gt]=${t2}&find[date][$lte]=${t9}&find[date][$lt]=${t9}`), "entries").time).toEqual({
      from: { at: new Date(t2), inclusive: false },
      to: { at: new Date(t9), inclusive: false },
    });
  });

  it("reads ISO times, even with the + of the offset unescaped (it arrives as a space)", () => {
    expect(parseV1Search(params("find[dateString][$gte]=2026-11-24T09:00:00 01:00"), "entries").time.from).toEqual({ at: at("2026-11-24T08:00:00Z"), inclusive: true });
    expect(parseV1Search(params("find[created_at][$lte]=2026-11-24T08:00:00.000Z"), "treatments").time.to).toEqual({ at: at("2026-11-24T08:00:00Z"), inclusive: true });
  });

  it("reads equality filters: find[type], $eq, $in, and xDrip+'s uuid as the _id it gave", () => {
    expect(parseV1Search(params("find[type]=sgv"), "entries").equals).toEqual({ type: ["sgv"] });
    expect(parseV1Search(params("find[type][$eq]=mbg"), "entries").equals).toEqual({ type: ["mbg"] });
    expect(parseV1Search(params("find[eventType][$in]=Meal Bolus|Note"), "treatments").equals).toEqual({ eventType: ["Meal Bolus", "Note"] });
    expect(parseV1Search(params("find[type][$in][]=sgv&find[type][$in][]=mbg"), "entries").equals).toEqual({ type: ["sgv", "mbg"] });
    expect(parseV1Search(params("find[uuid]=2d4c6e8f-1a3b-4c5d-8e7f-9a0b1c2d3e4f"), "treatments").equals).toEqual({ identifier: ["2d4c6e8f1a3b4c5d8e7f9a0b"] });
  });

  it("leaves parameters that are not filters alone (credentials, cache-busters)", () => {
    expect(parseV1Search(params("token=abc&secret=x&_=123"), "entries")).toMatchObject({ equals: {}, time: {} });
  });

  it.each([
    ["count=0", "entries", "count must be a positive whole number."],
    ["count=20000", "entries", "count must be at most 10,000."],
    ["find[sgv][$gte]=120", "entries", "Lantern cannot search entries by find[sgv]; it searches by find[date], find[dateString], find[sysTime], find[type], find[_id]."],
    ["find[notes]=x", "treatments", expect.stringContaining("cannot search treatments by find[notes]")],
    ["find[date][$ne]=1", "entries", "Lantern cannot search with $ne; it understands $eq, $in, $gt, $gte, $lt and $lte."],
    ["find[type][$gte]=sgv", "entries", "find[type] can only be searched for equal values ($eq or $in)."],
    ["find[date][$in]=1|2", "entries", "find[date] cannot be searched with $in; use $gte and $lte."],
    ["find[created_at][$gte]=last week", "devicestatus", "find[created_at] must be a time: epoch milliseconds or ISO 8601 text."],
  ] as const)("refuses %s with a sentence", (query, collection, message) => {
    expect(errorOf(() => parseV1Search(params(query), collection))).toEqual(message);
  });
});

describe("parseV1EntrySpec", () => {
  it("reads current, an entry type and an id, with or without .json", () => {
    expect(parseV1EntrySpec("current.json", params("count=5"))).toMatchObject({ limit: 1, equals: { type: ["sgv"] } });
    expect(parseV1EntrySpec("mbg", params("count=5"))).toMatchObject({ limit: 5, equals: { type: ["mbg"] } });
    expect(parseV1EntrySpec("42.json", params(""))).toMatchObject({ limit: 1, equals: { identifier: ["42"] } });
  });

  it("answers JSON only", () => {
    expect(errorOf(() => parseV1EntrySpec("sgv.csv", params("")))).toBe("Lantern answers JSON only: ask for sgv.json.");
  });
});

describe("parseV3Search", () => {
  it("reads AndroidAPS's searches: newest sgv first; after a date, oldest first, limited", () => {
    expect(parseV3Search(params("sort$desc=date&type=sgv"), "entries")).toMatchObject({ order: "desc", sortBy: "time", limit: 1000, equals: { type: ["sgv"] } });
    expect(parseV3Search(params("sort=date&date$gt=1800000000000&limit=500"), "entries")).toMatchObject({ order: "asc", limit: 500, time: { from: { at: new Date(1_800_000_000_000), inclusive: false } } });
    expect(parseV3Search(params("sort=created_at&created_at$gt=2026-11-24T08:00:00.000Z&limit=500"), "treatments")).toMatchObject({ order: "asc", time: { from: { at: at("2026-11-24T08:00:00Z") } } });
  });

  it("reads skip, fields and srvModified", () => {
    expect(parseV3Search(params("skip=20&fields=sgv,date&srvModified$gte=1800000000000"), "entries")).toMatchObject({ skip: 20, fields: ["sgv", "date"], modified: { from: { at: new Date(1_800_000_000_000), inclusive: true } } });
    expect(parseV3Search(params("fields=_all"), "entries").fields).toBeNull();
  });

  it.each([
    ["limit=0", "Parameter limit out of tolerance"],
    ["limit=1001", "Parameter limit out of tolerance"],
    ["skip=-1", "Parameter skip out of tolerance"],
    ["sort=date&sort$desc=date", "Parameters sort and sort_desc cannot be combined"],
    ["date$near=1", "Unsupported filter operator near"],
    ["date$re=1", "Lantern does not support the filter operator re; it understands eq, in, gt, gte, lt and lte."],
    ["sgv$gte=100", "Lantern cannot search entries by sgv; it searches by date, dateString, sysTime, srvModified, type, identifier."],
    ["sort=sgv", "Lantern sorts entries by date, dateString, sysTime, srvModified."],
  ])("refuses %s with Nightscout's message or a sentence", (query, message) => {
    expect(errorOf(() => parseV3Search(params(query), "entries"))).toBe(message);
  });
});

describe("parseV3History", () => {
  it("reads changes after the time in the path, oldest first", () => {
    expect(parseV3History("1800000000000", null, params("limit=500"))).toMatchObject({ limit: 500, sortBy: "modified", order: "asc", modified: { from: { at: new Date(1_800_000_000_000), inclusive: false } } });
  });

  it("reads changes since the Last-Modified header, to the second", () => {
    expect(parseV3History(null, "Tue, 24 Nov 2026 08:00:00 GMT", params("")).modified).toEqual({ from: { at: at("2026-11-24T08:00:00Z"), inclusive: true } });
  });

  it("refuses a history without a time with Nightscout's message", () => {
    expect(errorOf(() => parseV3History(null, null, params("")))).toBe("Bad or missing Last-Modified header/parameter");
    expect(errorOf(() => parseV3History("soon", null, params("")))).toBe("Bad or missing Last-Modified header/parameter");
  });
});

describe("project", () => {
  it("keeps only the fields asked for", () => {
    expect(project({ a: 1, b: 2, c: 3 }, ["a", "c", "d"])).toEqual({ a: 1, c: 3 });
    expect(project({ a: 1 }, null)).toEqual({ a: 1 });
  });
});
