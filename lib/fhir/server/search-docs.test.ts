import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { searchDefinitions } from "./capability";
import { withSearchDocs } from "./search-docs";

describe("docs/fhir.md", () => {
  it("lists exactly the search parameters the server parses (run npm run docs:fhir after changing a declaration)", () => {
    const guide = readFileSync(path.join(import.meta.dirname, "..", "..", "..", "docs", "fhir.md"), "utf8");
    expect(withSearchDocs(guide, searchDefinitions)).toBe(guide);
  });
});
