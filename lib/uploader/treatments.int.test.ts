import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteTreatmentRoute } from "@/app/api/v1/treatments/[id]/route";
import { GET as getTreatments, POST as postTreatments, PUT as putTreatments } from "@/app/api/v1/treatments/route";
import { getDb } from "@/db/client";
import { treatments, uploadProblems } from "@/db/schema";
import { isAppError } from "@/lib/errors";
import { insertCareTeam, insertOrganization, insertUser } from "@/test/factories";
import { json, nightscoutRequest as request, patientWithUploader, routeParams, type UploaderWorld } from "@/test/nightscout";
import { xdripIdOfUuid } from "./identifiers";
import { listPatientTreatments } from "./treatments-store";

const minute = 60_000;
// One clock for the file: times written twice must be the same time.
const now = Date.now();
const at = (minutesAgo: number) => new Date(now - minutesAgo * minute).toISOString();

interface Treatment {
  _id: string;
  eventType?: string;
  created_at: string;
  carbs?: number;
  insulin?: number;
  notes?: string;
}

describe("Nightscout API v1: treatments", () => {
  let world: UploaderWorld;
  const secret = () => ({ apiSecret: world.apiSecret });
  const post = async (body: unknown) => {
    const response = await postTreatments(request("/api/v1/treatments", { credential: secret(), body }));
    expect(response.status).toBe(200);
    return json<(Treatment & { stored?: false; message?: string })[]>(response);
  };

  beforeAll(async () => {
    world = await patientWithUploader({ timezone: "Europe/Berlin" });
  });

  it("stores carbs and insulin with their event type and time, and answers one element per treatment in order (as Loop expects)", async () => {
    const answer = await post([
      { eventType: "Meal Bolus", created_at: at(60), carbs: 45, insulin: "4.5", insulinType: "Fiasp", enteredBy: "loop://iPhone", notes: "pasta" },
      { eventType: "Carb Correction", created_at: at(30), carbs: "15", enteredBy: "loop://iPhone" },
    ]);
    expect(answer).toEqual([
      expect.objectContaining({ eventType: "Meal Bolus", carbs: 45, insulin: 4.5, insulinType: "Fiasp", notes: "pasta", _id: expect.any(String) }),
      expect.objectContaining({ eventType: "Carb Correction", carbs: 15 }),
    ]);
    expect(answer[0]!.created_at).toBe(at(60));
  });

  it("stores a resend once (Nightscout's identifier from device, time and event type), and answers it again", async () => {
    const treatment = { eventType: "Correction Bolus", created_at: at(20), insulin: 1.2, device: "openaps://Pixel 7" };
    const [first] = await post([treatment]);
    const [again] = await post([treatment]);
    expect(again!._id).toBe(first!._id);
    const rows = await getDb().select().from(treatments).where(eq(treatments.identifier, first!._id));
    expect(rows).toHaveLength(1);
  });

  it("replaces a treatment sent again with its identifier (PUT, as xDrip+ updates), and deletes it by _id", async () => {
    const uuid = "2d4c6e8f-1a3b-4c5d-8e7f-9a0b1c2d3e4f";
    const id = xdripIdOfUuid(uuid);
    const upsert = async (carbs: number) => {
      const response = await putTreatments(request("/api/v1/treatments", { method: "PUT", credential: secret(), body: { _id: id, uuid, eventType: "Snack Bolus", created_at: at(10), carbs, enteredBy: "xdrip" } }));
      expect(response.status).toBe(200);
      return json<Treatment>(response);
    };
    expect(await upsert(20)).toMatchObject({ _id: id, carbs: 20 });
    expect(await upsert(25)).toMatchObject({ _id: id, carbs: 25 });
    // xDrip+ finds the treatment's _id by its uuid, then deletes it.
    const found = await json<Treatment[]>(await getTreatments(request(`/api/v1/treatments.json?find[uuid]=${uuid}`, { credential: secret() })));
    expect(found).toEqual([expect.objectContaining({ _id: id, carbs: 25 })]);
    const deleted = await deleteTreatmentRoute(request(`/api/v1/treatments/${id}`, { method: "DELETE", credential: secret() }), routeParams({ id }));
    expect(await json(deleted)).toEqual({ acknowledged: true, deletedCount: 1 });
    expect(await json(await getTreatments(request(`/api/v1/treatments.json?find[uuid]=${uuid}`, { credential: secret() })))).toEqual([]);
  });

  it("answers 200 for treatments it cannot store, says why per treatment, and records the problems", async () => {
    const answer = await post([
      { eventType: "Meal Bolus", carbs: 30, enteredBy: "Spike" },
      { eventType: "Meal Bolus", created_at: at(5), carbs: 5000, enteredBy: "Spike" },
      { eventType: "Meal Bolus", created_at: new Date(now + 24 * 60 * minute).toISOString(), carbs: 30, enteredBy: "Spike" },
      "not a treatment",
    ]);
    expect(answer.map((element) => element.stored)).toEqual([false, false, false, false]);
    expect(answer[1]!.message).toMatch(/carbs: must be at most 1,000 g/);
    const problems = await getDb().select({ app: uploadProblems.app, reason: uploadProblems.reason }).from(uploadProblems).where(eq(uploadProblems.patientId, world.patientId));
    expect(problems).toEqual(
      expect.arrayContaining([
        { app: "Spike", reason: "Treatments without a time (date or created_at)." },
        { app: "Spike", reason: "Treatments Lantern cannot read (carbs: must be at most 1,000 g)." },
        { app: "Spike", reason: "Treatments dated in the future: check the phone's date, time and time zone." },
        { app: "An app that did not name itself", reason: "Treatments that are not JSON objects." },
      ]),
    );
  });

  it("searches by find[created_at][$gte] and find[eventType], newest first, and 400s on a filter it cannot apply", async () => {
    const found = await json<Treatment[]>(await getTreatments(request(`/api/v1/treatments?find[created_at][$gte]=${encodeURIComponent(at(45))}&find[eventType]=Carb%20Correction`, { credential: secret() })));
    expect(found.map((treatment) => treatment.eventType)).toEqual(["Carb Correction"]);
    const all = await json<Treatment[]>(await getTreatments(request("/api/v1/treatments?count=3", { credential: secret() })));
    expect(all.map((treatment) => treatment.created_at)).toEqual([...all.map((treatment) => treatment.created_at)].sort().reverse());
    const refused = await getTreatments(request("/api/v1/treatments?find[notes]=pasta", { credential: secret() }));
    expect(refused.status).toBe(400);
  });

  it("lists the patient's treatments, newest first, for people who may see the patient, and for nobody else", async () => {
    const listed = await listPatientTreatments(world.owner, world.patientId);
    expect(listed.map((treatment) => treatment.eventType)).toEqual(["Correction Bolus", "Carb Correction", "Meal Bolus"]);
    expect(listed[2]).toMatchObject({ carbsGrams: 45, insulinUnits: 4.5, insulinKind: "Fiasp", utcOffsetMinutes: expect.any(Number) });
    const period = await listPatientTreatments(world.owner, world.patientId, { since: new Date(now - 45 * minute), until: new Date(now - 25 * minute) });
    expect(period.map((treatment) => treatment.eventType)).toEqual(["Carb Correction"]);
    const organization = await insertOrganization();
    const stranger = await insertUser(organization.id, "clinician");
    await insertCareTeam(organization.id, { clinicianUserIds: [stranger.userId] });
    expect(isAppError(await listPatientTreatments(stranger, world.patientId).catch((error: unknown) => error), "not_found")).toBe(true);
    const admin = await insertUser(organization.id, "admin");
    expect(isAppError(await listPatientTreatments(admin, world.patientId).catch((error: unknown) => error), "not_found")).toBe(true);
  });
});
