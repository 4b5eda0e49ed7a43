import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";

/**
 * What a load balancer asks. `/healthz`: the process answers. `/readyz`: it can serve, i.e. the
 * database answers and every migration this build ships has been applied (a server started
 * against a database another version migrated, or still migrating, is not ready). Neither
 * says anything about data.
 */
export type Readiness = { ready: true } | { ready: false; reason: string };

function shippedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(path.join(process.cwd(), "db", "migrations", "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  return journal.entries.length;
}

export async function readiness(): Promise<Readiness> {
  let applied: number;
  try {
    const result: unknown = await getDb().execute(sql`select count(*)::int as count from drizzle.__drizzle_migrations`);
    // postgres.js answers an array of rows, PGlite an object with `rows`.
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ count: number }>;
    applied = Number(rows[0]?.count ?? 0);
  } catch {
    return { ready: false, reason: "The database does not answer." };
  }
  const shipped = shippedMigrationCount();
  if (applied < shipped) return { ready: false, reason: `${shipped - applied} database migration(s) of this version are not applied yet.` };
  return { ready: true };
}
