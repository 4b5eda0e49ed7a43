/**
 * Faults while meters upload (issue 12, "Faults"): the server killed and restarted, PostgreSQL
 * restarted under a running server. Meters do what docs/device-api.md asks: send a batch again
 * until it is acknowledged. Afterwards every acknowledged reading is stored exactly once.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { installDatabaseHandle, openPostgres, rowsOf, type DatabaseHandle } from "@/db/client";
import { insertOrganization, insertPatient, pairedMeter } from "@/test/factories";
import {
  freePort,
  freshDatabase,
  missingPrerequisite,
  runMeter,
  startLanternServer,
  startThrowawayCluster,
  throwawayClusterUnavailable,
  waitUntil,
  type LanternServer,
  type MeterRun,
  type ThrowawayCluster,
} from "./support";

const skipReason = missingPrerequisite();
if (skipReason) console.warn(`Fault tests skipped: ${skipReason}.`);

const METERS = 4;
const BATCHES = 30;
const PER_BATCH = 12;
const authSecret = randomBytes(32).toString("base64url");
const cleanUps: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanUp of cleanUps.reverse()) await cleanUp();
});

/** Meters of their own patients in the database `url` names, through the test factories. */
async function meterWorld(url: string): Promise<{ handle: DatabaseHandle; meters: Array<{ patientId: string; token: string }> }> {
  const handle = openPostgres(url);
  await handle.migrate();
  installDatabaseHandle(handle);
  const organization = await insertOrganization();
  const meters = [];
  for (let i = 0; i < METERS; i++) {
    const patient = await insertPatient(organization.id);
    meters.push({ patientId: patient.id, ...(await pairedMeter(patient.id)) });
  }
  return { handle, meters };
}

/** Each meter's acknowledged readings are in the database once each, and nothing else is. */
async function expectStoredExactlyOnce(handle: DatabaseHandle, meters: Array<{ patientId: string }>, runs: MeterRun[]): Promise<void> {
  for (const [i, meter] of meters.entries()) {
    const acknowledged = runs[i]!.acknowledged.map((reading) => new Date(reading.time).toISOString()).sort();
    expect(acknowledged).toHaveLength(BATCHES * PER_BATCH);
    const stored = rowsOf<{ effective_at: string | Date }>(
      await handle.db.execute(sql`select effective_at from glucose_readings where patient_id = ${meter.patientId} order by effective_at`),
    ).map((row) => new Date(row.effective_at).toISOString());
    // Exactly once: the same list, so no reading missing and none twice.
    expect(stored).toEqual(acknowledged);
  }
}

const startOfReadings = new Date(Date.now() - 40 * 86_400_000);

describe.skipIf(skipReason)("a server killed while meters upload", () => {
  it("stores every acknowledged reading exactly once after a SIGKILL and a restart", async () => {
    const database = await freshDatabase("kill");
    cleanUps.push(database.drop);
    const { handle, meters } = await meterWorld(database.url);
    cleanUps.push(() => handle.close());
    const port = await freePort();
    let server: LanternServer = await startLanternServer({ databaseUrl: database.url, port, authSecret });
    cleanUps.push(() => server.kill("SIGTERM"));
    const baseUrl = server.baseUrl;

    const uploads = Promise.all(meters.map((meter) => runMeter({ token: meter.token, baseUrls: () => [baseUrl], batches: BATCHES, perBatch: PER_BATCH, start: startOfReadings, deadlineMs: 150_000 })));
    // Kill the server once some batches are stored and more are in flight.
    await waitUntil("the first readings to be stored", async () => rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from glucose_readings`))[0]!.n >= PER_BATCH * METERS);
    await server.kill("SIGKILL");
    server = await startLanternServer({ databaseUrl: database.url, port, authSecret });
    const runs = await uploads;

    // The meters did see the server gone (connection refused) and retried.
    expect(runs.flatMap((run) => run.failures).length).toBeGreaterThan(0);
    await expectStoredExactlyOnce(handle, meters, runs);
  });
});

const clusterReason = skipReason ?? throwawayClusterUnavailable();
describe.skipIf(clusterReason)("PostgreSQL restarted while meters upload", () => {
  it("answers 503 with Retry-After while it is down, recovers without a restart, and loses or doubles nothing", async () => {
    const cluster: ThrowawayCluster = await startThrowawayCluster();
    cleanUps.push(() => cluster.destroy());
    const database = await freshDatabase("restart", cluster.url);
    const { handle, meters } = await meterWorld(database.url);
    cleanUps.push(() => handle.close());
    const server = await startLanternServer({ databaseUrl: database.url, port: await freePort(), authSecret });
    cleanUps.push(() => server.kill("SIGTERM"));

    const uploads = Promise.all(meters.map((meter) => runMeter({ token: meter.token, baseUrls: () => [server.baseUrl], batches: BATCHES, perBatch: PER_BATCH, start: startOfReadings, pauseMs: 50, deadlineMs: 150_000 })));
    await waitUntil("the first readings to be stored", async () => rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from glucose_readings`))[0]!.n >= PER_BATCH * METERS);
    cluster.stop();
    // Down long enough for every meter to be refused at least once.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    cluster.start();
    const runs = await uploads;

    const failures = runs.flatMap((run) => run.failures);
    expect(failures.length).toBeGreaterThan(0);
    if (failures.some((failure) => failure.status !== 503)) console.log(server.lines.filter((line) => !line.includes('"level":"info"')).join("\n"));
    // Refused cleanly: 503 with Retry-After, never a 500 (nor a dropped connection).
    expect(failures.filter((failure) => failure.status !== 503)).toEqual([]);
    expect(failures.every((failure) => failure.retryAfter !== null && Number(failure.retryAfter) > 0)).toBe(true);
    // The same process served before and after: it recovered without a restart.
    expect(server.process.exitCode).toBeNull();
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
    await expectStoredExactlyOnce(handle, meters, runs);
    await database.drop();
  });
});
