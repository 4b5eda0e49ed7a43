/**
 * Structured logs with request ids (issue 12, "Surface"), read from a production server's real
 * output: every line one JSON object; every request an id (the caller's when it is a safe short
 * token), answered as X-Request-Id and on the request's log line with route, status and duration;
 * no names, values, tokens or query strings in the log.
 */
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { installDatabaseHandle, openPostgres } from "@/db/client";
import { insertOrganization, insertPatient, pairedMeter } from "@/test/factories";
import { freePort, freshDatabase, missingPrerequisite, startLanternServer, waitUntil } from "./support";

const skipReason = missingPrerequisite();
if (skipReason) console.warn(`Fault tests skipped: ${skipReason}.`);

const cleanUps: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanUp of cleanUps.reverse()) await cleanUp();
});

interface LogEntry {
  level: string;
  time: string;
  msg: string;
  requestId?: string;
  route?: string;
  status?: number;
  duration?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.skipIf(skipReason)("the server's log", () => {
  it("is JSON lines carrying each request's id, route, status and duration, and nothing a request carried", async () => {
    const database = await freshDatabase("logs");
    cleanUps.push(database.drop);
    const handle = openPostgres(database.url);
    await handle.migrate();
    installDatabaseHandle(handle);
    cleanUps.push(() => handle.close());
    const organization = await insertOrganization();
    const givenName = `Quillon${randomBytes(3).toString("hex")}`;
    const patient = await insertPatient(organization.id, { givenName });
    const meter = await pairedMeter(patient.id);
    const server = await startLanternServer({ databaseUrl: database.url, port: await freePort(), authSecret: randomBytes(32).toString("base64url") });
    cleanUps.push(() => server.kill("SIGTERM"));

    const upload = (requestId?: string) =>
      fetch(`${server.baseUrl}/api/devices/readings?token=query-secret-7731`, {
        method: "POST",
        headers: { authorization: `Bearer ${meter.token}`, "content-type": "application/json", ...(requestId === undefined ? {} : { "x-request-id": requestId }) },
        body: JSON.stringify({ readings: [{ time: new Date(Date.now() - 60_000 * (1 + Math.random() * 100)).toISOString(), value: 217.3, unit: "mg/dL" }] }),
      });

    // A safe token of the caller's is kept; anything else is replaced by a fresh id.
    const kept = await upload("probe-123.abc_XYZ");
    expect(kept.status).toBe(200);
    expect(kept.headers.get("x-request-id")).toBe("probe-123.abc_XYZ");
    for (const unsafe of ["has spaces in it", "x".repeat(65), "quote\"brace{", ""]) {
      const replaced = await upload(unsafe);
      expect(replaced.status).toBe(200);
      expect(replaced.headers.get("x-request-id")).toMatch(UUID);
    }
    const generated = await upload();
    const generatedId = generated.headers.get("x-request-id")!;
    expect(generatedId).toMatch(UUID);
    // A page by a patient id: the route names the page, not the patient.
    const page = await fetch(`${server.baseUrl}/patients/${patient.id}`, { redirect: "manual", headers: { "x-request-id": "page-probe-1" } });
    await page.body?.cancel();
    const failed = await fetch(`${server.baseUrl}/api/devices/readings`, { method: "POST", headers: { authorization: "Bearer lnt_dev_unknown-token-value", "x-request-id": "unknown-token-probe" }, body: "{}" });
    expect(failed.status).toBe(401);
    // A follower app's access token in the path (Nightscout API v2), one without a digit too.
    const followerToken = await fetch(`${server.baseUrl}/api/v2/authorization/request/lnt_ns_unknown`, { headers: { "x-request-id": "path-token-probe" } });
    await followerToken.body?.cancel();

    await waitUntil("the request lines", () => server.lines.some((line) => line.includes('"path-token-probe"')), 10_000);
    const entries = server.lines.map((line) => {
      expect(() => JSON.parse(line), `not JSON: ${line}`).not.toThrow();
      return JSON.parse(line) as LogEntry;
    });
    for (const entry of entries) {
      expect(["debug", "info", "warn", "error"]).toContain(entry.level);
      expect(Number.isNaN(Date.parse(entry.time))).toBe(false);
      expect(typeof entry.msg).toBe("string");
    }
    const requestLine = (id: string) => entries.find((entry) => entry.requestId === id && entry.status !== undefined);
    expect(requestLine("probe-123.abc_XYZ")).toMatchObject({ level: "info", route: "/api/devices/readings", status: 200 });
    expect(requestLine(generatedId)).toMatchObject({ route: "/api/devices/readings", status: 200 });
    expect(requestLine(generatedId)!.duration).toBeGreaterThan(0);
    expect(requestLine("page-probe-1")).toMatchObject({ route: "/patients/:id" });
    expect(requestLine("unknown-token-probe")).toMatchObject({ route: "/api/devices/readings", status: 401 });
    expect(requestLine("path-token-probe")).toMatchObject({ route: "/api/v2/authorization/request/:id" });

    const log = server.lines.join("\n");
    for (const secret of [givenName, patient.id, meter.token, "query-secret-7731", "lnt_dev_unknown-token-value", "lnt_ns_unknown", "217.3"]) expect(log).not.toContain(secret);
  });
});
