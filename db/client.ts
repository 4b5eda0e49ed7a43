import "server-only";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { mkdirSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { dataDirectory, environment } from "@/lib/config";
import { acquireDirectoryLock } from "./directory-lock";
import * as schema from "./schema";

/** The driver-neutral database type every data-access function works with. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DatabaseHandle {
  db: Database;
  driver: "pglite" | "postgres";
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * LISTEN on a NOTIFY channel: `onPayload` gets each payload sent after the returned promise
   * resolves (on PostgreSQL from any process; on PGlite from this one). Resolves to unlisten.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}

const migrationsFolder = path.join(process.cwd(), "db", "migrations");
// Any fixed number: serializes migrations when several servers start against one database.
const MIGRATION_LOCK_KEY = 4_206_1337;

export function openPostgres(url: string): DatabaseHandle {
  // While PostgreSQL is down or restarting, requests fail at once with 503 (lib/http/errors.ts)
  // and the pool tries again soon: postgres.js's own backoff grows to 20 s across the pool, which
  // left requests waiting that long after the database was back (test/faults).
  const client = postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 10, backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1) });
  const db = drizzlePostgres(client, { schema });
  return {
    db,
    driver: "postgres",
    async migrate() {
      // One connection holds a session lock for the whole migration, so concurrent starts wait.
      const connection = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await connection`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(drizzlePostgres(connection, { schema }), { migrationsFolder });
      } finally {
        await connection.end({ timeout: 5 });
      }
    },
    close: () => client.end({ timeout: 5 }),
    async listen(channel, onPayload) {
      // postgres.js keeps one dedicated connection for every LISTEN of this client, reconnecting it.
      const { unlisten } = await client.listen(channel, onPayload);
      return unlisten;
    },
  };
}

/**
 * PGlite persisted in a folder, or `memory://` for tests. PGlite has no lock between processes
 * and silently loses writes when two share a folder, so the folder is locked to this process.
 */
export function openEmbedded(folder: string): DatabaseHandle {
  const inMemory = folder === "memory://";
  const release = inMemory ? () => {} : lockEmbeddedFolder(folder);
  const client = new PGlite(folder);
  const db = drizzlePglite(client, { schema });
  return {
    db,
    driver: "pglite",
    migrate: () => migratePglite(db, { migrationsFolder }),
    async close() {
      await client.close();
      release();
    },
    listen: (channel, onPayload) => client.listen(channel, onPayload),
  };
}

function lockEmbeddedFolder(folder: string): () => void {
  mkdirSync(folder, { recursive: true });
  return acquireDirectoryLock(
    folder,
    (holderPid) =>
      `The embedded database in ${folder} is already open in another Lantern process (pid ${holderPid}). ` +
      "Stop that process first (only one process may use the embedded database), " +
      "or set DATABASE_URL to a PostgreSQL database, which any number of processes can share.",
  );
}

export function embeddedDatabaseFolder(): string {
  return path.join(dataDirectory(), "pglite");
}

/** Opens the database the environment names: PostgreSQL when DATABASE_URL is set, else embedded. */
export function openConfiguredDatabase(): DatabaseHandle {
  const url = environment().DATABASE_URL;
  return url ? openPostgres(url) : openEmbedded(embeddedDatabaseFolder());
}

// Next.js loads instrumentation, route handlers and server components as separate module
// graphs in one process; a module-level cache would open the database once per graph.
const globalForDatabase = globalThis as typeof globalThis & { lanternDatabase?: DatabaseHandle };

export function databaseHandle(): DatabaseHandle {
  globalForDatabase.lanternDatabase ??= openConfiguredDatabase();
  return globalForDatabase.lanternDatabase;
}

export function getDb(): Database {
  return databaseHandle().db;
}

/** Installs a handle as the process database (tests use this to point the data layer at theirs). */
export function installDatabaseHandle(handle: DatabaseHandle): void {
  globalForDatabase.lanternDatabase = handle;
}

/**
 * Runs `work` in a transaction: the given one when `db` already is one (no savepoint, no extra
 * round trip), else a new one.
 */
export async function inTransaction<T>(db: Database | Transaction, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return "rollback" in db ? work(db) : db.transaction(work);
}

/** `db.execute()` returns `{ rows }` on PGlite and an array on postgres.js. */
export function rowsOf<Row>(result: unknown): Row[] {
  if (Array.isArray(result)) return result as Row[];
  return (result as { rows: Row[] }).rows;
}
