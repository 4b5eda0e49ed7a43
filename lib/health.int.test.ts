import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { readiness } from "./health";

const rowsOf = <Row>(result: unknown): Row[] => (Array.isArray(result) ? result : (result as { rows: Row[] }).rows);

describe("readiness", () => {
  it("is ready on a migrated database, and not while a migration this version ships is missing", async () => {
    expect(await readiness()).toEqual({ ready: true });
    const [last] = rowsOf<{ id: number; hash: string; created_at: string }>(
      await getDb().execute(sql`select id, hash, created_at::text as created_at from drizzle.__drizzle_migrations order by id desc limit 1`),
    );
    await getDb().execute(sql`delete from drizzle.__drizzle_migrations where id = ${last!.id}`);
    try {
      expect(await readiness()).toEqual({ ready: false, reason: "1 database migration(s) of this version are not applied yet." });
    } finally {
      await getDb().execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last!.id}, ${last!.hash}, ${last!.created_at}::bigint)`);
    }
    expect(await readiness()).toEqual({ ready: true });
  });
});
