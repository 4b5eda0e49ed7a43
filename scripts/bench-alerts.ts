/**
 * npm run bench:alerts: alerts under a steady device ingest, on real PostgreSQL (DATABASE_URL, or
 * the local server), on a production server (`npm run build` first).
 *
 * CGMs post BENCH_BATCH readings at a time (default 288: a day of 5-minute readings, the batch of
 * bench:ingest; the series ends a few minutes ago, so every episode is live). A share of patients
 * (BENCH_LOW_SHARE) dips below 54 mg/dL for 35 minutes at the end of one of their batches, as a
 * meter syncing its latest readings would show it. Every phase writes fresh patients' readings.
 *   1. Capacity, alerts off then on: the same number of readings posted as fast as the server
 *      takes them (BENCH_CAPACITY_IN_FLIGHT requests in flight, as bench:ingest), the server
 *      started with LANTERN_BENCH_ALERT_EVALUATION=off (readings stored, alerts not evaluated)
 *      for the baseline. The ratio of the two rates is what alerts cost.
 *   2. Steady ingest, alerts on: BENCH_RATE readings/s offered for BENCH_SECONDS (open loop:
 *      requests leave on schedule, at most BENCH_IN_FLIGHT at once), a clinician of every patient
 *      holding the inbox's live channel open (GET /api/alerts/stream); for each dip, the time from
 *      sending its POST to the first SSE event of that patient reaching the clinician.
 */
import { randomBytes } from "node:crypto";
import { openPostgres } from "@/db/client";
import { careTeamMembers, careTeamPatients, careTeams, devices, organizations, patients, users } from "@/db/schema";
import { hashPassword } from "@/lib/security/password-hashing";
import { generateToken, sha256Hex } from "@/lib/security/tokens";
import { freshDatabase, percentile, signInCookie, startServer } from "./bench-support";
import { generate } from "otplib";
import { enrolWithNewSecret } from "@/lib/auth/mfa/second-factor";

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const BATCH = Number(process.env.BENCH_BATCH ?? 288);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const CAPACITY_IN_FLIGHT = Number(process.env.BENCH_CAPACITY_IN_FLIGHT ?? 16);
const LOW_SHARE = Number(process.env.BENCH_LOW_SHARE ?? 0.1);
const PORT = Number(process.env.BENCH_PORT ?? 3310);
const FIVE_MINUTES = 300_000;
// Seven readings below 54 mg/dL (30 minutes) near the end of the dip batch, the last one back in range.
const DIP_LENGTH = 7;
const DIP_FROM = Math.max(0, BATCH - DIP_LENGTH - 1);

const batchesPerPatient = Math.ceil((RATE * SECONDS) / BATCH / PATIENTS);
const database = await freshDatabase("alerts");
const handle = openPostgres(database.url);
await handle.migrate();

const [organization] = await handle.db.insert(organizations).values({ name: "Bench clinic" }).returning({ id: organizations.id });
const password = `${randomBytes(12).toString("hex")} bench passphrase`;
const [clinician] = await handle.db
  .insert(users)
  .values({ organizationId: organization!.id, role: "clinician", email: "bench-clinician@lantern.example", displayName: "Bench clinician", passwordHash: await hashPassword(password) })
  .returning({ id: users.id });
// Clinicians sign in with a second factor.
const clinicianTotpSecret = await enrolWithNewSecret(handle.db, clinician!.id);
const [team] = await handle.db.insert(careTeams).values({ organizationId: organization!.id, name: "Bench team" }).returning({ id: careTeams.id });
await handle.db.insert(careTeamMembers).values({ careTeamId: team!.id, clinicianUserId: clinician!.id });

interface BenchPatient {
  id: string;
  token: string;
  /** The batch holding this patient's dip below 54, or null for a patient who stays in range. */
  dipBatch: number | null;
}

async function createPatients(label: string): Promise<BenchPatient[]> {
  const rows = await handle.db
    .insert(patients)
    .values(Array.from({ length: PATIENTS }, (_, i) => ({ organizationId: organization!.id, givenName: "Bench", familyName: `${label} ${i}`, birthDate: "1980-01-01", timezone: "UTC" })))
    .returning({ id: patients.id });
  await handle.db.insert(careTeamPatients).values(rows.map((row) => ({ careTeamId: team!.id, patientId: row.id })));
  const tokens = rows.map(() => generateToken("lnt_dev"));
  await handle.db
    .insert(devices)
    .values(rows.map((row, i) => ({ patientId: row.id, kind: "cgm" as const, model: "Bench CGM", serialNumber: `BENCH-${label}-${i}`, tokenHash: sha256Hex(tokens[i]!), tokenIssuedAt: new Date() })));
  const everyNth = Math.max(1, Math.round(1 / LOW_SHARE));
  // Dips spread over the run: patient i dips in batch i mod batchesPerPatient.
  return rows.map((row, i) => ({ id: row.id, token: tokens[i]!, dipBatch: i % everyNth === 0 ? i % batchesPerPatient : null }));
}

const offPatients = await createPatients("off");
const onPatients = await createPatients("on");
const steadyPatients = await createPatients("steady");
await handle.close();

/** Batch `b` of a patient: BATCH 5-minute readings, the whole series ending a few minutes ago. */
function batchBody(patient: BenchPatient, index: number, b: number, seriesEnd: number, seqBase = 0): string {
  const seriesStart = seriesEnd - batchesPerPatient * BATCH * FIVE_MINUTES;
  return JSON.stringify({
    readings: Array.from({ length: BATCH }, (_, i) => {
      const position = b * BATCH + i;
      const low = patient.dipBatch === b && i >= DIP_FROM && i < DIP_FROM + DIP_LENGTH;
      return { time: new Date(seriesStart + position * FIVE_MINUTES).toISOString(), value: low ? 48 : 100 + ((index * 7 + position * 3) % 60), unit: "mg/dL", seq: seqBase + position };
    }),
  });
}

interface LiveClient {
  events: Map<string, number>;
  close: () => void;
}

/** The clinician's open inbox: the SSE stream, read as it arrives; the first event per patient is kept with its arrival time. */
async function openInbox(baseUrl: string, cookie: string): Promise<LiveClient> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/alerts/stream`, { headers: { cookie, accept: "text/event-stream" }, signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`The live channel answered ${response.status}`);
  const events = new Map<string, number>();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const arrived = performance.now();
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (!frame.startsWith("event: alert") || !data) continue;
          const { patientId } = JSON.parse(data) as { patientId: string };
          if (!events.has(patientId)) events.set(patientId, arrived);
        }
      }
    } catch {
      // closed
    }
  })();
  return { events, close: () => abort.abort() };
}

interface Post {
  patient: BenchPatient;
  index: number;
  b: number;
}

/** Every batch of every patient, patient after patient within each batch number (the series in time order per patient). */
function planOf(group: BenchPatient[]): Post[] {
  return Array.from({ length: batchesPerPatient }, (_, b) => group.map((patient, index) => ({ patient, index, b }))).flat();
}

function poster(baseUrl: string) {
  return async (patient: BenchPatient, body: string): Promise<boolean> => {
    try {
      const response = await fetch(`${baseUrl}/api/devices/readings`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${patient.token}` }, body });
      const outcome = (await response.json()) as { accepted?: number };
      return response.ok && outcome.accepted === BATCH;
    } catch {
      return false;
    }
  };
}

/** A spare in-range series of a few patients, before the measured window, so the server is warm. */
async function warmUp(post: ReturnType<typeof poster>, group: BenchPatient[], seriesEnd: number): Promise<void> {
  for (let i = 0; i < 20; i++) await post(group[i]!, batchBody({ ...group[i]!, dipBatch: null }, i, 0, seriesEnd - 2 * batchesPerPatient * BATCH * FIVE_MINUTES, 1_000_000));
}

interface CapacityResult {
  rate: number;
  stored: number;
  failures: number;
}

/** The fastest the server takes the plan: CAPACITY_IN_FLIGHT requests always in flight. */
async function runCapacity(label: string, group: BenchPatient[], alertEvaluation: "on" | "off"): Promise<CapacityResult> {
  process.env.LANTERN_BENCH_ALERT_EVALUATION = alertEvaluation;
  const server = await startServer(database.url, PORT);
  try {
    const post = poster(server.baseUrl);
    const seriesEnd = Date.now() - 10 * 60_000;
    await warmUp(post, group, seriesEnd);
    const plan = planOf(group);
    let next = 0;
    let failures = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CAPACITY_IN_FLIGHT }, async () => {
        for (let i = next++; i < plan.length; i = next++) {
          const { patient, index, b } = plan[i]!;
          if (!(await post(patient, batchBody(patient, index, b, seriesEnd)))) failures++;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const stored = (plan.length - failures) * BATCH;
    console.log(`${label}: ${plan.length} POSTs in ${elapsed.toFixed(1)} s`);
    return { rate: stored / elapsed, stored, failures };
  } finally {
    await server.stop();
  }
}

interface SteadyResult {
  rate: number;
  stored: number;
  failures: number;
  requestLatencies: number[];
  alertLatencies: number[];
  afterAnswer: number[];
  dips: number;
  announcedDips: number;
}

/** RATE readings/s offered on schedule, alerts on, the clinician's inbox open on the live channel. */
async function runSteady(group: BenchPatient[]): Promise<SteadyResult> {
  process.env.LANTERN_BENCH_ALERT_EVALUATION = "on";
  const server = await startServer(database.url, PORT);
  try {
    const cookie = await signInCookie(server.baseUrl, "bench-clinician@lantern.example", password, await generate({ secret: clinicianTotpSecret }));
    const inbox = await openInbox(server.baseUrl, cookie);
    const post = poster(server.baseUrl);
    const seriesEnd = Date.now() - 10 * 60_000;
    await warmUp(post, group, seriesEnd);

    const plan = planOf(group);
    const interval = (BATCH / RATE) * 1000;
    const dipSentAt = new Map<string, number>();
    const dipAnsweredAt = new Map<string, number>();
    const requestLatencies: number[] = [];
    let inFlight = 0;
    let failures = 0;
    let slotFreed: (() => void) | null = null;
    const pending: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < plan.length; i++) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      while (inFlight >= IN_FLIGHT) await new Promise<void>((resolve) => (slotFreed = resolve));
      const { patient, index, b } = plan[i]!;
      const body = batchBody(patient, index, b, seriesEnd);
      inFlight++;
      const sent = performance.now();
      if (patient.dipBatch === b) dipSentAt.set(patient.id, sent);
      pending.push(
        post(patient, body).then((ok) => {
          if (!ok) failures++;
          requestLatencies.push(performance.now() - sent);
          if (patient.dipBatch === b) dipAnsweredAt.set(patient.id, performance.now());
          inFlight--;
          const freed = slotFreed as (() => void) | null;
          slotFreed = null;
          freed?.();
        }),
      );
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - start) / 1000;
    // Events still on their way after the last response.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    inbox.close();
    const alertLatencies = [...dipSentAt].flatMap(([patientId, sent]) => (inbox.events.has(patientId) ? [inbox.events.get(patientId)! - sent] : []));
    // The event can arrive before the POST's answer (the commit comes first): negative is fine.
    const afterAnswer = [...dipAnsweredAt].flatMap(([patientId, answered]) => (inbox.events.has(patientId) ? [inbox.events.get(patientId)! - answered] : []));
    console.log(`steady ingest, alerts on: ${plan.length} POSTs in ${elapsed.toFixed(1)} s`);
    const stored = (plan.length - failures) * BATCH;
    return {
      rate: stored / elapsed,
      stored,
      failures,
      requestLatencies: requestLatencies.sort((a, b) => a - b),
      alertLatencies: alertLatencies.sort((a, b) => a - b),
      afterAnswer: afterAnswer.sort((a, b) => a - b),
      dips: dipSentAt.size,
      announcedDips: alertLatencies.length,
    };
  } finally {
    await server.stop();
  }
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const perSecond = (value: number) => `${Math.round(value).toLocaleString()} readings/s`;
try {
  console.log(`${PATIENTS} CGMs per phase, ${BATCH} readings per POST, ${(batchesPerPatient * BATCH * PATIENTS).toLocaleString()} readings per phase`);
  const off = await runCapacity(`capacity, alerts off (baseline), ${CAPACITY_IN_FLIGHT} in flight`, offPatients, "off");
  const on = await runCapacity(`capacity, alerts on, ${CAPACITY_IN_FLIGHT} in flight`, onPatients, "on");
  console.log(`steady ingest: ${RATE.toLocaleString()} readings/s offered for ~${SECONDS} s, at most ${IN_FLIGHT} in flight`);
  const steady = await runSteady(steadyPatients);
  console.log("");
  console.log(`capacity, alerts off: ${perSecond(off.rate)} (${off.stored.toLocaleString()} stored, ${off.failures} failed POSTs)`);
  console.log(`capacity, alerts on:  ${perSecond(on.rate)} (${on.stored.toLocaleString()} stored, ${on.failures} failed POSTs)`);
  console.log(`alerts cost: ${(100 * (1 - on.rate / off.rate)).toFixed(1)}% of the ingest rate (target < 25%)`);
  console.log(
    `steady ingest, alerts on: ${perSecond(steady.rate)} of ${perSecond(RATE)} offered (${steady.stored.toLocaleString()} stored, ${steady.failures} failed POSTs); POST p50 ${ms(percentile(steady.requestLatencies, 50))}, p95 ${ms(percentile(steady.requestLatencies, 95))}`,
  );
  console.log(
    `device POST -> SSE event at the clinician (${steady.announcedDips} of ${steady.dips} dips announced): p50 ${ms(percentile(steady.alertLatencies, 50))}, p95 ${ms(percentile(steady.alertLatencies, 95))}, max ${ms(steady.alertLatencies.at(-1) ?? Number.NaN)} (target p95 < 1 s)`,
  );
  console.log(`SSE event after the POST's answer: p50 ${ms(percentile(steady.afterAnswer, 50))}, p95 ${ms(percentile(steady.afterAnswer, 95))}, max ${ms(steady.afterAnswer.at(-1) ?? Number.NaN)}`);
} finally {
  await database.drop();
}
