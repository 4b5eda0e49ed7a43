import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The mapping layer and the metrics are pure: no server-only, no database, no Node APIs, and no
 * run-time import of the FHIR validator's devDependencies (types only), so dashboards and any
 * runtime can use them.
 */
const root = path.join(import.meta.dirname, "..", "..");
const pureFiles = [
  ...fs.readdirSync(path.join(root, "lib", "fhir")).map((f) => path.join("lib", "fhir", f)),
  ...fs.readdirSync(path.join(root, "lib", "metrics")).map((f) => path.join("lib", "metrics", f)),
].filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

const importsOf = (source: string) => [...source.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+["']([^"']+)["']/gm)].map((m) => ({ typeOnly: Boolean(m[1]), from: m[2]! }));

describe("purity of lib/fhir (outside server/, smart/, testing/) and lib/metrics", () => {
  it("finds the modules", () => {
    expect(pureFiles).toEqual(expect.arrayContaining([path.join("lib", "fhir", "mapping.ts"), path.join("lib", "metrics", "glycemic.ts")]));
  });

  it.each(pureFiles)("%s imports nothing impure", (file) => {
    const imports = importsOf(fs.readFileSync(path.join(root, file), "utf8"));
    for (const { typeOnly, from } of imports) {
      expect(from).not.toMatch(/^(server-only|node:|drizzle-orm|postgres|@electric-sql|@\/db\/client|@\/lib\/fhir\/(server|smart|testing))/);
      if (from.startsWith("@/db/schema")) expect(from).toBe("@/db/schema/readings-enums");
      if (from.startsWith("@medplum/")) expect([from, typeOnly]).toEqual(["@medplum/fhirtypes", true]);
    }
  });
});
