/**
 * Writes the search section of docs/fhir.md from the search declarations (npm run docs:fhir), so
 * the guide lists what the server parses; lib/fhir/server/search-docs.test.ts fails until it is run.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { searchDefinitions } from "@/lib/fhir/server/capability";
import { withSearchDocs } from "@/lib/fhir/server/search-docs";

const file = path.join(import.meta.dirname, "..", "docs", "fhir.md");
writeFileSync(file, withSearchDocs(readFileSync(file, "utf8"), searchDefinitions));
console.log(`Wrote the search parameters into ${path.relative(process.cwd(), file)}.`);
