/**
 * A Bulk Data export whose server dies (issue 12, "Faults"): the job is not left "in progress" for
 * ever; once its lease runs out, another server process takes it over and finishes it, with every
 * resource exactly once (the dead run's partial files are dropped).
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { installDatabaseHandle, openPostgres, rowsOf } from "@/db/client";
import { insertBackendClientToken, insertOrganization, insertPatient } from "@/test/factories";
import { freePort, freshDatabase, missingPrerequisite, startLanternServer, waitUntil } from "./support";

const skipReason = missingPrerequisite();
if (skipReason) console.warn(`Fault tests skipped: ${skipReason}.`);

const cleanUps: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanUp of cleanUps.reverse()) await cleanUp();
});

const READINGS = 150_000;
const LEASE_SECONDS = 4;

describe.skipIf(skipReason)("a Bulk export whose server died", () => {
  it("is taken over by another server once its lease runs out, and completes with every resource once", async () => {
    const database = await freshDatabase("export");
    cleanUps.push(database.drop);
    const handle = openPostgres(database.url);
    await handle.migrate();
    installDatabaseHandle(handle);
    cleanUps.push(() => handle.close());

    const organization = await insertOrganization();
    const token = await insertBackendClientToken(organization.id, ["system/Patient.rs", "system/Observation.rs"]);
    const patientId = (await insertPatient(organization.id)).id;
    // Enough readings that the export is still running when its server is killed.
    await handle.db.execute(sql`insert into glucose_readings (patient_id, value_as_received, unit, value_mgdl, effective_at, utc_offset_minutes, specimen, source, origin)
      select ${patientId}, 100 + (i % 90), 'mg/dL', 100 + (i % 90), timestamptz '2025-01-01T00:00:00Z' + i * interval '1 minute', 0, 'interstitial', 'device', 'faults-test'
      from generate_series(1, ${READINGS}) i`);

    const authSecret = randomBytes(32).toString("base64url");
    const env = { LANTERN_BULK_EXPORT_LEASE_SECONDS: String(LEASE_SECONDS) };
    const first = await startLanternServer({ databaseUrl: database.url, port: await freePort(), authSecret, env });
    cleanUps.push(() => first.kill("SIGKILL"));
    const kickOff = await fetch(`${first.baseUrl}/fhir/Patient/$export?_type=Patient,Observation`, { headers: { authorization: `Bearer ${token}`, accept: "application/fhir+json", prefer: "respond-async" } });
    expect(kickOff.status).toBe(202);
    const jobId = kickOff.headers.get("content-location")!.split("/").at(-1)!;
    await first.kill("SIGKILL");

    const jobState = async () => rowsOf<{ status: string; files: number }>(await handle.db.execute(sql`select status::text, (select count(*)::int from bulk_export_files where job_id = ${jobId}) as files from bulk_export_jobs where id = ${jobId}`))[0]!;
    // The precondition of the test: the export was cut off, not finished.
    expect((await jobState()).status).toBe("in-progress");

    const second = await startLanternServer({ databaseUrl: database.url, port: await freePort(), authSecret, env });
    cleanUps.push(() => second.kill("SIGTERM"));
    await waitUntil("the export to be taken over and completed", async () => (await jobState()).status !== "in-progress", 120_000, 500);

    const status = await fetch(`${second.baseUrl}/fhir/bulk-status/${jobId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(status.status).toBe(200);
    const manifest = (await status.json()) as { output: Array<{ type: string; count: number; url: string }> };
    const counted = (type: string) => manifest.output.filter((file) => file.type === type).reduce((sum, file) => sum + file.count, 0);
    expect(counted("Patient")).toBe(1);
    expect(counted("Observation")).toBe(READINGS);
    // Every reading once: the files together hold each id a single time.
    const ids = new Set<string>();
    for (const file of manifest.output.filter((output) => output.type === "Observation")) {
      const ndjson = await (await fetch(file.url.replace(/^https?:\/\/[^/]+/, second.baseUrl), { headers: { authorization: `Bearer ${token}` } })).text();
      for (const line of ndjson.trim().split("\n")) ids.add((JSON.parse(line) as { id: string }).id);
    }
    expect(ids.size).toBe(READINGS);
  });
});
