import { describe, expect, it } from "vitest";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { eventStreamResponse } from "@/lib/http/event-stream";
import { escalateOverdueAlerts } from "./escalation";
import type { AlertItem } from "./inbox";
import { subscribeToAlerts, type AnnouncementReason } from "./live";
import { ingestForTest, insertCareTeam, insertOrganization, insertPatient, insertPatientWithAccount, insertUser } from "@/test/factories";

/**
 * Issue 9, "Live": every open inbox hears of a new alert of its patients, and only of those,
 * through LISTEN/NOTIFY (PostgreSQL across processes, PGlite in its one process).
 */
const MINUTE = 60_000;

function urgentLow(): ReadingCandidate[] {
  const end = Date.now();
  return [110, 52, 50, 48, 47, 49].map((value, i, all) => {
    const at = end - (all.length - 1 - i) * 5 * MINUTE;
    return { position: i, value, unit: "mg/dL", censored: null, effectiveAt: new Date(at), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `cgm:${at}` };
  });
}

describe("subscribeToAlerts", () => {
  it("tells each clinician of their own care teams' new alerts only, and nothing after unsubscribing", async () => {
    const organizationId = (await insertOrganization()).id;
    const [mine, theirs] = [await insertUser(organizationId, "clinician"), await insertUser(organizationId, "clinician")];
    const [myPatient, theirPatient] = [(await insertPatient(organizationId)).id, (await insertPatient(organizationId)).id];
    await insertCareTeam(organizationId, { clinicianUserIds: [mine.userId], patientIds: [myPatient] });
    await insertCareTeam(organizationId, { clinicianUserIds: [theirs.userId], patientIds: [theirPatient] });
    const heardByMe: AlertItem[] = [];
    const heardByThem: AlertItem[] = [];
    const stopMine = await subscribeToAlerts(mine, (alert) => heardByMe.push(alert));
    const stopTheirs = await subscribeToAlerts(theirs, (alert) => heardByThem.push(alert));

    await ingestForTest(theirPatient, urgentLow());
    await ingestForTest(myPatient, urgentLow());
    await expect.poll(() => heardByMe.length).toBe(2);
    await expect.poll(() => heardByThem.length).toBe(2);
    expect(heardByMe.map((alert) => [alert.patient.id, alert.kind]).sort()).toEqual([
      [myPatient, "hypo-level-1"],
      [myPatient, "hypo-level-2"],
    ]);
    expect(heardByThem.every((alert) => alert.patient.id === theirPatient)).toBe(true);

    stopMine();
    const another = (await insertPatient(organizationId)).id;
    await insertCareTeam(organizationId, { clinicianUserIds: [mine.userId, theirs.userId], patientIds: [another] });
    await ingestForTest(another, urgentLow());
    await expect.poll(() => heardByThem.length).toBe(4);
    expect(heardByMe).toHaveLength(2);
    stopTheirs();
  });

  it("tells a patient of their own alerts, and is refused to an admin (who does not read glucose)", async () => {
    const organizationId = (await insertOrganization()).id;
    const admin = await insertUser(organizationId, "admin");
    await expect(subscribeToAlerts(admin, () => {})).rejects.toMatchObject({ code: "not_found" });
    const { actor: patient, patientId } = await insertPatientWithAccount(organizationId);
    const heard: AlertItem[] = [];
    const stop = await subscribeToAlerts(patient, (alert) => heard.push(alert));
    await ingestForTest(patientId, urgentLow());
    await expect.poll(() => heard.length).toBe(2);
    stop();
  });
});

describe("escalations on the live channel", () => {
  it("tells the open inboxes of the care team when an urgent alert nobody acknowledged is escalated, once", async () => {
    const organizationId = (await insertOrganization()).id;
    const [clinician, stranger] = [await insertUser(organizationId, "clinician"), await insertUser(organizationId, "clinician")];
    const patientId = (await insertPatient(organizationId)).id;
    await insertCareTeam(organizationId, { clinicianUserIds: [clinician.userId], patientIds: [patientId] });
    await insertCareTeam(organizationId, { clinicianUserIds: [stranger.userId] });
    const heard: [AnnouncementReason, string, string][] = [];
    const heardByStranger: AlertItem[] = [];
    const stop = await subscribeToAlerts(clinician, (alert, reason) => heard.push([reason, alert.patient.id, alert.kind]));
    const stopStranger = await subscribeToAlerts(stranger, (alert) => heardByStranger.push(alert));
    await ingestForTest(patientId, urgentLow());
    await expect.poll(() => heard.length).toBe(2);
    expect(heard.every(([reason]) => reason === "new")).toBe(true);

    const overdue = new Date(Date.now() + 16 * MINUTE);
    expect(await escalateOverdueAlerts(overdue)).toBeGreaterThanOrEqual(1);
    await escalateOverdueAlerts(overdue);
    await expect.poll(() => heard.length).toBe(3);
    expect(heard[2]).toEqual(["escalation", patientId, "hypo-level-2"]);
    // Nothing more arrives: one escalation per alert.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toHaveLength(3);
    expect(heardByStranger.filter((alert) => alert.patient.id === patientId)).toEqual([]);
    stop();
    stopStranger();
  });
});

describe("eventStreamResponse", () => {
  it("frames events as server-sent events and unsubscribes once when the client goes away", async () => {
    const client = new AbortController();
    let unsubscribed = 0;
    const response = await eventStreamResponse(client.signal, async (sink) => {
      queueMicrotask(() => sink.send("alert", { id: 7 }));
      return () => unsubscribed++;
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("event: alert")) text += (await reader.read()).value;
    expect(text).toContain("retry: 2000\n: connected\n\n");
    expect(text).toContain('event: alert\ndata: {"id":7}\n\n');
    client.abort();
    client.abort();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    expect(unsubscribed).toBe(1);
  });
});
