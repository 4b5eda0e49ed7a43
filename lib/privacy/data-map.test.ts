import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { SEALED_COLUMNS } from "@/lib/security/sealed-columns";
import { PURPOSES } from "./purposes";
import { dataCategories, dataMap, operationalPurposes } from "./data-map";
import { retentionRules } from "./retention-rules";

/** Every table of db/schema with its columns, as drizzle declares them. */
const schemaTables = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => value instanceof PgTable)
  .map((table) => getTableConfig(table))
  .map((config) => ({ name: config.name, columns: config.columns.map((column) => column.name) }));

describe("the data map covers the schema (GDPR Art 30; PRIVACY-SECURITY.md D3)", () => {
  it("finds the schema's tables", () => {
    expect(schemaTables.length).toBeGreaterThan(25);
  });

  it.each(schemaTables)("$name: every column has an entry (add new columns to lib/privacy/data-map.ts)", ({ name, columns }) => {
    expect(dataMap[name], `table ${name} is missing from lib/privacy/data-map.ts`).toBeDefined();
    expect(Object.keys(dataMap[name]!.columns).sort()).toEqual([...columns].sort());
  });

  it("names no table the schema does not have", () => {
    expect(Object.keys(dataMap).sort()).toEqual(schemaTables.map((table) => table.name).sort());
  });

  it("uses only declared categories, purposes and retention rules", () => {
    const purposes = new Set<string>([...PURPOSES.map((p) => p.id), ...Object.keys(operationalPurposes)]);
    for (const [table, entry] of Object.entries(dataMap)) {
      expect(purposes.has(entry.purpose), table).toBe(true);
      expect(Object.keys(retentionRules), table).toContain(entry.retention);
      for (const category of Object.values(entry.columns)) expect(Object.keys(dataCategories), table).toContain(category);
    }
  });

  it("marks the direct identifiers and the free text that encryption and exports must treat with care", () => {
    expect(dataMap.patients!.columns).toMatchObject({ given_name: "direct-identifier", family_name: "direct-identifier", birth_date: "direct-identifier", medical_record_number: "direct-identifier" });
    expect(dataMap.users!.columns).toMatchObject({ email: "direct-identifier", password_hash: "credential" });
    expect(dataMap.glucose_readings!.columns).toMatchObject({ value_mgdl: "health", note: "free-text" });
    expect(dataMap.hospital_endpoints!.columns.bearer_token).toBe("credential");
  });
});

describe("encryption at rest in the data map", () => {
  it("names exactly the columns that are encrypted at rest", () => {
    const mapped = Object.entries(dataMap).flatMap(([table, entry]) => (entry.encryptedAtRest ?? []).map((column) => `${table}.${column}`));
    expect(mapped.sort()).toEqual(Object.values(SEALED_COLUMNS).map(({ table, column }) => `${table}.${column}`).sort());
  });
});

describe("the record of processing page's data", () => {
  const origin = { requestId: "test", sourceAddress: null };
  const user = (role: "admin" | "clinician" | "patient") => ({ kind: "user" as const, userId: "u", role, organizationId: "o", displayName: "T", origin });

  it("is for admins only", async () => {
    const { recordOfProcessing } = await import("./record-of-processing");
    expect(recordOfProcessing(user("admin")).tables.length).toBe(Object.keys(dataMap).length);
    expect(() => recordOfProcessing(user("clinician"))).toThrow(/No such/);
    expect(() => recordOfProcessing(user("patient"))).toThrow(/No such/);
  });
});
