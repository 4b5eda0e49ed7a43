import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The episode engine is pure: no database, clock or I/O, so the write path, the dashboards and the
 * FHIR summary can all call it. Allowed: zod, sibling modules, the pure metrics core (its rounding
 * rule; the report's metrics, which glucose-report.ts joins with the events), and the schema's
 * enums and lib/time's calendar period as types.
 */
const folder = import.meta.dirname;
const modules = fs.readdirSync(folder).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));
const importsOf = (source: string) => [...source.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+["']([^"']+)["']/gm)].map((m) => ({ typeOnly: Boolean(m[1]), from: m[2]! }));

describe("purity of lib/alerts", () => {
  it("finds the modules", () => {
    expect(modules).toEqual(expect.arrayContaining(["episodes.ts", "incremental.ts", "targets.ts"]));
  });

  it.each(modules)("%s imports nothing impure", (file) => {
    const source = fs.readFileSync(path.join(folder, file), "utf8");
    expect(source).not.toMatch(/Date\.now|new Date\(|performance\.now|Math\.random|process\./);
    for (const { typeOnly, from } of importsOf(source)) {
      if (from === "@/db/schema/readings-enums" || from === "@/lib/time/calendar") expect(typeOnly).toBe(true);
      else expect(from).toMatch(/^(zod|\.\/[a-z-]+|@\/lib\/metrics\/(glycemic|report))$/);
    }
  });
});
