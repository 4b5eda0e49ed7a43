import { describe, expect, it } from "vitest";
import { parseQuantity, parseReference, parseToken, splitValues, unescapeValue } from "./values";

describe("splitValues", () => {
  it.each([
    ["a", ["a"]],
    ["a,b", ["a", "b"]],
    ["a\\,b,c", ["a\\,b", "c"]],
    ["a\\\\,b", ["a\\\\", "b"]],
    [",", ["", ""]],
  ])("%s splits into %j", (raw, parts) => {
    expect(splitValues(raw)).toEqual(parts);
  });

  it.each([
    ["a\\,b", "a,b"],
    ["a\\|b", "a|b"],
    ["a\\$b", "a$b"],
    ["a\\\\b", "a\\b"],
    ["a\\b", "a\\b"],
  ])("%s unescapes to %s", (raw, value) => {
    expect(unescapeValue(raw)).toBe(value);
  });
});

describe("parseToken", () => {
  it.each([
    ["99504-3", { system: undefined, code: "99504-3" }],
    ["http://loinc.org|99504-3", { system: "http://loinc.org", code: "99504-3" }],
    ["http://loinc.org|", { system: "http://loinc.org", code: undefined }],
    ["|DEMO-0001", { system: null, code: "DEMO-0001" }],
    ["urn:other|DEMO\\|1", { system: "urn:other", code: "DEMO|1" }],
  ])("%s is %j", (raw, token) => {
    expect(parseToken(raw)).toEqual(token);
  });

  it.each(["|", "a|b|c"])("refuses %s", (raw) => {
    expect(parseToken(raw)).toEqual({ error: expect.stringContaining("token") });
  });
});

describe("parseReference", () => {
  const id = "6f1c2d4e-0000-4000-8000-000000000001";
  it.each([
    [id, { type: null, id }],
    [`Patient/${id}`, { type: "Patient", id }],
    [`https://lantern.example.org/fhir/Patient/${id}`, { type: "Patient", id }],
    [`Patient/${id}/_history/2`, { type: "Patient", id }],
    ["Device/abc", { type: "Device", id: "abc" }],
  ])("%s is %j", (raw, reference) => {
    expect(parseReference(raw)).toEqual(reference);
  });

  it.each(["Patient/", "Patient/has space", "a".repeat(65)])("refuses %s", (raw) => {
    expect(parseReference(raw)).toEqual({ error: expect.stringContaining("reference") });
  });
});

describe("parseQuantity", () => {
  it.each([
    ["250", { prefix: "eq", value: 250, low: 249.5, high: 250.5, system: undefined, code: undefined }],
    ["gt250", { prefix: "gt", value: 250, low: 249.5, high: 250.5, system: undefined, code: undefined }],
    ["gt250||mg/dL", { prefix: "gt", value: 250, low: 249.5, high: 250.5, system: undefined, code: "mg/dL" }],
    ["le5.4|http://unitsofmeasure.org|mmol/L", { prefix: "le", value: 5.4, low: 5.35, high: 5.45, system: "http://unitsofmeasure.org", code: "mmol/L" }],
    ["ap100", { prefix: "ap", value: 100, low: 99.5, high: 100.5, system: undefined, code: undefined }],
    ["1e2", { prefix: "eq", value: 100, low: 50, high: 150, system: undefined, code: undefined }],
    ["-0.5", { prefix: "eq", value: -0.5, low: -0.55, high: -0.45, system: undefined, code: undefined }],
  ])("%s is %j", (raw, quantity) => {
    expect(parseQuantity(raw)).toEqual(quantity);
  });

  it.each(["", "high", "xx250", "gt", "250|mg/dL", "250||mg/dL|x", "2,5", "0x10"])("refuses %j", (raw) => {
    expect(parseQuantity(raw)).toEqual({ error: expect.stringContaining("quantity") });
  });
});
