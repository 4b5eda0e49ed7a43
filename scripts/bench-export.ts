/**
 * npm run bench:export: a patient downloads their whole record (GDPR Art 15/20; docs/privacy.md)
 * with a year of 5-minute CGM data, 105,120 readings, on real PostgreSQL (DATABASE_URL or the
 * local server), in a fresh database.
 *
 * Measured in this process through the data layer as the download route calls it (authorization,
 * audit, streaming included), reading the stream to its end, ROUNDS times per format: the FHIR
 * Bundle (JSON) and the CSV, p50/p95 and size, beside the baseline: the same readings selected by
 * one plain SQL statement and serialized with JSON.stringify. Target: each format within a few
 * seconds. The Bundle is parsed once at the end to check it is whole. Times are figures, never assertions.
 */
import postgres from "postgres";
import { installDatabaseHandle, openPostgres } from "@/db/client";
import { internalOrigin, type UserActor } from "@/lib/access/actor";
import { exportPatientRecord } from "@/lib/privacy/record-export";
import { freshDatabase, percentile } from "./bench-support";

const READINGS = Number(process.env.BENCH_READINGS ?? 105_120);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function drain(stream: ReadableStream<Uint8Array>, keep: boolean): Promise<{ bytes: number; text: string }> {
  const decoder = new TextDecoder();
  let bytes = 0;
  let text = "";
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (keep) text += decoder.decode(value, { stream: true });
  }
  return { bytes, text };
}

function summary(label: string, samples: number[], bytes: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(34)} p50 ${(percentile(sorted, 50) / 1000).toFixed(2).padStart(6)} s   p95 ${(percentile(sorted, 95) / 1000).toFixed(2).padStart(6)} s   ${(bytes / 1e6).toFixed(1)} MB`;
}

const database = await freshDatabase("export");
const handle = openPostgres(database.url);
const sql = postgres(database.url, { max: 1, onnotice: () => {} });
try {
  await handle.migrate();
  installDatabaseHandle(handle);
  const [organization] = await sql`insert into organizations (name) values ('Bench clinic') returning id`;
  const [user] = await sql`insert into users (organization_id, email, display_name, role, password_hash)
    values (${organization!.id}, 'bench-patient@example.test', 'Bench Patient', 'patient', 'x') returning id`;
  const [patient] = await sql`insert into patients (organization_id, user_id, given_name, family_name, birth_date, timezone)
    values (${organization!.id}, ${user!.id}, 'Bench', 'Patient', '1980-01-01', 'Europe/London') returning id`;
  const end = new Date(Math.floor(Date.now() / 300_000) * 300_000);
  const start = new Date(end.getTime() - READINGS * 300_000);
  const loadStarted = performance.now();
  await sql`insert into glucose_readings (patient_id, value_as_received, unit, value_mgdl, effective_at, utc_offset_minutes, specimen, source, origin)
    select ${patient!.id}, v.value, 'mg/dL', v.value, t, 60, 'interstitial', 'device', 'bench'
    from generate_series(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz - interval '5 minutes', interval '5 minutes') t,
      lateral (select round((170 + 120 * sin(extract(epoch from t) / 7200.0) * cos(extract(epoch from t) / 86400.0))::numeric, 0) as value) v`;
  await sql`analyze glucose_readings`;
  const [{ count }] = (await sql`select count(*)::int as count from glucose_readings`) as unknown as [{ count: number }];
  console.log(`Loaded ${count.toLocaleString("en")} readings (a year of 5-minute CGM) in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

  const actor: UserActor = { kind: "user", userId: user!.id, role: "patient", organizationId: organization!.id, displayName: "Bench Patient", origin: internalOrigin("bench") };
  const results: string[] = [];
  for (const format of ["fhir", "csv"] as const) {
    const samples: number[] = [];
    let bytes = 0;
    for (let round = -1; round < ROUNDS; round++) {
      const started = performance.now();
      const download = await exportPatientRecord(actor, patient!.id, format);
      bytes = (await drain(download.body, false)).bytes;
      if (round >= 0) samples.push(performance.now() - started);
    }
    // Checked once more, untimed: the download is whole.
    const last = (await drain((await exportPatientRecord(actor, patient!.id, format)).body, true)).text;
    if (format === "fhir") {
      const bundle = JSON.parse(last) as { entry: { resource: { resourceType: string } }[] };
      const observations = bundle.entry.filter((entry) => entry.resource.resourceType === "Observation").length;
      if (observations !== count) throw new Error(`The Bundle holds ${observations} Observations, not ${count}`);
    } else if (last.split("\r\n").length - 2 !== count) {
      throw new Error(`The CSV holds ${last.split("\r\n").length - 2} lines, not ${count}`);
    }
    results.push(summary(format === "fhir" ? "FHIR Bundle (JSON), data layer" : "CSV, data layer", samples, bytes));
  }

  const baseline: number[] = [];
  let baselineBytes = 0;
  for (let round = -1; round < ROUNDS; round++) {
    const started = performance.now();
    const rows = await sql`select id, value_as_received, unit, value_mgdl, effective_at, utc_offset_minutes, specimen from glucose_readings where patient_id = ${patient!.id} order by id`;
    baselineBytes = JSON.stringify(rows).length;
    if (round >= 0) baseline.push(performance.now() - started);
  }
  results.push(summary("baseline: plain SQL + JSON", baseline, baselineBytes));
  console.log(`\nExport of ${count.toLocaleString("en")} readings, ${ROUNDS} rounds each after a warm-up:`);
  for (const line of results) console.log(`  ${line}`);
} finally {
  await sql.end();
  await handle.close();
  await database.drop();
}
