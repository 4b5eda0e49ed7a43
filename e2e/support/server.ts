/**
 * The e2e web server: a fresh database (a new PostgreSQL database when DATABASE_URL is set,
 * else a new embedded folder), the demo clinic plus the e2e fixtures seeded into it, then
 * server.mjs (`npm start`) on the production build. Playwright starts and stops this script.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openEmbedded, openPostgres } from "@/db/client";
import { careTeamPatients, guardianLinks, patients } from "@/db/schema";
import { createAccount, seedDemo } from "@/lib/demo/seed";
import { startSmtpReceiver } from "@/test/smtp-receiver";
import { type E2eWorld, mailboxFile, serverLogFile, worldFile } from "./world";

const port = process.env.E2E_PORT ?? "3100";
const serverUrl = process.env.DATABASE_URL;
const env: NodeJS.ProcessEnv = { ...process.env, LANTERN_DEMO_SEED: "false", LANTERN_SECURITY_CONTACT: "mailto:security@lantern.example", AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64url") };
let cleanUp: () => Promise<void>;
// The seed below seals the staff's TOTP secrets with a key derived from the server's AUTH_SECRET.
process.env.AUTH_SECRET = env.AUTH_SECRET;
// And seals record numbers with the data key (encryption at rest): the server must hold the same
// one, whichever data directory each process would otherwise generate a key file in.
env.LANTERN_DATA_KEYS = process.env.LANTERN_DATA_KEYS ?? `e2e=${randomBytes(32).toString("base64")}`;
process.env.LANTERN_DATA_KEYS = env.LANTERN_DATA_KEYS;

// Every email the server sends (invitations) goes to a real SMTP server; specs read them from a file.
mkdirSync(path.dirname(mailboxFile), { recursive: true });
writeFileSync(mailboxFile, "");
const mailbox = await startSmtpReceiver((message) => appendFileSync(mailboxFile, `${JSON.stringify(message)}\n`));
env.LANTERN_SMTP_URL = mailbox.url;

if (serverUrl) {
  const name = `lantern_e2e_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  cleanUp = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
} else {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "lantern-e2e-"));
  env.LANTERN_DATA_DIR = dataDir;
  cleanUp = async () => rmSync(dataDir, { recursive: true, force: true });
}

const handle = env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openEmbedded(path.join(env.LANTERN_DATA_DIR!, "pglite"));
await handle.migrate();
const demo = await seedDemo(handle.db);
const [admin, clinician, fingerstickPatient, cgmPatient] = demo.accounts as [E2eWorld["admin"], E2eWorld["clinician"], E2eWorld["fingerstickPatient"], E2eWorld["cgmPatient"]];

// A guardian of a child without an account, and an adult on no care team.
const guardian = await createAccount(handle.db, demo.organizationId, "guardian", "Grace Parent", "guardian@lantern.example");
const outsiderPatient = await createAccount(handle.db, demo.organizationId, "patient", "Olga Outside", "olga@lantern.example");
const [child, outsider] = await handle.db
  .insert(patients)
  .values([
    { organizationId: demo.organizationId, givenName: "Kit", familyName: "Parent", birthDate: "2016-03-02", timezone: "Europe/London", preferredUnit: "mmol/L" },
    { organizationId: demo.organizationId, userId: outsiderPatient.userId, givenName: "Olga", familyName: "Outside", birthDate: "1980-01-01", timezone: "America/New_York" },
  ])
  .returning({ id: patients.id });
// The same guardian's other child turned 18 today: the guardian's access ended this morning.
const eighteenToday = new Date();
eighteenToday.setUTCFullYear(eighteenToday.getUTCFullYear() - 18);
const [grownUp] = await handle.db
  .insert(patients)
  .values({ organizationId: demo.organizationId, givenName: "Remy", familyName: "Parent", birthDate: eighteenToday.toISOString().slice(0, 10), timezone: "Europe/London" })
  .returning({ id: patients.id });
await handle.db.insert(guardianLinks).values([
  { guardianUserId: guardian.userId, patientId: child!.id, confirmedByUserId: clinician.userId, confirmedAt: new Date() },
  { guardianUserId: guardian.userId, patientId: grownUp!.id, confirmedByUserId: clinician.userId, confirmedAt: new Date("2020-01-01T00:00:00Z") },
]);
// A patient of the clinician's care team with no readings yet: alerts tests give them a known series.
const alertPatient = await createAccount(handle.db, demo.organizationId, "patient", "Ada Lowe", "ada@lantern.example");
const [alert] = await handle.db
  .insert(patients)
  .values({ organizationId: demo.organizationId, userId: alertPatient.userId, givenName: "Ada", familyName: "Lowe", birthDate: "1975-06-01", timezone: "Europe/London", preferredUnit: "mmol/L" })
  .returning({ id: patients.id });
await handle.db.insert(careTeamPatients).values({ careTeamId: demo.careTeamId, patientId: alert!.id });
// A patient whose only readings are those the Nightscout spec's uploader sends (its follower reads the latest).
const nightscoutPatient = await createAccount(handle.db, demo.organizationId, "patient", "Nico Scout", "nico@lantern.example");
await handle.db
  .insert(patients)
  .values({ organizationId: demo.organizationId, userId: nightscoutPatient.userId, givenName: "Nico", familyName: "Scout", birthDate: "1990-04-22", timezone: "America/New_York" });
// A patient whose only readings are those the FHIR Flag spec sends.
const flagPatient = await createAccount(handle.db, demo.organizationId, "patient", "Fay Flag", "fay@lantern.example");
const [flagged] = await handle.db
  .insert(patients)
  .values({ organizationId: demo.organizationId, userId: flagPatient.userId, givenName: "Fay", familyName: "Flag", birthDate: "1979-02-11", timezone: "Europe/London" })
  .returning({ id: patients.id });
// A patient whose only readings are those the alert-notification spec sends (its channels are the organization's).
const notifyPatient = await createAccount(handle.db, demo.organizationId, "patient", "Nia Notify", "nia@lantern.example");
const [notify] = await handle.db
  .insert(patients)
  .values({ organizationId: demo.organizationId, userId: notifyPatient.userId, givenName: "Nia", familyName: "Notify", birthDate: "1982-09-14", timezone: "Europe/London" })
  .returning({ id: patients.id });
// Two-step sign-in: a clinician who has not set up an authenticator yet, and one with an authenticator of their own (recovery codes, wrong codes).
const newcomerClinician = await createAccount(handle.db, demo.organizationId, "clinician", "Nell Newcomer", "nell.newcomer@lantern.example", { withAuthenticator: false });
const twoStepClinician = await createAccount(handle.db, demo.organizationId, "clinician", "Tomas Twostep", "tomas.twostep@lantern.example");
await handle.close();

const world: E2eWorld = {
  admin, clinician, fingerstickPatient, cgmPatient, guardian, outsiderPatient, alertPatient, notifyPatient, flagPatient, nightscoutPatient, newcomerClinician, twoStepClinician,
  privacyOfficer: demo.accounts[4]!,
  patientIds: { ...demo.patientIds, child: child!.id, outsider: outsider!.id, grownUp: grownUp!.id, alert: alert!.id, notify: notify!.id, flag: flagged!.id },
  backendClient: demo.backendClient,
  careTeamId: demo.careTeamId,
};
writeFileSync(worldFile, JSON.stringify(world, null, 2));

// The server's whole output, also kept in a file: e2e/log-hygiene.spec.ts reads it for health data.
mkdirSync(path.dirname(serverLogFile), { recursive: true });
const log = createWriteStream(serverLogFile, { flags: "w" });
// server.mjs, as `npm start` runs it: it stamps each request's socket address (lib/access/origin.ts).
const server = spawn(process.execPath, ["server.mjs"], { env: { ...env, PORT: port }, stdio: ["ignore", "pipe", "pipe"] });
server.stdout.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  log.write(chunk);
});
server.stderr.on("data", (chunk: Buffer) => {
  process.stderr.write(chunk);
  log.write(chunk);
});
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  server.kill("SIGTERM");
  await mailbox.stop().catch(() => {});
  await cleanUp().catch(() => {});
  rmSync(worldFile, { force: true });
  process.exit(code);
};
server.on("exit", (code) => void stop(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
