import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { accountTokens, backendAccessTokens, backendClients, bulkExportFiles, bulkExportJobs, clientAssertionIds, devices, userSessions } from "@/db/schema";
import { insertOrganization, insertPatient, insertUser, uniqueSuffix } from "@/test/factories";
import { purgeExpired } from "./retention";

// Long past, so rows other test files write at the real time are never expired on this clock (PostgreSQL runs share a database).
const NOW = new Date("2020-06-01T12:00:00Z");
const hoursFromNow = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);

describe("the retention job, on a fake clock", () => {
  const ids = { jobs: [] as string[], sessions: [] as string[], links: [] as string[], jtis: [] as string[], tokens: [] as string[], devices: [] as string[] };
  let clientId: string;

  beforeAll(async () => {
    const db = getDb();
    const organization = await insertOrganization();
    const user = await insertUser(organization.id, "patient");
    const patient = await insertPatient(organization.id);
    const [client] = await db.insert(backendClients).values({ organizationId: organization.id, name: "EHR", jwks: { keys: [] }, allowedScopes: [] }).returning();
    clientId = client!.id;
    // Bulk exports: finished 25 h ago (expired), finished 23 h ago (kept), began 30 h ago and never finished (expired), begun now (kept).
    const jobs = await db
      .insert(bulkExportJobs)
      .values([
        { clientId, organizationId: organization.id, requestUrl: "x", resourceTypes: ["Patient"], status: "completed", transactionTime: hoursFromNow(-26), completedAt: hoursFromNow(-25) },
        { clientId, organizationId: organization.id, requestUrl: "x", resourceTypes: ["Patient"], status: "completed", transactionTime: hoursFromNow(-24), completedAt: hoursFromNow(-23) },
        { clientId, organizationId: organization.id, requestUrl: "x", resourceTypes: ["Patient"], status: "in-progress", transactionTime: hoursFromNow(-30) },
        { clientId, organizationId: organization.id, requestUrl: "x", resourceTypes: ["Patient"], status: "in-progress", transactionTime: NOW },
      ])
      .returning({ id: bulkExportJobs.id });
    ids.jobs = jobs.map((job) => job.id);
    await db.insert(bulkExportFiles).values(ids.jobs.map((jobId) => ({ jobId, resourceType: "Patient", sequence: 1, resourceCount: 1, ndjson: "{}" })));
    // Sessions: past their lifetime, idle longer than any role's limit (30 min by default), live.
    ids.sessions = [`expired-${uniqueSuffix()}`, `idle-${uniqueSuffix()}`, `live-${uniqueSuffix()}`];
    await db.insert(userSessions).values([
      { id: ids.sessions[0]!, userId: user.userId, startedAt: hoursFromNow(-13), lastSeenAt: hoursFromNow(-0.1), expiresAt: hoursFromNow(-1) },
      { id: ids.sessions[1]!, userId: user.userId, startedAt: hoursFromNow(-2), lastSeenAt: hoursFromNow(-1), expiresAt: hoursFromNow(10) },
      { id: ids.sessions[2]!, userId: user.userId, startedAt: hoursFromNow(-2), lastSeenAt: hoursFromNow(-0.1), expiresAt: hoursFromNow(10) },
    ]);
    // Reset and email-confirmation links: used, expired, still usable.
    const links = await db
      .insert(accountTokens)
      .values([
        { userId: user.userId, purpose: "password-reset", tokenHash: `used-${uniqueSuffix()}`, createdAt: hoursFromNow(-0.5), expiresAt: hoursFromNow(0.5), usedAt: hoursFromNow(-0.4) },
        { userId: user.userId, purpose: "email-verification", tokenHash: `old-${uniqueSuffix()}`, createdAt: hoursFromNow(-48), expiresAt: hoursFromNow(-0.1) },
        { userId: user.userId, purpose: "password-reset", tokenHash: `new-${uniqueSuffix()}`, createdAt: hoursFromNow(-0.5), expiresAt: hoursFromNow(0.5) },
      ])
      .returning({ id: accountTokens.id });
    ids.links = links.map((link) => link.id);
    ids.jtis = [`old-${uniqueSuffix()}`, `new-${uniqueSuffix()}`];
    await db.insert(clientAssertionIds).values([
      { clientId, jti: ids.jtis[0]!, expiresAt: hoursFromNow(-0.1) },
      { clientId, jti: ids.jtis[1]!, expiresAt: hoursFromNow(0.1) },
    ]);
    ids.tokens = [`old-${uniqueSuffix()}`, `new-${uniqueSuffix()}`];
    await db.insert(backendAccessTokens).values([
      { tokenHash: ids.tokens[0]!, clientId, scopes: [], expiresAt: hoursFromNow(-0.1) },
      { tokenHash: ids.tokens[1]!, clientId, scopes: [], expiresAt: hoursFromNow(0.1) },
    ]);
    const meters = await db
      .insert(devices)
      .values([
        { patientId: patient.id, kind: "cgm", model: "M", serialNumber: `A-${uniqueSuffix()}`, pairingCodeHash: `a${uniqueSuffix()}`, pairingCodeExpiresAt: hoursFromNow(-0.2) },
        { patientId: patient.id, kind: "cgm", model: "M", serialNumber: `B-${uniqueSuffix()}`, pairingCodeHash: `b${uniqueSuffix()}`, pairingCodeExpiresAt: hoursFromNow(0.2) },
      ])
      .returning({ id: devices.id });
    ids.devices = meters.map((meter) => meter.id);
  });

  it("purges exactly what has expired at the clock's time, and a second sweep finds nothing more", async () => {
    const db = getDb();
    expect(await purgeExpired(NOW)).toEqual({ bulkExports: 2, sessions: 2, accountLinks: 2, assertionIds: 1, accessTokens: 1, pairingCodes: 1 });
    expect((await db.select({ id: bulkExportJobs.id }).from(bulkExportJobs).where(inArray(bulkExportJobs.id, ids.jobs))).map((j) => j.id).sort()).toEqual([ids.jobs[1], ids.jobs[3]].sort());
    expect((await db.select({ jobId: bulkExportFiles.jobId }).from(bulkExportFiles).where(inArray(bulkExportFiles.jobId, ids.jobs))).map((f) => f.jobId).sort()).toEqual([ids.jobs[1], ids.jobs[3]].sort());
    expect((await db.select().from(userSessions).where(inArray(userSessions.id, ids.sessions))).map((s) => s.id)).toEqual([ids.sessions[2]]);
    expect((await db.select().from(accountTokens).where(inArray(accountTokens.id, ids.links))).map((l) => l.id)).toEqual([ids.links[2]]);
    expect((await db.select().from(clientAssertionIds).where(eq(clientAssertionIds.clientId, clientId))).map((a) => a.jti)).toEqual([ids.jtis[1]]);
    expect((await db.select().from(backendAccessTokens).where(eq(backendAccessTokens.clientId, clientId))).map((t) => t.tokenHash)).toEqual([ids.tokens[1]]);
    const meters = await db.select().from(devices).where(inArray(devices.id, ids.devices));
    expect(meters.find((m) => m.id === ids.devices[0])).toMatchObject({ pairingCodeHash: null, pairingCodeExpiresAt: null });
    expect(meters.find((m) => m.id === ids.devices[1])!.pairingCodeHash).not.toBeNull();

    expect(await purgeExpired(NOW)).toEqual({ bulkExports: 0, sessions: 0, accountLinks: 0, assertionIds: 0, accessTokens: 0, pairingCodes: 0 });
  });

  it("a day later the rest has expired too, and two processes sweeping at once purge each row once", async () => {
    const sweeps = await Promise.all([purgeExpired(hoursFromNow(24.5)), purgeExpired(hoursFromNow(24.5))]);
    const total = (key: keyof NonNullable<(typeof sweeps)[number]>) => sweeps.reduce((sum, counts) => sum + (counts?.[key] ?? 0), 0);
    expect({ bulkExports: total("bulkExports"), sessions: total("sessions"), accountLinks: total("accountLinks"), assertionIds: total("assertionIds"), accessTokens: total("accessTokens"), pairingCodes: total("pairingCodes") })
      .toEqual({ bulkExports: 2, sessions: 1, accountLinks: 1, assertionIds: 1, accessTokens: 1, pairingCodes: 1 });
  });
});
