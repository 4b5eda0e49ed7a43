import "@/test/next-async-storage";
import fc from "fast-check";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { registerAction } from "@/app/(auth)/register/actions";
import { createCareTeamAction, createStaffAction, assignPatientAction } from "@/app/(portal)/admin/actions";
import { registerBackendClientAction } from "@/app/(portal)/admin/clients/actions";
import { createEndpointAction } from "@/app/(portal)/admin/hospital-pushes/actions";
import { createChannelAction } from "@/app/(portal)/admin/notifications/actions";
import { answerPrivacyRequestAction } from "@/app/(portal)/admin/privacy-requests/actions";
import { acknowledgeAlertAction } from "@/app/(portal)/clinician/alerts/actions";
import { addReadingAction, correctReadingAction } from "@/app/(portal)/patients/[patientId]/actions";
import { createAccessTokenAction, registerDeviceAction } from "@/app/(portal)/patients/[patientId]/devices/actions";
import { renewGuardianAction } from "@/app/(portal)/patients/[patientId]/privacy/actions";
import { decideConsentAction, privacyRequestAction } from "@/app/(portal)/patients/[patientId]/sharing/actions";
import { registerPatientAction } from "@/app/(portal)/patients/new/actions";
import { markReviewedAction } from "@/app/(portal)/privacy-officer/actions";
import { getDb } from "@/db/client";
import { devices, glucoseReadings, patients, users } from "@/db/schema";
import type { FormState } from "@/lib/form-state";
import { inRequestScope } from "@/test/next-request";
import { buildSweepWorld, credentialHeaders, type ActorName, type SweepWorld } from "@/test/sweep-world";

/**
 * Issue 12, "Hostile input", for the server actions: every form that writes gets random and
 * hostile fields (each field of a valid form replaced, dropped, or joined by fields it does not
 * have), posted as the person allowed to use it. The zod schema behind each answers with a
 * sentence on the form, never "Something went wrong" (the action's 500), never an exception; and
 * a refused form writes nothing.
 */

const RUNS = Number(process.env.LANTERN_FUZZ_RUNS ?? 25);
let world: SweepWorld;

beforeAll(async () => {
  world = await buildSweepWorld();
}, 120_000);

const nastyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom("", " ", "\u0000", "\ud800", "1e309", "-1", "NaN", "9".repeat(300), "2026-02-30", "2026-12-03T25:61", "x".repeat(5000), "mmol/L", "mg/dL", "00000000-0000-4000-8000-000000000000"),
);

/** A valid form with some fields replaced by hostile text, some dropped, some added. */
function hostileForm(valid: () => Record<string, string>): fc.Arbitrary<Record<string, string>> {
  return fc
    .array(fc.record({ key: fc.oneof(fc.constantFrom(...Object.keys(valid())), fc.string({ maxLength: 10 })), value: fc.option(nastyText, { nil: undefined }) }), { minLength: 1, maxLength: 4 })
    .map((changes) => {
      const form = valid();
      for (const { key, value } of changes) {
        if (value === undefined) delete form[key];
        else form[key] = value;
      }
      return form;
    });
}

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

async function rowCounts() {
  const count = async (table: typeof glucoseReadings | typeof devices | typeof patients | typeof users) => (await getDb().select({ count: sql<number>`count(*)::int` }).from(table))[0]!.count;
  const [readings] = await getDb().select({ count: sql<number>`count(*)::int` }).from(glucoseReadings).where(eq(glucoseReadings.patientId, world.patients.P.id));
  return { readingsOfP: readings!.count, devices: await count(devices), patients: await count(patients), users: await count(users) };
}

async function expectSentence(actor: ActorName, action: Action, fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const before = await rowCounts();
  const { cookie } = await credentialHeaders(world, actor);
  let state: FormState;
  try {
    state = await inRequestScope(cookie ?? null, () => action({ status: "idle" }, form));
  } catch (error) {
    // A form that succeeded may move on to another page (redirect()); anything else is a failure.
    if (String((error as { digest?: unknown })?.digest ?? "").startsWith("NEXT_REDIRECT")) return;
    throw error;
  }
  const context = `${JSON.stringify(fields).slice(0, 300)} -> ${JSON.stringify(state).slice(0, 300)}`;
  expect(state.message ?? "", context).not.toMatch(/Something went wrong on our side/);
  expect(state.message?.length ?? 0, `${context}\nno sentence`).toBeGreaterThan(5);
  if (state.status === "error") expect(await rowCounts(), `${context}\nrefused but wrote`).toEqual(before);
}

const takenAt = () => new Date(Date.now() - 3_600_000 * (1 + Math.random() * 200)).toISOString().slice(0, 16);

describe("every form that writes, filled with hostile fields: a sentence, never a 500, nothing written when refused", () => {
  const forms: Array<{ name: string; actor: ActorName; action: () => Action; valid: () => Record<string, string>; runs?: number }> = [
    { name: "add a reading", actor: "patient", action: () => addReadingAction.bind(null, world.patients.P.id), valid: () => ({ value: "123", unit: "mg/dL", takenAt: takenAt(), mealContext: "before-meal", note: "fuzz" }) },
    {
      name: "correct a reading",
      actor: "patient",
      action: () => correctReadingAction.bind(null, world.patients.P.id, world.patients.P.readingId),
      valid: () => ({ value: "130", unit: "mg/dL", takenAt: takenAt(), mealContext: "", note: "", reason: "fuzz correction" }),
    },
    { name: "register a meter", actor: "guardian", action: () => registerDeviceAction.bind(null, world.patients.K.id), valid: () => ({ kind: "cgm", model: "Fuzz CGM", serialNumber: `SN-${crypto.randomUUID().slice(0, 8)}` }) },
    { name: "create an access token", actor: "patient", action: () => createAccessTokenAction.bind(null, world.patients.P.id), valid: () => ({ name: "Fuzz follower", access: "read" }) },
    { name: "decide consent", actor: "guardian", action: () => decideConsentAction.bind(null, world.patients.K.id), valid: () => ({ purpose: "research", decision: "deny" }) },
    { name: "ask for restriction or erasure", actor: "patient", action: () => privacyRequestAction.bind(null, world.patients.P.id), valid: () => ({ kind: "restriction", details: "fuzz" }) },
    { name: "acknowledge an alert", actor: "clinician", action: () => acknowledgeAlertAction.bind(null, world.patients.P.alertId), valid: () => ({ note: "seen" }) },
    { name: "renew a guardian link", actor: "clinician", action: () => renewGuardianAction, valid: () => ({ patientId: world.patients.K.id, guardianUserId: world.patients.K.guardianUserId, renewedUntil: "2099-01-01" }) },
    { name: "create a staff account", actor: "admin", action: () => createStaffAction, valid: () => ({ displayName: "Fuzz Person", email: `fuzz-${crypto.randomUUID().slice(0, 8)}@test.lantern.example`, role: "clinician" }) },
    { name: "create a care team", actor: "admin", action: () => createCareTeamAction, valid: () => ({ name: `Fuzz team ${crypto.randomUUID().slice(0, 6)}` }) },
    { name: "assign a patient", actor: "admin", action: () => assignPatientAction, valid: () => ({ careTeamId: world.careTeamId, patientId: world.patients.Q.id }) },
    { name: "register a hospital system", actor: "admin", action: () => registerBackendClientAction, valid: () => ({ name: "Fuzz EHR", jwksUrl: "https://ehr.example/jwks.json", scopes: "system/Patient.rs" }) },
    { name: "add a hospital endpoint", actor: "admin", action: () => createEndpointAction, valid: () => ({ name: "Fuzz FHIR", baseUrl: "https://fhir.example/r4", bearerToken: "" }) },
    { name: "add an alert channel", actor: "admin", action: () => createChannelAction, valid: () => ({ kind: "webhook", target: "https://hooks.example/lantern", name: "Fuzz hook" }) },
    { name: "answer a privacy request", actor: "admin", action: () => answerPrivacyRequestAction.bind(null, "00000000-0000-4000-8000-000000000000"), valid: () => ({ status: "refused", response: "fuzz", careRecordsExemption: "no" }) },
    { name: "mark an audit event reviewed", actor: "privacy_officer", action: () => markReviewedAction, valid: () => ({ auditSeq: "1" }) },
    {
      name: "register a patient",
      actor: "clinician",
      action: () => registerPatientAction,
      valid: () => ({ givenName: "Fuzz", familyName: "Patient", birthDate: "2001-02-03", timezone: "Europe/London", preferredUnit: "mg/dL", medicalRecordNumber: "", careTeamId: world.careTeamId }),
    },
    // Registration answers the same whether or not the email exists, and hashes a password: fewer runs.
    { name: "register an account", actor: "anonymous", action: () => registerAction, valid: () => ({ displayName: "Fuzz", email: `fuzz-${crypto.randomUUID().slice(0, 8)}@test.lantern.example`, password: "a long enough passphrase 42" }), runs: 8 },
  ];

  for (const form of forms) {
    it(form.name, async () => {
      await fc.assert(fc.asyncProperty(hostileForm(form.valid), (fields) => expectSentence(form.actor, form.action(), fields)), { numRuns: form.runs ?? RUNS });
    }, 60_000);
  }
});
