/**
 * npm run bench:ingest: the device door under load, against real PostgreSQL (DATABASE_URL, or the
 * local server), compared with the fastest plain SQL insert of the same rows in the same run.
 *
 * 1. Baseline: the readings of the run COPY'd straight into glucose_readings.
 * 2. End to end: simulated CGMs post one-day batches (288 readings) over HTTP to a production
 *    server, CONCURRENCY at a time; 10% of batches are replays of a batch already sent (retries),
 *    which must come back as duplicates. Readings/s, p50/p95 latency and peak server memory.
 * 3. A 1-million-row CSV imported through the file door, with server memory sampled throughout.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import postgres from "postgres";
import { openPostgres } from "@/db/client";
import { devices, organizations, patients, users } from "@/db/schema";
import { hashPassword } from "@/lib/security/password-hashing";
import { generateToken, sha256Hex } from "@/lib/security/tokens";
import { freshDatabase, percentile, sampleEvery, signInCookie, startServer, treeRssMb } from "./bench-support";

const DEVICES = Number(process.env.BENCH_DEVICES ?? 32);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const REPLAY_SHARE = 0.1;
const READINGS_PER_BATCH = 288;
const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);
const PORT = 3300;
// Each phase runs ROUNDS times on fresh data and reports the median: on 2 shared cores single runs vary by 10%.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const database = await freshDatabase("ingest");
const handle = openPostgres(database.url);
await handle.migrate();

const [organization] = await handle.db.insert(organizations).values({ name: "Bench clinic" }).returning({ id: organizations.id });
const password = randomBytes(12).toString("hex") + " bench passphrase";
const [importer] = await handle.db
  .insert(users)
  .values({ organizationId: organization!.id, role: "patient", email: "bench@lantern.example", displayName: "Bench", passwordHash: await hashPassword(password) })
  .returning({ id: users.id });
const patientRows = await handle.db
  .insert(patients)
  .values(
    Array.from({ length: DEVICES * 2 + 1 }, (_, i) => ({
      organizationId: organization!.id,
      userId: i === DEVICES * 2 ? importer!.id : null,
      givenName: "Bench",
      familyName: `Patient ${i}`,
      birthDate: "1980-01-01",
      timezone: "UTC",
    })),
  )
  .returning({ id: patients.id });
const httpPatients = patientRows.slice(0, DEVICES);
const baselinePatients = patientRows.slice(DEVICES, DEVICES * 2);
const importPatient = patientRows[DEVICES * 2]!;
const tokens = httpPatients.map(() => generateToken("lnt_dev"));
await handle.db.insert(devices).values(
  httpPatients.map((patient, i) => ({ patientId: patient.id, kind: "cgm" as const, model: "Bench CGM", serialNumber: `BENCH-${i}`, tokenHash: sha256Hex(tokens[i]!), tokenIssuedAt: new Date() })),
);
await handle.close();

// Batch b of device d holds day b of that device's trace, ending before now.
const dayMs = 86_400_000;
const daysPerRound = Math.ceil(BATCHES / DEVICES);
const origin = Date.now() - (ROUNDS * daysPerRound + 2) * dayMs;
function batchBody(device: number, day: number) {
  const start = origin + day * dayMs;
  return JSON.stringify({
    readings: Array.from({ length: READINGS_PER_BATCH }, (_, i) => ({
      time: new Date(start + i * 300_000).toISOString(),
      value: 80 + ((device * 7 + day * 13 + i) % 150),
      unit: "mg/dL",
      seq: day * READINGS_PER_BATCH + i,
    })),
    firmwareVersion: "1.0.0",
    battery: 90,
  });
}

// 1. Baseline: the same number of fresh rows, COPY'd by plain SQL.
const freshBatches = Math.round(BATCHES * (1 - REPLAY_SHARE));
const baselineRows = freshBatches * READINGS_PER_BATCH;
const direct = postgres(database.url, { max: 1, onnotice: () => {} });
const directRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const copyStart = performance.now();
  const copy = await direct`copy glucose_readings (patient_id, value_as_received, unit, value_mgdl, effective_at, utc_offset_minutes, specimen, source, dedupe_key) from stdin`.writable();
  for (let row = 0; row < baselineRows; row++) {
    const patientId = baselinePatients[row % DEVICES]!.id;
    const value = 80 + (row % 150);
    const time = new Date(origin + Math.floor(row / DEVICES) * 300_000).toISOString();
    if (!copy.write(`${patientId}\t${value}\tmg/dL\t${value}\t${time}\t0\tinterstitial\tdevice\tbaseline:${round}:${row}\n`)) await new Promise<void>((resolve) => copy.once("drain", () => resolve()));
  }
  copy.end();
  await finished(copy);
  directRates.push(baselineRows / ((performance.now() - copyStart) / 1000));
}
const directRate = median(directRates);
await direct.end();

// 2. End to end over HTTP.
const server = await startServer(database.url, PORT);
const idleRssMb = treeRssMb(server.process.pid!);
const post = (device: number, body: string) =>
  fetch(`${server.baseUrl}/api/devices/readings`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${tokens[device]}` }, body });

for (let i = 0; i < 20; i++) await post(i % DEVICES, batchBody(i % DEVICES, ROUNDS * daysPerRound)); // warm-up, outside the window

const latencies: number[] = [];
const httpRates: number[] = [];
let accepted = 0;
let duplicates = 0;
let failures = 0;
const memory = sampleEvery(100, () => treeRssMb(server.process.pid!));
for (let round = 0; round < ROUNDS; round++) {
  const plan: { device: number; day: number; replay: boolean }[] = [];
  const sentDays = httpPatients.map(() => round * daysPerRound);
  for (let b = 0; b < BATCHES; b++) {
    const device = b % DEVICES;
    const replay = sentDays[device]! > round * daysPerRound && b % Math.round(1 / REPLAY_SHARE) === 0;
    plan.push(replay ? { device, day: sentDays[device]! - 1, replay } : { device, day: sentDays[device]!++, replay });
  }
  const bodies = plan.map((batch) => batchBody(batch.device, batch.day));
  let next = 0;
  const loadStart = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < plan.length) {
        const index = next++;
        const started = performance.now();
        const response = await post(plan[index]!.device, bodies[index]!);
        const outcome = (await response.json()) as { accepted: number; duplicates: number };
        latencies.push(performance.now() - started);
        if (!response.ok || (plan[index]!.replay ? outcome.accepted !== 0 : outcome.accepted !== READINGS_PER_BATCH)) failures++;
        accepted += outcome.accepted;
        duplicates += outcome.duplicates;
      }
    }),
  );
  httpRates.push((plan.length * READINGS_PER_BATCH) / ((performance.now() - loadStart) / 1000));
}
const loadRss = memory.stop();
latencies.sort((a, b) => a - b);
const httpRate = median(httpRates);

// 3. A 1-million-row CSV through the file door.
const csvPath = path.join(os.tmpdir(), `lantern-bench-${Date.now()}.csv`);
const csv = createWriteStream(csvPath);
csv.write("time,value,unit,specimen\n");
const csvStart = Date.now() - (CSV_ROWS + 10) * 60_000;
for (let i = 0; i < CSV_ROWS; i++) {
  if (!csv.write(`${new Date(csvStart + i * 60_000).toISOString()},${80 + (i % 150)},mg/dL,interstitial\n`)) await new Promise<void>((resolve) => csv.once("drain", () => resolve()));
}
csv.end();
await finished(csv);
const cookie = await signInCookie(server.baseUrl, "bench@lantern.example", password);
const importIdleRss = treeRssMb(server.process.pid!);
const importMemory = sampleEvery(100, () => treeRssMb(server.process.pid!));
const importStart = performance.now();
const importResponse = await fetch(`${server.baseUrl}/api/patients/${importPatient.id}/imports?mode=commit`, {
  method: "POST",
  headers: { cookie, "content-type": "text/csv", "content-length": String(statSync(csvPath).size) },
  body: Readable.toWeb(createReadStream(csvPath)) as ReadableStream,
  duplex: "half",
} as RequestInit);
const importLines = (await importResponse.text()).trim().split("\n");
const importSeconds = (performance.now() - importStart) / 1000;
const importRss = importMemory.stop();
const importDone = JSON.parse(importLines.at(-1)!) as { type: string; summary?: { accepted: number } };
const quarter = (samples: number[], q: number) => samples[Math.min(samples.length - 1, Math.floor((q / 4) * samples.length))];

await server.stop();
rmSync(csvPath, { force: true });
await database.drop();

const ratio = httpRate / directRate;
console.log(`
bench:ingest on ${os.cpus().length} cores, PostgreSQL at ${new URL(database.url).host}

baseline    COPY of ${baselineRows.toLocaleString()} rows by plain SQL, ${ROUNDS} rounds: ${directRates.map((r) => Math.round(r).toLocaleString()).join(" / ")} readings/s; median ${Math.round(directRate).toLocaleString()}
device API  ${BATCHES} batches x ${READINGS_PER_BATCH} over HTTP per round, ${CONCURRENCY} concurrent, ${Math.round(REPLAY_SHARE * 100)}% replays
            ${ROUNDS} rounds: ${httpRates.map((r) => Math.round(r).toLocaleString()).join(" / ")} readings/s; median ${Math.round(httpRate).toLocaleString()} readings/s end to end (${(ratio * 100).toFixed(0)}% of COPY; targets >= 20,000/s and >= 40%)
            accepted ${accepted.toLocaleString()}, duplicates ${duplicates.toLocaleString()}, failed or wrong answers ${failures}
            request latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms
            server memory idle ${idleRssMb} MB, peak ${Math.max(...loadRss)} MB
file import ${CSV_ROWS.toLocaleString()} CSV rows (${importDone.type}: ${importDone.summary?.accepted?.toLocaleString() ?? "?"} stored) in ${importSeconds.toFixed(1)} s = ${Math.round(CSV_ROWS / importSeconds).toLocaleString()} rows/s
            server memory before ${importIdleRss} MB; at 25/50/75/100% of the import ${[1, 2, 3, 4].map((q) => quarter(importRss, q)).join(" / ")} MB; peak ${Math.max(...importRss)} MB
`);
if (failures > 0 || importDone.type !== "done") process.exitCode = 1;
