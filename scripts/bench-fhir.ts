/**
 * npm run bench:fhir: the FHIR API on a database of BENCH_ROWS readings (default 5 million, loaded
 * with COPY), against real PostgreSQL (DATABASE_URL or the local server).
 *
 * 1. Search: `Observation?patient=X&date=ge..&date=lt..&_count=1000` over 90 days of one patient's
 *    CGM (25,920 readings), paged to the end through `next` links, ROUNDS times: p50/p95 per page.
 *    Baseline in the same run: the same pages selected by plain SQL (keyset) and serialized with
 *    JSON.stringify in this process. Target: p95 within 3x of the baseline.
 * 2. `$submit-cgm-bundle` with 288 readings a bundle, CONCURRENCY at a time: readings/s (target > 5,000).
 */
import { randomUUID } from "node:crypto";
import { finished } from "node:stream/promises";
import postgres from "postgres";
import { openPostgres } from "@/db/client";
import { backendAccessTokens, backendClients, organizations, patients } from "@/db/schema";
import { generateToken, sha256Hex } from "@/lib/security/tokens";
import { freshDatabase, percentile, startServer } from "./bench-support";

const ROWS = Number(process.env.BENCH_ROWS ?? 5_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BUNDLES = Number(process.env.BENCH_BUNDLES ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DAYS = 90;
const PER_PATIENT = DAYS * 288;
const PORT = 3301;

const database = await freshDatabase("fhir");
const handle = openPostgres(database.url);
await handle.migrate();
const [organization] = await handle.db.insert(organizations).values({ name: "Bench clinic" }).returning({ id: organizations.id });
const patientCount = Math.ceil(ROWS / PER_PATIENT);
const patientRows = await handle.db
  .insert(patients)
  .values(Array.from({ length: patientCount + CONCURRENCY }, (_, i) => ({ organizationId: organization!.id, givenName: "Bench", familyName: `P${i}`, birthDate: "1980-01-01", timezone: "UTC" })))
  .returning({ id: patients.id });
const [client] = await handle.db
  .insert(backendClients)
  .values({ organizationId: organization!.id, name: "Bench EHR", jwks: { keys: [] }, allowedScopes: ["system/Observation.rs", "system/Observation.c"] })
  .returning({ id: backendClients.id });
const token = generateToken("lnt_at");
await handle.db.insert(backendAccessTokens).values({ tokenHash: sha256Hex(token), clientId: client!.id, scopes: ["system/Observation.rs", "system/Observation.c"], expiresAt: new Date(Date.now() + 24 * 3_600_000) });
await handle.close();

// Load: every patient 90 days of 5-minute CGM ending an hour ago, interleaved like real arrivals.
const end = Date.now() - 3_600_000;
const start = end - DAYS * 86_400_000;
const loadStart = performance.now();
const direct = postgres(database.url, { max: 1, onnotice: () => {} });
const copy = await direct`copy glucose_readings (patient_id, value_as_received, unit, value_mgdl, effective_at, utc_offset_minutes, specimen, source, dedupe_key) from stdin`.writable();
let loaded = 0;
for (let slot = 0; slot < PER_PATIENT && loaded < ROWS; slot++) {
  const time = new Date(start + slot * 300_000).toISOString();
  for (let p = 0; p < patientCount && loaded < ROWS; p++, loaded++) {
    const value = 70 + ((slot * 7 + p * 13) % 200);
    if (!copy.write(`${patientRows[p]!.id}\t${value}\tmg/dL\t${value}\t${time}\t0\tinterstitial\tdevice\tb:${slot}\n`)) await new Promise<void>((resolve) => copy.once("drain", () => resolve()));
  }
}
copy.end();
await finished(copy);
await direct`analyze glucose_readings`;
const loadSeconds = (performance.now() - loadStart) / 1000;

const server = await startServer(database.url, PORT);
const target = patientRows[0]!.id;
const from = new Date(start).toISOString();
const to = new Date(end + 60_000).toISOString();
const firstUrl = `${server.baseUrl}/fhir/Observation?patient=${target}&date=ge${from}&date=lt${to}&_count=1000`;
const headers = { authorization: `Bearer ${token}`, accept: "application/fhir+json" };

async function pageThroughApi(): Promise<{ latencies: number[]; entries: number }> {
  const latencies: number[] = [];
  let entries = 0;
  let url: string | undefined = firstUrl;
  while (url) {
    const started = performance.now();
    const bundle = (await (await fetch(url, { headers })).json()) as { entry?: unknown[]; link: { relation: string; url: string }[] };
    latencies.push(performance.now() - started);
    entries += bundle.entry?.length ?? 0;
    url = bundle.link.find((link) => link.relation === "next")?.url;
  }
  return { latencies, entries };
}

async function pageThroughSql(): Promise<{ latencies: number[]; entries: number }> {
  const latencies: number[] = [];
  let entries = 0;
  let cursor: { t: Date; id: number } | null = null;
  for (;;) {
    const started = performance.now();
    const rows: { id: number; effective_at: Date }[] = cursor
      ? await direct`select id, patient_id, device_id, value_as_received, unit, value_mgdl, censored, effective_at, utc_offset_minutes, specimen, source, version, updated_at
          from glucose_readings where patient_id = ${target} and effective_at >= ${from} and effective_at < ${to} and (effective_at, id) > (${cursor.t.toISOString()}::timestamptz, ${cursor.id})
          order by effective_at, id limit 1001`
      : await direct`select id, patient_id, device_id, value_as_received, unit, value_mgdl, censored, effective_at, utc_offset_minutes, specimen, source, version, updated_at
          from glucose_readings where patient_id = ${target} and effective_at >= ${from} and effective_at < ${to}
          order by effective_at, id limit 1001`;
    JSON.stringify(rows.slice(0, 1000));
    latencies.push(performance.now() - started);
    entries += Math.min(rows.length, 1000);
    if (rows.length <= 1000) break;
    const last = rows[999]!;
    cursor = { t: last.effective_at, id: Number(last.id) };
  }
  return { latencies, entries };
}

await pageThroughApi(); // warm-up
await pageThroughSql();
const api: number[] = [];
const plain: number[] = [];
let apiEntries = 0;
let sqlEntries = 0;
for (let round = 0; round < ROUNDS; round++) {
  const a = await pageThroughApi();
  const s = await pageThroughSql();
  api.push(...a.latencies);
  plain.push(...s.latencies);
  apiEntries = a.entries;
  sqlEntries = s.entries;
}
api.sort((x, y) => x - y);
plain.sort((x, y) => x - y);

// $submit-cgm-bundle throughput: each bundle one day of one patient's CGM.
const submitPatients = patientRows.slice(patientCount);
function cgmBundle(patientId: string, day: number) {
  const dayStart = end - (day + 1) * 86_400_000;
  return JSON.stringify({
    resourceType: "Bundle",
    type: "transaction",
    entry: Array.from({ length: 288 }, (_, i) => ({
      fullUrl: `urn:uuid:${randomUUID()}`,
      request: { method: "POST", url: "Observation" },
      resource: {
        resourceType: "Observation",
        status: "final",
        category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
        code: { coding: [{ system: "http://loinc.org", code: "99504-3" }] },
        subject: { reference: `Patient/${patientId}` },
        effectiveDateTime: new Date(dayStart + i * 300_000).toISOString(),
        valueQuantity: { value: 80 + (i % 150), unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
      },
    })),
  });
}
const bodies = Array.from({ length: BUNDLES }, (_, b) => cgmBundle(submitPatients[b % CONCURRENCY]!.id, Math.floor(b / CONCURRENCY)));
let next = 0;
let created = 0;
const submitStart = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const response = await fetch(`${server.baseUrl}/fhir/$submit-cgm-bundle`, { method: "POST", headers: { ...headers, "content-type": "application/fhir+json" }, body });
      const result = (await response.json()) as { entry?: { response: { status: string } }[] };
      created += result.entry?.filter((e) => e.response.status.startsWith("201")).length ?? 0;
    }
  }),
);
const submitSeconds = (performance.now() - submitStart) / 1000;

await server.stop();
await direct.end();
await database.drop();

const ratio = percentile(api, 95) / percentile(plain, 95);
console.log(`
bench:fhir, ${loaded.toLocaleString()} readings loaded by COPY in ${loadSeconds.toFixed(0)} s (${patientCount} patients x ${DAYS} days of CGM)

search   Observation?patient&date=ge&date=lt&_count=1000, paged to the end, ${ROUNDS} rounds
         API over HTTP:  ${apiEntries.toLocaleString()} entries per pass; per page p50 ${percentile(api, 50).toFixed(1)} ms, p95 ${percentile(api, 95).toFixed(1)} ms
         plain SQL + JSON.stringify: ${sqlEntries.toLocaleString()} rows per pass; per page p50 ${percentile(plain, 50).toFixed(1)} ms, p95 ${percentile(plain, 95).toFixed(1)} ms
         p95 ratio ${ratio.toFixed(2)}x (target: within 3x)
submit   $submit-cgm-bundle, ${BUNDLES} bundles x 288 readings, ${CONCURRENCY} concurrent: ${created.toLocaleString()} created in ${submitSeconds.toFixed(1)} s = ${Math.round((BUNDLES * 288) / submitSeconds).toLocaleString()} readings/s (target > 5,000)
`);
if (apiEntries !== sqlEntries || created !== BUNDLES * 288) process.exitCode = 1;
