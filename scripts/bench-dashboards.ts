/**
 * npm run bench:dashboards: the dashboards' server time on real PostgreSQL (DATABASE_URL or the
 * local server), in a fresh database.
 *
 * Data: BENCH_PATIENTS patients (default 5,000) in one care team of one clinician, in Europe/London;
 * BENCH_CGM_PATIENTS of them (default 1,000) with 90 days of 5-minute CGM ending now (25,920 each,
 * 25.9 million rows) and the rest with 4 fingersticks a day, written by generate_series; the daily
 * aggregates built by the very statement the migration's backfill runs (read from the migration
 * file); feeds and some open alerts.
 *
 * Measured in this process, calling the data layer as a page does (authorization, audit,
 * transaction included), ROUNDS times each, p50/p95:
 * 1. triageList: the first page of the priority-sorted triage list over 14 days (target p95 < 300 ms),
 *    beside the baseline: the same per-patient figures (counts per range, mean) computed by a plain
 *    SQL aggregate over the raw readings of the same 14 days, ordered and paged.
 * 2. glucoseReport: a 90-day report's data for a CGM patient (target p95 < 150 ms), beside the
 *    baseline: one plain SQL statement computing the same summary and the 96 AGP percentile bins
 *    from that patient's raw readings.
 * 3. The browser's time to a rendered 90-day report: a production server on the same database,
 *    the clinician signed in, Chromium (Playwright) loading the report page BENCH_BROWSER_ROUNDS
 *    times (5) until the AGP chart is drawn and the page's last section is in place (90 days is
 *    past the daily traces' limit, so that section offers a shorter period instead).
 * Times are figures, never assertions.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chromium } from "@playwright/test";
import postgres from "postgres";
import { installDatabaseHandle, openPostgres } from "@/db/client";
import { internalOrigin, type UserActor } from "@/lib/access/actor";
import { triageList } from "@/lib/patients/triage";
import { glucoseReport } from "@/lib/readings/glucose-report";
import { hashPassword } from "@/lib/security/password-hashing";
import { generate } from "otplib";
import { enrolWithNewSecret } from "@/lib/auth/mfa/second-factor";
import { freshDatabase, percentile, signInCookie, startServer } from "./bench-support";

/**
 * Loads the 90-day report page of BROWSER_ROUNDS CGM patients in Chromium, signed in as the
 * clinician: navigation start until the AGP chart is drawn and the page's last section is in place.
 */
async function browserReportTimes(databaseUrl: string, password: string, totpSecret: string, cgmIds: string[]): Promise<number[]> {
  const server = await startServer(databaseUrl, PORT);
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  const browser = await chromium.launch({ executablePath }).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  try {
    const cookie = await signInCookie(server.baseUrl, "bench-clinician@example.test", password, await generate({ secret: totpSecret }));
    const [name, value] = [cookie.slice(0, cookie.indexOf("=")), cookie.slice(cookie.indexOf("=") + 1)];
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    await context.addCookies([{ name, value, url: server.baseUrl }]);
    const page = await context.newPage();
    return await timed(BROWSER_ROUNDS, async (round) => {
      const response = await page.goto(`${server.baseUrl}/patients/${cgmIds[Math.max(0, round) % cgmIds.length]}/report?days=90`);
      if (!response?.ok()) throw new Error(`The report page answered ${response?.status()} at ${page.url()}`);
      await page.locator("figure.agp-chart .recharts-line-curve").waitFor({ timeout: 120_000 });
      await page.locator("section[aria-labelledby=traces-heading]").waitFor();
    });
  } finally {
    await browser.close();
    await server.stop();
  }
}

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 5_000);
const CGM_PATIENTS = Number(process.env.BENCH_CGM_PATIENTS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const BROWSER_ROUNDS = Number(process.env.BENCH_BROWSER_ROUNDS ?? 5);
const PORT = Number(process.env.BENCH_PORT ?? 3311);
const DAYS = 90;
const ZONE = "Europe/London";

/** The backfill statement of the daily-aggregates migration: the last statement of its file. */
function backfillStatement(): string {
  const file = readdirSync("db/migrations").find((name) => name.endsWith("_dashboards_data_daily_aggregates_refresh.sql"));
  if (!file) throw new Error("The daily-aggregates migration is missing");
  const statements = readFileSync(`db/migrations/${file}`, "utf8").split("--> statement-breakpoint");
  return statements.at(-1)!.trim();
}

function summary(label: string, samples: number[]): { p50: number; p95: number; text: string } {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  return { p50, p95, text: `${label.padEnd(46)} p50 ${p50.toFixed(1).padStart(8)} ms   p95 ${p95.toFixed(1).padStart(8)} ms` };
}

async function timed(rounds: number, run: (round: number) => Promise<unknown>): Promise<number[]> {
  await run(-1); // warm-up: plans and connections
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await run(round);
    samples.push(performance.now() - started);
  }
  return samples;
}

const database = await freshDatabase("dashboards");
const handle = openPostgres(database.url);
try {
  await handle.migrate();
  installDatabaseHandle(handle);
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  const now = new Date();
  const loadStarted = performance.now();

  const [organization] = await sql`insert into organizations (name) values ('Bench clinic') returning id`;
  const password = `bench passphrase ${Date.now()}`;
  const [user] = await sql`insert into users (organization_id, email, display_name, role, password_hash)
    values (${organization!.id}, 'bench-clinician@example.test', 'Bench Clinician', 'clinician', ${await hashPassword(password)}) returning id`;
  // Clinicians sign in with a second factor (TOTP).
  const totpSecret = await enrolWithNewSecret(handle.db, user!.id as string);
  const [team] = await sql`insert into care_teams (organization_id, name) values (${organization!.id}, 'Everyone') returning id`;
  await sql`insert into care_team_members (care_team_id, clinician_user_id) values (${team!.id}, ${user!.id})`;
  // No record numbers: they are encrypted at rest with a key only the server holds (docs/privacy.md).
  await sql`insert into patients (organization_id, given_name, family_name, birth_date, timezone)
    select ${organization!.id}, 'Patient', 'Bench ' || lpad(i::text, 5, '0'), date '1970-01-01' + (i % 18000), ${ZONE}
    from generate_series(1, ${PATIENTS}) i`;
  await sql`insert into care_team_patients (care_team_id, patient_id) select ${team!.id}, id from patients`;
  const patientIds = (await sql`select id from patients order by family_name`).map((row) => row.id as string);
  const cgmIds = patientIds.slice(0, CGM_PATIENTS);
  const meterIds = patientIds.slice(CGM_PATIENTS);

  // Raw readings by generate_series, in chunks so progress shows. Values wander with time and
  // patient so every range occurs: 40-340 mg/dL.
  const end = new Date(Math.floor(now.getTime() / 300_000) * 300_000);
  const start = new Date(end.getTime() - DAYS * 86_400_000);
  const CHUNK = 50;
  for (let i = 0; i < cgmIds.length; i += CHUNK) {
    await sql`insert into glucose_readings (patient_id, value_as_received, unit, value_mgdl, effective_at, utc_offset_minutes, specimen, source, origin)
      select p.id, v.value, 'mg/dL', v.value, t, 0, 'interstitial', 'device', 'bench'
      from unnest(${sql.array(cgmIds.slice(i, i + CHUNK))}::uuid[]) with ordinality as p(id, n),
        generate_series(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz - interval '5 minutes', interval '5 minutes') t,
        lateral (select round((190 + 150 * sin(extract(epoch from t) / 7200.0 + p.n) * cos(extract(epoch from t) / 86400.0 * (1 + p.n % 5)))::numeric, 0) as value) v`;
    process.stdout.write(`\rCGM ${Math.min(i + CHUNK, cgmIds.length)}/${cgmIds.length} patients`);
  }
  await sql`insert into glucose_readings (patient_id, value_as_received, unit, value_mgdl, effective_at, utc_offset_minutes, specimen, source, origin, meal_context)
    select p.id, v.value, 'mg/dL', v.value, t, 0, 'capillary', 'device', 'bench', 'before-meal'
    from unnest(${sql.array(meterIds)}::uuid[]) with ordinality as p(id, n),
      generate_series(${start.toISOString()}::timestamptz + interval '7 hours', ${end.toISOString()}::timestamptz - interval '1 hour', interval '6 hours') t,
      lateral (select round((150 + 90 * sin(extract(epoch from t) / 30000.0 + p.n))::numeric, 0) as value) v`;
  console.log("\nraw readings loaded; building the daily aggregates with the migration's backfill statement");
  const aggregatesStarted = performance.now();
  await sql.unsafe(backfillStatement());
  const aggregatesSeconds = (performance.now() - aggregatesStarted) / 1000;
  await sql`insert into patient_feeds (patient_id, specimen, first_reading_at, last_reading_at, last_value_mgdl, last_censored)
    select distinct on (patient_id, specimen) patient_id, specimen, ${start.toISOString()}::timestamptz, effective_at, value_mgdl, censored
    from glucose_readings where effective_at > ${end.toISOString()}::timestamptz - interval '1 day' order by patient_id, specimen, effective_at desc`;
  // Some open alerts: every 25th CGM patient has an urgent one, every 10th a moderate one.
  await sql`insert into alerts (patient_id, kind, severity, specimen, started_at, targets)
    select id, case when n % 25 = 0 then 'hypo-level-2' else 'hyper-level-2' end::alert_kind, case when n % 25 = 0 then 'urgent' else 'moderate' end::alert_severity,
      'interstitial', ${end.toISOString()}::timestamptz - interval '2 hours', '{}'::jsonb
    from unnest(${sql.array(cgmIds)}::uuid[]) with ordinality as p(id, n) where n % 25 = 0 or n % 10 = 0`;
  await sql`vacuum analyze`;
  const [{ readings, days }] = (await sql`select (select count(*) from glucose_readings) as readings, (select count(*) from glucose_daily_aggregates) as days`) as unknown as [
    { readings: string; days: string },
  ];
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  const clinician: UserActor = { kind: "user", userId: user!.id, role: "clinician", organizationId: organization!.id, displayName: "Bench Clinician", origin: internalOrigin() };

  // 1. Triage.
  const triage = await timed(ROUNDS, () => triageList(clinician, {}, now));
  const triageSorted = await timed(ROUNDS, () => triageList(clinician, { sort: "below70", page: 3 }, now));
  const triageBaseline = await timed(ROUNDS, () => sql`
    with w as (
      select r.patient_id, count(*) as n,
        count(*) filter (where r.censored = 'below' or (r.censored is null and round(r.value_mgdl) < 54)) as very_low,
        count(*) filter (where r.censored is null and round(r.value_mgdl) >= 54 and round(r.value_mgdl) < 70) as low,
        count(*) filter (where r.censored is null and round(r.value_mgdl) between 70 and 180) as in_range,
        count(*) filter (where r.censored = 'above' or (r.censored is null and round(r.value_mgdl) > 250)) as very_high,
        avg(r.value_mgdl) as mean, stddev_samp(r.value_mgdl) as sd
      from glucose_readings r
      where r.duplicate_of_id is null and r.effective_at >= ${new Date(end.getTime() - 14 * 86_400_000).toISOString()}::timestamptz
      group by r.patient_id)
    select p.id, p.family_name, w.*, (w.very_low + w.low) * 100.0 / w.n as below70
    from patients p left join w on w.patient_id = p.id
    order by below70 desc nulls last, p.family_name limit 25`);

  // Correctness beside speed: the first CGM patient's figures agree between both ways.
  const firstCgm = (await triageList(clinician, { search: "Bench 00001" }, now)).rows[0]!;

  // 2. A 90-day report.
  const report = await timed(ROUNDS, (round) => glucoseReport(clinician, cgmIds[Math.max(0, round) % cgmIds.length]!, { days: 90 }, now));
  const reportBaseline = await timed(ROUNDS, (round) => {
    const id = cgmIds[Math.max(0, round) % cgmIds.length]!;
    return sql`
      with r as (
        select value_mgdl, censored, effective_at at time zone ${ZONE} as local from glucose_readings
        where patient_id = ${id}::uuid and duplicate_of_id is null and specimen = 'interstitial'
          and effective_at >= ${new Date(end.getTime() - 90 * 86_400_000).toISOString()}::timestamptz)
      select (select json_build_object('n', count(*), 'mean', avg(value_mgdl), 'sd', stddev_samp(value_mgdl),
          'veryLow', count(*) filter (where round(value_mgdl) < 54), 'low', count(*) filter (where round(value_mgdl) between 54 and 69),
          'inRange', count(*) filter (where round(value_mgdl) between 70 and 180), 'high', count(*) filter (where round(value_mgdl) between 181 and 250),
          'veryHigh', count(*) filter (where round(value_mgdl) > 250), 'days', count(distinct local::date)) from r) as summary,
        (select json_agg(b order by minute) from (
          select (extract(hour from local) * 60 + floor(extract(minute from local) / 15) * 15)::int as minute,
            percentile_cont(array[0.05, 0.25, 0.5, 0.75, 0.95]) within group (order by value_mgdl) as p
          from r group by 1) b) as agp`;
  });
  const sampleReport = await glucoseReport(clinician, cgmIds[0]!, { days: 90 }, now);


  const lines = [
    summary("triage, first page, priority order", triage),
    summary("triage, page 3 sorted by time below 70", triageSorted),
    summary("baseline: plain SQL aggregate over raw readings", triageBaseline),
    summary("90-day report data (glucoseReport)", report),
    summary("baseline: plain SQL summary + AGP over raw", reportBaseline),
  ];
  const ratio = (a: number[], b: number[]) => (summary("", a).p95 / summary("", b).p95).toFixed(2);
  console.log(`
bench:dashboards on PostgreSQL, ${PATIENTS.toLocaleString("en")} patients (${CGM_PATIENTS.toLocaleString("en")} CGM x ${DAYS} days at 5 min), ${Number(readings).toLocaleString("en")} readings, ${Number(days).toLocaleString("en")} daily aggregate rows
load ${loadSeconds.toFixed(0)} s (aggregates backfill ${aggregatesSeconds.toFixed(1)} s); ${ROUNDS} rounds each, after one warm-up
${lines.map((line) => line.text).join("\n")}
ratios (p95): triage / raw-SQL baseline ${ratio(triage, triageBaseline)}; report / raw-SQL baseline ${ratio(report, reportBaseline)}
targets: triage p95 < 300 ms, report p95 < 150 ms (server time)
check: first CGM patient from aggregates: ${firstCgm.readings} readings, below 70 ${firstCgm.below70Percent?.toFixed(3)}%; report (90 d): ${sampleReport.cgm.readings} readings, ${sampleReport.cgm.agp.length} AGP bins`);

  // 3. The browser's time to a rendered 90-day report, through a production server (printed on its own,
  // so a browser problem cannot take the server figures with it).
  const browserTimes = await browserReportTimes(database.url, password, totpSecret, cgmIds);
  console.log(summary(`90-day report rendered in Chromium (${BROWSER_ROUNDS} loads)`, browserTimes).text);
  await sql.end();
} finally {
  await handle.close();
  if (!process.env.BENCH_KEEP) await database.drop(); else console.log("kept", database.url);
}
