/**
 * npm run bench:load: a mixed workload against one production server on real PostgreSQL
 * (DATABASE_URL, or the local server), for BENCH_DURATION_SECONDS (60):
 * - devices: BENCH_DEVICE_WORKERS (8) loops, each posting 12-reading batches for the next of
 *   BENCH_PATIENTS (100) paired CGMs;
 * - clinicians: BENCH_CLINICIAN_WORKERS (4) signed-in sessions loading the triage list and a
 *   patient's glucose report in turn;
 * - a hospital system: BENCH_FHIR_WORKERS (2) loops searching Observation (one patient, two
 *   days) and Patient with a SMART access token;
 * - a sign-in flood: BENCH_FLOOD_WORKERS (8) loops posting wrong passwords for one account, as
 *   an attacker would (refusals and 429s are the expected answers; only a 5xx or a dropped
 *   connection counts as an error).
 * Before the clock starts every patient gets BENCH_PRELOAD_DAYS (7) days of 5-minute CGM through
 * the device API, so triage and reports read real data. Prints throughput, p50/p95/p99 per kind,
 * errors (must be 0: the script exits 1 otherwise) and the server's peak memory (process tree RSS;
 * target under 500 MB). Figures, not pass/fail on time.
 */
import { randomBytes } from "node:crypto";
import { backendAccessTokens, backendClients, careTeamMembers, careTeamPatients, careTeams, devices, organizations, patients, users } from "@/db/schema";
import { openPostgres } from "@/db/client";
import { hashPassword } from "@/lib/security/password-hashing";
import { generateToken, sha256Hex } from "@/lib/security/tokens";
import { generate } from "otplib";
import { enrolWithNewSecret } from "@/lib/auth/mfa/second-factor";
import { freshDatabase, percentile, sampleEvery, signInCookie, startServer, treeRssMb } from "./bench-support";

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 60);
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 100);
const PRELOAD_DAYS = Number(process.env.BENCH_PRELOAD_DAYS ?? 7);
const DEVICE_WORKERS = Number(process.env.BENCH_DEVICE_WORKERS ?? 8);
const CLINICIAN_WORKERS = Number(process.env.BENCH_CLINICIAN_WORKERS ?? 4);
const FHIR_WORKERS = Number(process.env.BENCH_FHIR_WORKERS ?? 2);
const FLOOD_WORKERS = Number(process.env.BENCH_FLOOD_WORKERS ?? 8);
const PORT = Number(process.env.BENCH_PORT ?? 3302);
const PER_BATCH = 12;
const RSS_TARGET_MB = 500;

const database = await freshDatabase("load");
const handle = openPostgres(database.url);
await handle.migrate();

// One clinic: a clinician whose care team holds every patient, a flood target, a hospital system.
const [organization] = await handle.db.insert(organizations).values({ name: "Load clinic" }).returning({ id: organizations.id });
const password = `${randomBytes(12).toString("hex")} load passphrase`;
const passwordHash = await hashPassword(password);
const [clinician, floodTarget] = await handle.db
  .insert(users)
  .values([
    { organizationId: organization!.id, role: "clinician", email: "clinician@load.lantern.example", displayName: "Load Clinician", passwordHash },
    { organizationId: organization!.id, role: "clinician", email: "target@load.lantern.example", displayName: "Flood Target", passwordHash },
  ])
  .returning({ id: users.id, email: users.email });
const patientRows = await handle.db
  .insert(patients)
  .values(Array.from({ length: PATIENTS }, (_, i) => ({ organizationId: organization!.id, givenName: "Load", familyName: `Patient ${i}`, birthDate: "1980-01-01", timezone: "UTC" })))
  .returning({ id: patients.id });
// Clinicians sign in with a second factor (TOTP).
const clinicianTotpSecret = await enrolWithNewSecret(handle.db, clinician!.id);
const [team] = await handle.db.insert(careTeams).values({ organizationId: organization!.id, name: "Load team" }).returning({ id: careTeams.id });
await handle.db.insert(careTeamMembers).values({ careTeamId: team!.id, clinicianUserId: clinician!.id });
await handle.db.insert(careTeamPatients).values(patientRows.map((patient) => ({ careTeamId: team!.id, patientId: patient.id })));
const deviceTokens = patientRows.map(() => generateToken("lnt_dev"));
await handle.db
  .insert(devices)
  .values(patientRows.map((patient, i) => ({ patientId: patient.id, kind: "cgm" as const, model: "Load CGM", serialNumber: `LOAD-${i}`, tokenHash: sha256Hex(deviceTokens[i]!), tokenIssuedAt: new Date() })));
const scopes = ["system/Observation.rs", "system/Patient.rs"];
const [client] = await handle.db.insert(backendClients).values({ organizationId: organization!.id, name: "Load EHR", jwks: { keys: [] }, allowedScopes: scopes }).returning({ id: backendClients.id });
const fhirToken = generateToken("lnt_at");
await handle.db.insert(backendAccessTokens).values({ tokenHash: sha256Hex(fhirToken), clientId: client!.id, scopes, expiresAt: new Date(Date.now() + 24 * 3_600_000) });
await handle.close();

const server = await startServer(database.url, PORT);
const base = server.baseUrl;

async function postReadings(token: string, readings: Array<{ time: string; value: number; unit: string }>): Promise<Response> {
  return fetch(`${base}/api/devices/readings`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ readings }) });
}

// Preload: PRELOAD_DAYS days of 5-minute CGM per patient ending two days ago, one day a request.
const now = Date.now();
const preloadEnd = now - 2 * 86_400_000;
const preloadStarted = performance.now();
await Promise.all(
  Array.from({ length: 8 }, async (_, worker) => {
    for (let p = worker; p < PATIENTS; p += 8) {
      for (let day = PRELOAD_DAYS; day > 0; day--) {
        const dayStart = preloadEnd - day * 86_400_000;
        const readings = Array.from({ length: 288 }, (_, i) => ({ time: new Date(dayStart + i * 300_000).toISOString(), value: 70 + ((i * 7 + p * 13) % 200), unit: "mg/dL" }));
        const response = await postReadings(deviceTokens[p]!, readings);
        if (!response.ok) throw new Error(`Preload refused: ${response.status} ${await response.text()}`);
        await response.body?.cancel();
      }
    }
  }),
);
console.log(`Preloaded ${PATIENTS * PRELOAD_DAYS * 288} readings (${PATIENTS} patients x ${PRELOAD_DAYS} days) in ${((performance.now() - preloadStarted) / 1000).toFixed(1)} s`);

// One sign-in (a TOTP code works once), its session shared by the clinician's workers like tabs of one browser.
const clinicianCookie = await signInCookie(base, clinician!.email, password, await generate({ secret: clinicianTotpSecret }));
const clinicianCookies: string[] = Array.from({ length: CLINICIAN_WORKERS }, () => clinicianCookie);

type Kind = "device upload" | "triage list" | "glucose report" | "FHIR search" | "sign-in flood";
const latencies = new Map<Kind, number[]>();
const errors = new Map<Kind, string[]>();
const record = (kind: Kind, ms: number, error: string | null) => {
  if (!latencies.has(kind)) latencies.set(kind, []);
  latencies.get(kind)!.push(ms);
  if (error) {
    if (!errors.has(kind)) errors.set(kind, []);
    errors.get(kind)!.push(error);
  }
};

const deadline = Date.now() + DURATION_SECONDS * 1000;
/** Runs `request` in a loop until the deadline; `judge` says what about an answer is an error. */
async function loop(kind: Kind, request: (iteration: number) => Promise<Response>, judge: (response: Response) => string | null = (response) => (response.ok ? null : `HTTP ${response.status}`)) {
  for (let iteration = 0; Date.now() < deadline; iteration++) {
    const started = performance.now();
    try {
      const response = await request(iteration);
      await response.arrayBuffer();
      record(kind, performance.now() - started, judge(response));
    } catch (error) {
      record(kind, performance.now() - started, error instanceof Error ? error.message : String(error));
    }
  }
}

// Live uploads: each device's cursor starts two days ago and moves a minute a reading.
const cursors = patientRows.map(() => preloadEnd);
let nextDevice = 0;
const deviceLoop = () =>
  loop("device upload", async () => {
    const p = nextDevice++ % PATIENTS;
    const from = cursors[p]!;
    cursors[p] = from + PER_BATCH * 60_000;
    const readings = Array.from({ length: PER_BATCH }, (_, i) => ({ time: new Date(from + i * 60_000).toISOString(), value: 60 + ((from / 60_000 + i) % 240), unit: "mg/dL" }));
    return postReadings(deviceTokens[p]!, readings);
  });
const triageLoop = (cookie: string) => loop("triage list", () => fetch(`${base}/clinician`, { headers: { cookie }, redirect: "manual" }));
const reportLoop = (cookie: string) =>
  loop("glucose report", (i) => fetch(`${base}/patients/${patientRows[(i * 7) % PATIENTS]!.id}/report`, { headers: { cookie }, redirect: "manual" }));
const fhirHeaders = { authorization: `Bearer ${fhirToken}`, accept: "application/fhir+json" };
const since = new Date(preloadEnd - 2 * 86_400_000).toISOString();
const fhirLoop = () =>
  loop("FHIR search", (i) =>
    i % 2 === 0
      ? fetch(`${base}/fhir/Observation?patient=${patientRows[i % PATIENTS]!.id}&date=ge${since}&_count=100`, { headers: fhirHeaders })
      : fetch(`${base}/fhir/Patient?_count=50`, { headers: fhirHeaders }),
  );
// Wrong passwords for one account, each with its own CSRF round trip, as a script would send them.
const floodLoop = () =>
  loop(
    "sign-in flood",
    async () => {
      const csrf = await fetch(`${base}/api/auth/csrf`);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      return fetch(`${base}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
        body: new URLSearchParams({ csrfToken, email: floodTarget!.email, password: `wrong ${randomBytes(6).toString("hex")}`, callbackUrl: "/" }),
      });
    },
    // Refused (a redirect back with an error, 401 or 429) is the right answer to a flood.
    (response) => (response.status >= 500 ? `HTTP ${response.status}` : null),
  );

const memory = sampleEvery(250, () => treeRssMb(server.process.pid!));
const idleMb = treeRssMb(server.process.pid!);
console.log(`Mixed load for ${DURATION_SECONDS} s: ${DEVICE_WORKERS} device loops, ${CLINICIAN_WORKERS} clinicians (triage and report), ${FHIR_WORKERS} FHIR loops, ${FLOOD_WORKERS} sign-in flood loops`);
const started = performance.now();
await Promise.all([
  ...Array.from({ length: DEVICE_WORKERS }, deviceLoop),
  ...clinicianCookies.map((cookie, i) => (i % 2 === 0 ? triageLoop(cookie) : reportLoop(cookie))),
  ...Array.from({ length: FHIR_WORKERS }, fhirLoop),
  ...Array.from({ length: FLOOD_WORKERS }, floodLoop),
]);
const elapsed = (performance.now() - started) / 1000;
const rss = memory.stop();
const peakMb = Math.max(...rss);

const rows = [...latencies.entries()].map(([kind, values]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    kind,
    requests: values.length,
    "per second": Number((values.length / elapsed).toFixed(1)),
    "p50 ms": Number(percentile(sorted, 50).toFixed(1)),
    "p95 ms": Number(percentile(sorted, 95).toFixed(1)),
    "p99 ms": Number(percentile(sorted, 99).toFixed(1)),
    errors: errors.get(kind)?.length ?? 0,
  };
});
console.table(rows);
const totalErrors = rows.reduce((sum, row) => sum + row.errors, 0);
console.log(`Readings uploaded during the run: ${(latencies.get("device upload")?.length ?? 0) * PER_BATCH}`);
console.log(`Server memory (process tree RSS): ${idleMb} MB before the load, peak ${peakMb} MB (target under ${RSS_TARGET_MB} MB)${peakMb < RSS_TARGET_MB ? "" : "  OVER TARGET"}`);
console.log(`Errors: ${totalErrors}${totalErrors ? ` (must be 0): ${[...errors.entries()].map(([kind, list]) => `${kind}: ${[...new Set(list)].slice(0, 3).join(", ")}`).join("; ")}` : ""}`);

await server.stop();
await database.drop();
if (totalErrors > 0) process.exitCode = 1;
