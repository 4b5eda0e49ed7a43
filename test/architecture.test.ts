import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layering rules a reviewer would otherwise check by hand (docs/architecture.md). The lint
 * rule (eslint.config.mjs, import/no-restricted-paths) forbids upward imports; these tests pin
 * the two promises the audit trail depends on.
 */
const root = path.resolve(import.meta.dirname, "..");

function filesUnder(folder: string): string[] {
  const full = path.join(root, folder);
  return readdirSync(full).flatMap((name) => {
    const child = path.join(folder, name);
    if (statSync(path.join(root, child)).isDirectory()) return name === "node_modules" ? [] : filesUnder(child);
    return /\.(ts|tsx)$/.test(name) ? [child] : [];
  });
}

const source = (file: string) => readFileSync(path.join(root, file), "utf8");
const imports = (text: string) => [...text.matchAll(/^\s*import\s+(?:type\s+)?(?:[^"']*?\s+from\s+)?["']([^"']+)["']/gm)].map((match) => match[1]!);
const isTest = (file: string) => /\.test\.tsx?$/.test(file);

const DATABASE = /^(@\/db\/|drizzle-orm|postgres$|@electric-sql\/)/;

describe("every route handler, server action and page reaches data only through the data layer", () => {
  const appFiles = filesUnder("app").filter((file) => !isTest(file));
  const doors = appFiles.filter((file) => /(^|\/)(route|page|layout)\.tsx?$/.test(file) || /^["']use server["']/m.test(source(file)));

  it("finds the route handlers, server actions and pages", () => {
    expect(doors.filter((file) => file.endsWith("route.ts")).length).toBeGreaterThan(20);
    expect(doors.filter((file) => /^["']use server["']/m.test(source(file))).length).toBeGreaterThan(4);
  });

  it.each(doors)("%s imports no database module", (file) => {
    expect(imports(source(file)).filter((specifier) => DATABASE.test(specifier))).toEqual([]);
  });
});

describe("every module that touches the database is server-only", () => {
  const touching = [...filesUnder("lib"), ...filesUnder("db")]
    .filter((file) => !isTest(file) && !file.startsWith("db/schema/") && !file.startsWith("db/migrations/"))
    .filter((file) => imports(source(file)).some((specifier) => specifier === "@/db/client" || specifier.startsWith("drizzle-orm") || specifier === "./client"));

  it("finds them", () => {
    expect(touching.length).toBeGreaterThan(20);
  });

  it.each(touching)("%s starts with import \"server-only\"", (file) => {
    expect(source(file)).toMatch(/^import "server-only";/m);
  });
});
