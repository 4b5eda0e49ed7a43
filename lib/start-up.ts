import "server-only";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDirectory, environment } from "@/lib/config";
import { stopPeriodicJobs } from "@/lib/periodic";
import { databaseErrorOf, describeForLog } from "@/lib/log";
import { databaseHandle } from "@/db/client";
import { databaseIsEmpty, describeCredentials, seedDemo, type SeededBackendClient } from "./demo/seed";
import { assertDataKeysPresent, resealColumns } from "./privacy/encryption-at-rest";
import { tokenEndpointUrl } from "./fhir/smart/configuration";

/**
 * Runs once when the server starts: applies committed migrations, checks it holds every data key
 * the database uses and encrypts values stored before their column was encrypted at rest (the
 * migrations cannot see the key; docs/decisions/020), then seeds the demo clinic into
 * an empty database (embedded mode by default; LANTERN_DEMO_SEED=true for PostgreSQL). The
 * generated passwords are printed once and written to the data folder, never committed, as is
 * the demo hospital system's private key (demo-backend-client.json, for trying the FHIR API).
 */
export async function prepareDatabase(): Promise<void> {
  const env = environment();
  if (env.LANTERN_BENCH_ALERT_EVALUATION === "off") console.warn("LANTERN_BENCH_ALERT_EVALUATION=off: readings are stored WITHOUT alert evaluation. For benchmarks only; nobody will be alerted.");
  const handle = databaseHandle();
  await handle.migrate();
  await assertDataKeysPresent(handle.db);
  await resealColumns(handle.db, { rotate: false });
  const seedDemoData = env.LANTERN_DEMO_SEED ? env.LANTERN_DEMO_SEED === "true" : handle.driver === "pglite";
  if (!seedDemoData || !(await databaseIsEmpty(handle.db))) return;
  // One transaction: a seed that fails halfway leaves the database empty, so the next start retries.
  const seeded = await handle.db.transaction((tx) => seedDemo(tx));
  const text = describeCredentials(seeded.accounts);
  mkdirSync(dataDirectory(), { recursive: true });
  const file = path.join(dataDirectory(), "demo-credentials.txt");
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
  // The log is no place for names and passwords (PRIVACY-SECURITY.md D2): say where they are.
  console.log(`\nDemo clinic seeded. Sign-in details for every role (passwords generated for this installation): ${file}\n`);
  const clientFile = writeDemoBackendClient(seeded.backendClient);
  console.log(`Demo FHIR API client (SMART Backend Services) ${seeded.backendClient.clientId}: private key and token URL in ${clientFile}\n`);
}

/** The demo hospital system's credentials, for `docs/fhir.md`'s walk-through: only this installation has them. */
function writeDemoBackendClient(client: SeededBackendClient): string {
  const file = path.join(dataDirectory(), "demo-backend-client.json");
  const site = environment().LANTERN_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? "3000"}`;
  const tokenUrl = tokenEndpointUrl(site);
  const content = {
    clientId: client.clientId,
    name: client.name,
    tokenUrl,
    fhirBaseUrl: tokenUrl.replace(/\/auth\/token$/, ""),
    scopes: client.scopes.join(" "),
    privateJwk: client.privateJwk,
    note: "Sign a client assertion (ES384, kid from privateJwk, iss = sub = clientId, aud = the token URL as you call it) and POST it to the token URL. See docs/fhir.md.",
  };
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** At server start a database that cannot be prepared stops the process with the reason. */
export async function prepareDatabaseOrExit(): Promise<void> {
  try {
    await prepareDatabase();
  } catch (error) {
    // Lantern's own refusals are sentences for the operator; a database error's message can carry
    // a query's parameters (a record number being sealed), so it is logged by its code alone.
    console.error(databaseErrorOf(error) ? `Start-up failed: ${describeForLog(error)}` : error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

/** At shutdown, after the last request: finishes the background jobs' rounds under way (outboxes, alert watcher, retention), then closes the database. */
export async function shutDown(): Promise<void> {
  await stopPeriodicJobs();
  await databaseHandle().close();
}
