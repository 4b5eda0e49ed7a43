import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as readFlagRoute } from "@/app/fhir/Flag/[id]/route";
import { GET as searchFlagsRoute } from "@/app/fhir/Flag/route";
import { getDb } from "@/db/client";
import { alerts, glucoseReadings } from "@/db/schema";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { allErrors } from "@/lib/fhir/testing/fhir-validator";
import { ingestForTest, insertBackendClientToken, insertCareTeam, insertOrganization, insertPatient, insertPatientWithAccount, insertUser } from "@/test/factories";
import { readFlag, searchFlags } from "./flags";
import { flagSearch } from "./flag-search";
import { parseSearch } from "./search/framework";

/**
 * Alerts as FHIR Flags through the route handlers on a real database: search by patient and
 * status, read, paging, scopes, and the visibility rule for hospital systems and session users.
 */

type Flag = { resourceType: string; id: string; status: string; code: { coding: { system: string; code: string }[] }; subject: { reference: string }; extension?: { url: string; valueReference: { reference: string } }[]; period: { start: string; end?: string } };
type Bundle = { resourceType: string; total?: number; link: { relation: string; url: string }[]; entry?: { resource: Flag }[]; issue?: { code: string; diagnostics: string }[] };

const base = "http://lantern.test/fhir";
const MINUTE = 60_000;
const get = (path: string, token: string) => new Request(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

/** 25 minutes below 54 mg/dL, then back in range, ending `endsMinutesAgo` before now. */
function lowTrace(endsMinutesAgo: number, values = [110, 52, 48, 45, 47, 50, 51, 110, 115, 120, 118]): ReadingCandidate[] {
  const end = Date.now() - endsMinutesAgo * MINUTE;
  return values.map((value, i) => {
    const at = end - (values.length - 1 - i) * 5 * MINUTE;
    return { position: i, value, unit: "mg/dL", censored: null, effectiveAt: new Date(at), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `cgm:${at}` };
  });
}

async function searchBundle(token: string, query: string) {
  const response = await searchFlagsRoute(get(`/Flag${query}`, token));
  return { status: response.status, bundle: (await response.json()) as Bundle };
}

const flagsOf = (bundle: Bundle) => (bundle.entry ?? []).map((entry) => entry.resource);

describe("Flag read and search", () => {
  let organizationId: string;
  let token: string;
  let patientId: string;
  let quietPatientId: string;
  let foreignAlertId: number;
  let alertIds: number[];

  beforeAll(async () => {
    organizationId = (await insertOrganization()).id;
    token = await insertBackendClientToken(organizationId, ["system/Flag.rs"]);
    patientId = (await insertPatient(organizationId, { birthDate: "1980-01-01" })).id;
    quietPatientId = (await insertPatient(organizationId, { birthDate: "1980-01-01" })).id;
    await ingestForTest(patientId, [...lowTrace(300), ...lowTrace(30)]);
    await ingestForTest(quietPatientId, lowTrace(60, [110, 115, 120, 118]));
    const rows = await getDb().select({ id: alerts.id }).from(alerts).where(eq(alerts.patientId, patientId)).orderBy(alerts.id);
    alertIds = rows.map((row) => row.id);
    // The earlier episode has been handled: resolved, so inactive.
    await getDb().update(alerts).set({ status: "resolved", resolvedAt: new Date() }).where(eq(alerts.id, alertIds[0]!));
    const foreignPatient = (await insertPatient((await insertOrganization()).id, { birthDate: "1980-01-01" })).id;
    await ingestForTest(foreignPatient, lowTrace(30));
    [{ id: foreignAlertId }] = (await getDb().select({ id: alerts.id }).from(alerts).where(eq(alerts.patientId, foreignPatient))) as [{ id: number }];
  });

  it("found two level 2 lows, one ended and resolved, one not handled yet", () => {
    expect(alertIds.length).toBeGreaterThanOrEqual(2);
  });

  it("searches by patient and status, every Flag valid R4 with its evidence reading", async () => {
    const { status, bundle } = await searchBundle(token, `?patient=${patientId}&status=active`);
    expect(status).toBe(200);
    const active = flagsOf(bundle);
    expect(active.map((flag) => flag.id)).not.toContain(String(alertIds[0]));
    expect(active.length).toBeGreaterThanOrEqual(1);
    expect(bundle.total).toBe(active.length);
    for (const flag of active) {
      expect(allErrors(flag as never)).toEqual([]);
      expect(flag.status).toBe("active");
      expect(flag.subject.reference).toBe(`Patient/${patientId}`);
      expect(flag.code.coding.map((c) => c.code)).toContain("302866003");
    }
    const evidence = active.find((flag) => flag.code.coding.some((c) => c.code === "hypo-level-2"))!.extension![0]!.valueReference.reference;
    const [worst] = await getDb().select({ value: glucoseReadings.valueAsReceived, patientId: glucoseReadings.patientId }).from(glucoseReadings).where(eq(glucoseReadings.id, Number(evidence.split("/")[1])));
    expect(worst).toEqual({ value: 45, patientId });

    const inactive = flagsOf((await searchBundle(token, `?patient=Patient/${patientId}&status=inactive`)).bundle);
    expect(inactive.map((flag) => [flag.id, flag.status, Boolean(flag.period.end)])).toEqual([[String(alertIds[0]), "inactive", true]]);
  });

  it("finds nothing for a patient without alerts, or of another organization", async () => {
    expect(flagsOf((await searchBundle(token, `?patient=${quietPatientId}`)).bundle)).toEqual([]);
    const all = flagsOf((await searchBundle(token, "")).bundle);
    expect(all.map((flag) => flag.id)).not.toContain(String(foreignAlertId));
    expect(new Set(all.map((flag) => flag.subject.reference))).toEqual(new Set([`Patient/${patientId}`]));
  });

  it("pages by keyset: _count=1 walks every Flag once, forwards and back", async () => {
    const seen: string[] = [];
    let query: string | null = `?patient=${patientId}&_count=1`;
    let last: Bundle | null = null;
    while (query) {
      const { bundle } = await searchBundle(token, query);
      seen.push(...flagsOf(bundle).map((flag) => flag.id));
      last = bundle;
      const next = bundle.link.find((link) => link.relation === "next")?.url;
      query = next ? next.slice(`${base}/Flag`.length) : null;
    }
    expect(seen).toEqual(alertIds.map(String));
    const previous = last!.link.find((link) => link.relation === "previous")!.url;
    expect(flagsOf((await searchBundle(token, previous.slice(`${base}/Flag`.length))).bundle).map((flag) => flag.id)).toEqual([String(alertIds.at(-2))]);
  });

  it("filters by _lastUpdated and _id", async () => {
    expect(flagsOf((await searchBundle(token, `?_lastUpdated=gt2099-01-01`)).bundle)).toEqual([]);
    expect(flagsOf((await searchBundle(token, `?_lastUpdated=lt2099-01-01&_id=${alertIds[0]}`)).bundle).map((flag) => flag.id)).toEqual([String(alertIds[0])]);
  });

  it("reads a Flag, and answers 404 with an OperationOutcome for another organization's or an unknown one", async () => {
    const read = await readFlagRoute(get(`/Flag/${alertIds[0]}`, token), { params: Promise.resolve({ id: String(alertIds[0]) }) });
    expect(read.status).toBe(200);
    expect(((await read.json()) as Flag).status).toBe("inactive");
    for (const id of [String(foreignAlertId), "999999999", "abc"]) {
      const response = await readFlagRoute(get(`/Flag/${id}`, token), { params: Promise.resolve({ id }) });
      expect(response.status).toBe(404);
      expect(((await response.json()) as Bundle).resourceType).toBe("OperationOutcome");
    }
  });

  it("refuses a token without a Flag scope (403), and a malformed date (400), as OperationOutcomes", async () => {
    const observationsOnly = await insertBackendClientToken(organizationId, ["system/Observation.rs"]);
    const refused = await searchBundle(observationsOnly, `?patient=${patientId}`);
    expect(refused.status).toBe(403);
    expect(refused.bundle.issue![0]!.diagnostics).toContain("system/Flag.s");
    const malformed = await searchBundle(token, "?_lastUpdated=yesterday");
    expect([malformed.status, malformed.bundle.resourceType]).toEqual([400, "OperationOutcome"]);
  });

  it("shows session users the Flags of the patients they may see, and nobody else's", async () => {
    const { actor: patientUser, patientId: ownPatientId } = await insertPatientWithAccount(organizationId);
    await ingestForTest(ownPatientId, lowTrace(30));
    const all = parseSearch(flagSearch, new URLSearchParams(), "lenient");
    if ("error" in all) throw new Error(all.error);
    const own = await searchFlags(patientUser, all);
    expect(own.rows.length).toBeGreaterThan(0);
    expect(new Set(own.rows.map((row) => row.patientId))).toEqual(new Set([ownPatientId]));
    await expect(readFlag(patientUser, String(alertIds[0]))).rejects.toMatchObject({ code: "not_found" });

    const clinician = await insertUser(organizationId, "clinician");
    expect((await searchFlags(clinician, all)).rows).toEqual([]);
    await insertCareTeam(organizationId, { clinicianUserIds: [clinician.userId], patientIds: [patientId] });
    expect((await searchFlags(clinician, all)).rows.map((row) => row.id)).toEqual(alertIds);
    expect((await readFlag(clinician, String(alertIds[0]))).id).toBe(alertIds[0]);
  });
});
