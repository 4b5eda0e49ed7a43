import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDirectory, environment } from "@/lib/config";
import { databaseHandle } from "./client";
import { databaseIsEmpty, describeCredentials, seedDemo } from "./seed/demo";

/**
 * Runs once when the server starts: applies committed migrations, then seeds the demo clinic into
 * an empty database (embedded mode by default; LANTERN_DEMO_SEED=true for PostgreSQL). The
 * generated passwords are printed once and written to the data folder, never committed.
 */
export async function prepareDatabase(): Promise<void> {
  const env = environment();
  const handle = databaseHandle();
  await handle.migrate();
  const seedDemoData = env.LANTERN_DEMO_SEED ? env.LANTERN_DEMO_SEED === "true" : handle.driver === "pglite";
  if (!seedDemoData || !(await databaseIsEmpty(handle.db))) return;
  // One transaction: a seed that fails halfway leaves the database empty, so the next start retries.
  const seeded = await handle.db.transaction((tx) => seedDemo(tx));
  const text = describeCredentials(seeded.accounts);
  mkdirSync(dataDirectory(), { recursive: true });
  const file = path.join(dataDirectory(), "demo-credentials.txt");
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
  console.log(`\n${text}\n(also written to ${file})\n`);
}

/** At server start a database that cannot be prepared stops the process with the reason. */
export async function prepareDatabaseOrExit(): Promise<void> {
  try {
    await prepareDatabase();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
