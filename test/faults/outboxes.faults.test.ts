/**
 * Two server processes behind one database while a hospital's FHIR server and a webhook receiver
 * are down (issue 12, "Faults"): meters upload through both servers in turn, readings with lows
 * open alerts, and the push and notification outboxes of both processes deliver once the
 * receivers are back: everything, once, in order per patient, and no alert twice.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { installDatabaseHandle, openPostgres, rowsOf } from "@/db/client";
import { hospitalEndpoints, notificationChannels } from "@/db/schema";
import { LANTERN_OBSERVATION_SYSTEM } from "@/lib/fhir/push/outbox";
import { insertOrganization, insertPatient, pairedMeter } from "@/test/factories";
import { startWebhookReceiver } from "@/test/webhook-receiver";
import { freePort, freshDatabase, missingPrerequisite, runMeter, startLanternServer, waitUntil, type LanternServer } from "./support";
import { sealFor } from "@/lib/security/sealed-columns";

const skipReason = missingPrerequisite();
if (skipReason) console.warn(`Fault tests skipped: ${skipReason}.`);

const cleanUps: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanUp of cleanUps.reverse()) await cleanUp();
});

/** A hospital FHIR server on loopback: answers 500 while `failing`, else records each transaction Bundle. */
async function startHospital() {
  const bundles: Array<{ entry: Array<{ resource: { resourceType: string; identifier?: Array<{ system: string; value: string }>; effectiveDateTime?: string } }> }> = [];
  let failing = true;
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      if (failing) {
        response.writeHead(500, { "content-type": "application/fhir+json" }).end(JSON.stringify({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "exception" }] }));
        return;
      }
      const bundle = JSON.parse(body) as (typeof bundles)[number];
      bundles.push(bundle);
      const answer = { resourceType: "Bundle", type: "transaction-response", entry: bundle.entry.map(() => ({ response: { status: "200 OK" } })) };
      response.writeHead(200, { "content-type": "application/fhir+json" }).end(JSON.stringify(answer));
    });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
  return {
    bundles,
    url: `http://127.0.0.1:${port}/fhir`,
    recover: () => (failing = false),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const PATIENTS = 3;
const BATCHES = 10;
const PER_BATCH = 24;
const CYCLE = 24; // readings: two hours, the first half hour of each at 45 mg/dL: one urgent low per cycle.

describe.skipIf(skipReason)("two servers, a hospital and a webhook down for a while", () => {
  it("deliver every push and notification once, in order per patient, after they return, and open each alert once", async () => {
    const database = await freshDatabase("outboxes");
    cleanUps.push(database.drop);
    const handle = openPostgres(database.url);
    await handle.migrate();
    installDatabaseHandle(handle);
    cleanUps.push(() => handle.close());

    const hospital = await startHospital();
    cleanUps.push(hospital.stop);
    const webhook = await startWebhookReceiver();
    cleanUps.push(webhook.stop);
    // Down: the port refuses connections until the receiver starts again.
    await webhook.stop();

    const organization = await insertOrganization();
    await handle.db.insert(hospitalEndpoints).values({ organizationId: organization.id, name: "General Hospital", baseUrl: hospital.url });
    await handle.db.insert(notificationChannels).values({ organizationId: organization.id, kind: "webhook", name: "On-call", target: webhook.url, signingSecretSealed: sealFor("notificationChannelSigningSecret", "whsec_faults_test") });
    const meters = [];
    for (let i = 0; i < PATIENTS; i++) {
      const patient = await insertPatient(organization.id);
      meters.push({ patientId: patient.id, ...(await pairedMeter(patient.id)) });
    }

    const dataDir = mkdtempSync(path.join(os.tmpdir(), "lantern-faults-data-"));
    cleanUps.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const authSecret = randomBytes(32).toString("base64url");
    // Nobody acknowledges these alerts: no escalation within the test, so each alert is one message.
    const env = { LANTERN_ESCALATION_MINUTES: "1440", LANTERN_DATA_DIR: dataDir };
    const servers: LanternServer[] = [];
    for (let i = 0; i < 2; i++) {
      const server = await startLanternServer({ databaseUrl: database.url, port: await freePort(), authSecret, env });
      servers.push(server);
      cleanUps.push(() => server.kill("SIGTERM"));
    }

    // The last 20 hours (recent enough to page someone), ending now.
    const readings = BATCHES * PER_BATCH;
    const start = new Date(Date.now() - readings * 5 * 60_000);
    const uploads = Promise.all(
      meters.map((meter) =>
        runMeter({ token: meter.token, baseUrls: () => servers.map((server) => server.baseUrl), batches: BATCHES, perBatch: PER_BATCH, start, values: (index) => (index % CYCLE < 6 ? 45 : 120) }),
      ),
    );
    const count = async (query: ReturnType<typeof sql>) => rowsOf<{ n: number }>(await handle.db.execute(query))[0]!.n;
    // Both outboxes have failed at least twice before the receivers come back (while meters still upload).
    await waitUntil("pushes to fail twice", async () => (await count(sql`select count(*)::int as n from push_outbox where attempts >= 2`)) > 0, 60_000);
    await waitUntil("notifications to fail twice", async () => (await count(sql`select count(*)::int as n from notification_outbox where attempts >= 2`)) > 0, 60_000);
    hospital.recover();
    await webhook.start();
    const runs = await uploads;
    expect(runs.every((run) => run.acknowledged.length === readings)).toBe(true);

    try {
      await waitUntil("both outboxes to drain", async () => (await count(sql`select ((select count(*) from push_outbox where status <> 'delivered') + (select count(*) from notification_outbox where status <> 'delivered'))::int as n`)) === 0, 150_000, 500);
    } catch (error) {
      const left = await handle.db.execute(sql`select 'push' as outbox, status::text, attempts, last_error, next_attempt_at from push_outbox where status <> 'delivered'
        union all select 'notification', status::text, attempts, last_error, next_attempt_at from notification_outbox where status <> 'delivered'`);
      console.log(JSON.stringify(rowsOf(left).slice(0, 20)), servers.flatMap((server) => server.lines.filter((line) => line.includes('"unexpected')).slice(0, 5)));
      throw error;
    }

    // Alerts: one per low, none twice although both servers evaluated uploads of the same patients.
    const alertRows = rowsOf<{ patient_id: string; kind: string; started_at: string; n: number }>(
      await handle.db.execute(sql`select patient_id, kind, started_at, count(*)::int as n from alerts group by patient_id, kind, started_at`),
    );
    expect(alertRows.filter((row) => row.n > 1)).toEqual([]);
    const lowsPerPatient = Math.ceil(readings / CYCLE);
    for (const meter of meters) expect(alertRows.filter((row) => row.patient_id === meter.patientId).length).toBeGreaterThanOrEqual(lowsPerPatient);

    // Notifications: every outbox entry reached the webhook once, and per patient in outbox order.
    const outbox = rowsOf<{ id: string; patient_id: string }>(
      await handle.db.execute(sql`select o.id::text as id, a.patient_id from notification_outbox o join alerts a on a.id = o.alert_id order by o.id`),
    );
    expect(outbox.length).toBeGreaterThanOrEqual(PATIENTS * lowsPerPatient);
    const deliveries = webhook.messages.map((message) => message.headers.delivery);
    expect(new Set(deliveries).size).toBe(deliveries.length);
    expect([...deliveries].sort()).toEqual(outbox.map((row) => row.id).sort());
    for (const meter of meters) {
      const expected = outbox.filter((row) => row.patient_id === meter.patientId).map((row) => row.id);
      const received = webhook.messages.filter((message) => (message.body as { patient: { reference: string } }).patient.reference === `Patient/${meter.patientId}`).map((message) => message.headers.delivery);
      expect(received).toEqual(expected);
    }

    // Pushes: every stored reading reached the hospital once, each patient's in time order.
    const stored = rowsOf<{ id: string; patient_id: string }>(await handle.db.execute(sql`select id::text as id, patient_id from glucose_readings`));
    const pushed = hospital.bundles.flatMap((bundle) => bundle.entry.map((entry) => entry.resource)).filter((resource) => resource.resourceType === "Observation");
    const pushedIds = pushed.map((resource) => resource.identifier!.find((identifier) => identifier.system === LANTERN_OBSERVATION_SYSTEM)!.value);
    expect(new Set(pushedIds).size).toBe(pushedIds.length);
    expect([...pushedIds].sort()).toEqual(stored.map((row) => row.id).sort());
    const patientOf = new Map(stored.map((row) => [row.id, row.patient_id]));
    for (const meter of meters) {
      const times = pushed.filter((_, i) => patientOf.get(pushedIds[i]!) === meter.patientId).map((resource) => resource.effectiveDateTime!);
      expect(times).toHaveLength(readings);
      expect(times).toEqual([...times].sort((a, b) => Date.parse(a) - Date.parse(b)));
    }
  });
});
