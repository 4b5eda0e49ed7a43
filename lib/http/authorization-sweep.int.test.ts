import "@/test/next-async-storage";
import { readdirSync } from "node:fs";
import { desc, eq } from "drizzle-orm";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { actorNames, buildSweepWorld, credentialHeaders, patientNames, subjectOf, visiblePatients, type ActorName, type PatientFixture, type PatientName, type SweepWorld } from "@/test/sweep-world";
import { getDb } from "@/db/client";
import { auditEvents, nightscoutAccessTokens } from "@/db/schema";
import { sha256Hex } from "@/lib/security/tokens";
import { pairedMeter } from "@/test/factories";
import { inRequestScope } from "@/test/next-request";
import { expectedActions, expectedPages, expectedRoutes, type Outcome } from "./authorization-sweep.table";

vi.hoisted(() => {
  // Every uploader and device route as each actor, twice over: the per-credential limit is not under test here.
  process.env.LANTERN_API_REQUESTS_PER_MINUTE = "100000";
});

/**
 * Issue 12, "Authorization sweep": every route handler, FHIR interaction, page and server action
 * in app/ is called as every kind of actor (anonymous, each role, a paired meter, an uploader app,
 * a hospital system of the organization and one of another organization), and each answer is
 * compared with ONE table (authorization-sweep.table.ts). The files are found on disk, so a new
 * route, page or action without a row fails here. BOLA: every endpoint that names a patient (or a
 * reading, alert or device of one) is then tried with the ids of every patient the actor may not
 * see, children included: each answers 404 wherever the actor's own ids got through.
 *
 * Pages and actions run in a Next.js request scope with a real signed session cookie
 * (test/next-request.ts): the session check, the data layer and the database are the real ones.
 */

const APP = path.join(import.meta.dirname, "../../app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

function filesNamed(name: string): string[] {
  return (readdirSync(APP, { recursive: true }) as string[])
    .filter((file) => path.basename(file) === name)
    .map((file) => `app/${file.split(path.sep).join("/")}`)
    .sort();
}

// Vite's glob import gives the modules; the disk listing above is the source of truth for which exist.
const routeModules = import.meta.glob<Record<string, unknown>>(["/app/**/route.ts", "/app/.well-known/*/route.ts", "/app/fhir/.well-known/*/route.ts"]);
const pageModules = import.meta.glob<{ default: (props: unknown) => Promise<unknown> }>(["/app/**/page.tsx"]);
const actionModules = import.meta.glob<Record<string, unknown>>(["/app/**/actions.ts"]);
const load = <T>(modules: Record<string, () => Promise<T>>, file: string) => {
  const loader = modules[`/${file}`];
  if (!loader) throw new Error(`${file} exists on disk but the glob import did not find it`);
  return loader();
};

let world: SweepWorld;
/** A Bulk Data export the organization's hospital system started: its status and files are that client's alone. */
let bulkJobId: string;

beforeAll(async () => {
  world = await buildSweepWorld();
  const { GET: kickOff } = (await load(routeModules, "app/fhir/Patient/$export/route.ts")) as { GET: (request: Request) => Promise<Response> };
  const accepted = await kickOff(new Request("http://lantern.test/fhir/Patient/$export", { headers: { ...(await credentialHeaders(world, "backend")), prefer: "respond-async", accept: "application/fhir+json" } }));
  expect(accepted.status).toBe(202);
  bulkJobId = accepted.headers.get("content-location")!.split("/").pop()!;
}, 120_000);

// ---------------------------------------------------------------------------------------------
// Requests

/** The value of a dynamic segment, for the objects of `patient`. */
function segmentValue(file: string, segment: string, actor: ActorName, patient: PatientFixture): string | string[] {
  switch (segment) {
    case "patientId":
      return patient.id;
    case "readingId":
      return String(patient.readingId);
    case "alertId":
      return String(patient.alertId);
    case "id":
      if (file.includes("/fhir/Patient/")) return patient.id;
      if (file.includes("/fhir/Observation/")) return String(patient.readingId);
      if (file.includes("/fhir/Flag/")) return String(patient.alertId);
      if (file.includes("/fhir/Device/")) return patient.deviceId;
      if (file.includes("/fhir/Organization/")) return world.organizationA;
      if (file.includes("/fhir/Practitioner/")) return world.clinician.userId;
      if (file.includes("/fhir/Group/")) return world.careTeamId;
      return "00000000-0000-4000-8000-000000000000";
    case "vid":
      return "1";
    case "jobId":
      return bulkJobId;
    case "fileId":
    case "identifier":
    case "token":
      return "00000000-0000-4000-8000-000000000000";
    case "spec":
      return "current";
    case "lastModified":
      return "0";
    case "accessToken":
      return actor === "uploader" ? world.uploader.accessToken : "not-a-token";
    case "collection":
      return "food";
    case "rest":
      return [];
    case "path":
      return ["no-such-path"];
    case "nextauth":
      return ["session"];
    default:
      throw new Error(`${file}: no value for the segment [${segment}]; add one to segmentValue`);
  }
}

/** True when the request names a patient or an object of one, in its path or its body (the BOLA candidates). */
function namesAPatient(file: string, method: Method = "GET"): boolean {
  return /\[(patientId|readingId|alertId)\]/.test(file) || /fhir\/(Patient|Observation|Flag|Device)\/\[id\]/.test(file) || (method === "POST" && BODY_NAMES_PATIENT.has(file));
}
const BODY_NAMES_PATIENT = new Set(["app/fhir/Observation/route.ts", "app/fhir/$submit-cgm-bundle/route.ts"]);

function paramsOf(file: string, actor: ActorName, patient: PatientFixture): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const match of file.matchAll(/\[{1,2}(?:\.\.\.)?([A-Za-z]+)\]{1,2}/g)) params[match[1]!] = segmentValue(file, match[1]!, actor, patient);
  return params;
}

/** The query a request needs to get past the door's own checks, so authorization decides. */
const queries: Record<string, string> = {
  "app/api/patients/[patientId]/imports/route.ts": "?mode=preview",
  "app/api/patients/[patientId]/record/route.ts": "?format=fhir",
  "app/fhir/Patient/[id]/$cgm-summary/route.ts": `?start=${new Date(Date.now() - 14 * 86_400_000).toISOString().slice(0, 10)}&end=${new Date().toISOString().slice(0, 10)}`,
};

function urlOf(file: string, params: Record<string, string | string[]>): string {
  const route = file
    .replace(/^app/, "")
    .replace(/\/route\.ts$|\/page\.tsx$/, "")
    .replace(/\/\([^)]+\)/g, "")
    .replaceAll("%5F", "_")
    .replace(/\[{1,2}(?:\.\.\.)?([A-Za-z]+)\]{1,2}/g, (_all, name: string) => [params[name] ?? []].flat().join("/"))
    .replace(/\/+$/, "");
  return `http://lantern.test${route || "/"}${queries[file] ?? ""}`;
}

/** A body each write endpoint accepts from a caller allowed to use it (so authorization, not validation, decides). */
function bodyOf(file: string, method: Method, patient: PatientFixture): { body: string; type: string } | undefined {
  if (method === "GET" || method === "DELETE") return undefined;
  const at = new Date(Date.now() - 60_000 * (1 + Math.floor(Math.random() * 10_000)));
  const json = (value: unknown, type = "application/json") => ({ body: JSON.stringify(value), type });
  if (file === "app/api/devices/readings/route.ts") return json({ readings: [{ value: 105, unit: "mg/dL", effectiveAt: at.toISOString(), specimen: "interstitial" }] });
  if (file === "app/api/devices/pair/route.ts") return json({ code: "000000", serialNumber: "SN-SWEEP" });
  if (file === "app/api/patients/[patientId]/imports/route.ts") return { body: `time,value,unit\n${at.toISOString()},105,mg/dL\n`, type: "text/csv" };
  if (/app\/api\/v1\/entries/.test(file)) return json([{ type: "sgv", sgv: 105, date: at.getTime(), dateString: at.toISOString(), device: "sweep" }]);
  if (/app\/api\/v1\/treatments/.test(file)) return json([{ eventType: "Carb Correction", carbs: 12, created_at: at.toISOString(), enteredBy: "sweep" }]);
  if (/app\/api\/v1\/devicestatus/.test(file)) return json([{ device: "sweep", created_at: at.toISOString(), uploaderBattery: 80 }]);
  if (file === "app/api/v3/entries/route.ts") return json({ type: "sgv", sgv: 105, date: at.getTime(), app: "sweep", device: "sweep" });
  if (file === "app/api/v3/treatments/route.ts") return json({ eventType: "Carb Correction", carbs: 12, date: at.getTime(), app: "sweep" });
  if (file === "app/api/v3/devicestatus/route.ts") return json({ device: "sweep", date: at.getTime(), app: "sweep", uploaderBattery: 80 });
  if (file === "app/fhir/Observation/route.ts") return json(glucoseObservation(patient, at), "application/fhir+json");
  if (file === "app/fhir/$submit-cgm-bundle/route.ts") {
    return json({ resourceType: "Bundle", type: "batch", entry: [{ resource: glucoseObservation(patient, at), request: { method: "POST", url: "Observation" } }] }, "application/fhir+json");
  }
  if (file === "app/fhir/auth/token/route.ts") return { body: "grant_type=client_credentials&scope=system%2FPatient.rs", type: "application/x-www-form-urlencoded" };
  if (file === "app/fhir/route.ts") return json({ resourceType: "Bundle", type: "batch", entry: [{ request: { method: "GET", url: `Patient/${patient.id}` } }] }, "application/fhir+json");
  return json({}, file.startsWith("app/fhir") ? "application/fhir+json" : "application/json");
}

function glucoseObservation(patient: PatientFixture, at: Date) {
  return {
    resourceType: "Observation",
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
    code: { coding: [{ system: "http://loinc.org", code: "99504-3" }] },
    subject: { reference: `Patient/${patient.id}` },
    effectiveDateTime: at.toISOString(),
    valueQuantity: { value: 105, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
  };
}

/**
 * The status, or for a FHIR batch or transaction answer its first entry's status: a batch is 200
 * as a whole and says 404 per entry for a patient the caller may not see.
 */
async function outcomeOf(response: Response): Promise<Outcome> {
  if (!/fhir\+json/.test(response.headers.get("content-type") ?? "")) {
    await response.body?.cancel();
    return response.status;
  }
  const body = (await response.json()) as { resourceType?: string; type?: string; entry?: Array<{ response?: { status?: string } }> };
  const entryStatus = body.resourceType === "Bundle" && /-response$/.test(body.type ?? "") ? body.entry?.[0]?.response?.status : undefined;
  return entryStatus ? Number.parseInt(entryStatus, 10) : response.status;
}

async function callRoute(file: string, method: Method, actor: ActorName, patient: PatientFixture): Promise<Outcome> {
  const routeModule = await load(routeModules, file);
  const handler = routeModule[method] as (request: Request, context: unknown) => Promise<Response>;
  const params = paramsOf(file, actor, patient);
  const payload = bodyOf(file, method, patient);
  const headers: Record<string, string> = { ...(await credentialHeaders(world, actor)), ...(payload ? { "content-type": payload.type } : {}) };
  // Bulk Data is asynchronous only.
  if (file.includes("$export")) Object.assign(headers, { prefer: "respond-async", accept: "application/fhir+json" });
  const request = new Request(urlOf(file, params), { method, headers, body: payload?.body });
  try {
    const response = await inRequestScope(headers.cookie ?? null, () => handler(request, { params: Promise.resolve(params) }));
    return outcomeOf(response);
  } catch (error) {
    // A route handler may end in redirect() (sign-out), which Next.js answers with a 3xx.
    return navigationOutcome(error);
  }
}

/** How Next.js would answer a page: rendered, notFound() (404), or a redirect (anonymous: to sign in). */
async function callPage(file: string, actor: ActorName, patient: PatientFixture): Promise<Outcome> {
  if (actor === "device" || actor === "uploader" || actor === "backend" || actor === "foreignBackend") return "n/a";
  const { default: Page } = await load(pageModules, file);
  const params = paramsOf(file, actor, patient);
  try {
    await inRequestScope((await credentialHeaders(world, actor)).cookie ?? null, () => Page({ params: Promise.resolve(params), searchParams: Promise.resolve({}) }));
    return 200;
  } catch (error) {
    return navigationOutcome(error);
  }
}

function navigationOutcome(error: unknown): Outcome {
  const digest = String((error as { digest?: unknown })?.digest ?? "");
  if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return 404;
  if (digest.startsWith("NEXT_REDIRECT")) return digest.includes("/sign-in") ? "sign-in" : "redirect";
  throw error;
}

// ---------------------------------------------------------------------------------------------
// Server actions: how to call each (its bound arguments and a form that passes its schema)

interface ActionCall {
  args: unknown[];
  form: Record<string, string>;
}

type ActionCallBuilder = (patient: PatientFixture) => ActionCall | Promise<ActionCall>;
/** A follower token of the patient, as the devices page creates one. */
async function accessTokenIdOf(patientId: string): Promise<string> {
  const [token] = await getDb()
    .insert(nightscoutAccessTokens)
    .values({ patientId, name: "Sweep follower", access: "read", tokenHash: sha256Hex(crypto.randomUUID()) })
    .returning({ id: nightscoutAccessTokens.id });
  return token!.id;
}

async function latestAuditSeqOf(organizationId: string): Promise<number> {
  const [event] = await getDb().select({ seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.organizationId, organizationId)).orderBy(desc(auditEvents.seq)).limit(1);
  return event!.seq;
}

function guardianLinkOf(patient: PatientFixture): Record<string, string> {
  const child = patient.name === "P" ? world.patients.K : patient;
  return { patientId: child.id, guardianUserId: child.guardianUserId };
}

const uniqueEmail = () => `sweep-${crypto.randomUUID().slice(0, 8)}@test.lantern.example`;

const actionCalls: Record<string, ActionCallBuilder> = {
  "app/(auth)/invitation/[token]/actions.ts#setPasswordAction": () => ({ args: [], form: { token: "not-a-token", password: "correct horse battery staple 9", confirmPassword: "correct horse battery staple 9" } }),
  "app/(auth)/register/actions.ts#registerAction": () => ({ args: [], form: {} }),
  "app/(auth)/forgot-password/actions.ts#forgotPasswordAction": () => ({ args: [], form: { email: uniqueEmail() } }),
  "app/(auth)/reset-password/[token]/actions.ts#resetPasswordAction": () => ({ args: [], form: { token: "not-a-token", password: "correct horse battery staple 9", confirmPassword: "correct horse battery staple 9" } }),
  "app/(auth)/verify-email/[token]/actions.ts#verifyEmailAction": () => ({ args: [], form: { token: "not-a-token" } }),
  "app/(portal)/account/actions.ts#unitPreferenceAction": () => ({ args: [], form: { unit: "patient" } }),
  "app/(portal)/account/actions.ts#changePasswordAction": () => ({ args: [], form: { currentPassword: "not the current password", password: "correct horse battery staple 9", confirmPassword: "correct horse battery staple 9" } }),
  // Enabling an enabled account: the call changes nothing, so the sweep leaves the world as it was.
  "app/(portal)/admin/actions.ts#accountStatusAction": () => ({ args: [], form: { userId: world.clinician.userId, disabled: "false" } }),
  "app/(auth)/sign-in/actions.ts#signInAction": () => ({ args: [], form: { email: uniqueEmail(), password: "wrong password" } }),
  "app/(auth)/sign-in/actions.ts#signInCodeAction": () => ({ args: [], form: { code: "000000" } }),
  "app/(portal)/account/two-step/actions.ts#confirmSetupAction": () => ({ args: [], form: { code: "000000" } }),
  "app/(portal)/account/two-step/actions.ts#newAuthenticatorAction": () => ({ args: [], form: { password: "wrong password", code: "000000" } }),
  "app/(portal)/account/two-step/actions.ts#turnOffAction": () => ({ args: [], form: { password: "wrong password", code: "000000" } }),
  "app/(portal)/admin/actions.ts#createStaffAction": () => ({ args: [], form: { displayName: "Sweep Person", email: uniqueEmail(), role: "clinician" } }),
  "app/(portal)/admin/actions.ts#createCareTeamAction": () => ({ args: [], form: { name: `Sweep team ${crypto.randomUUID().slice(0, 6)}` } }),
  "app/(portal)/admin/actions.ts#addClinicianAction": () => ({ args: [], form: { careTeamId: world.careTeamId, clinicianUserId: world.clinician.userId } }),
  "app/(portal)/admin/actions.ts#assignPatientAction": (patient) => ({ args: [], form: { careTeamId: world.careTeamId, patientId: patient.id } }),
  "app/(portal)/admin/clients/actions.ts#registerBackendClientAction": () => ({ args: [], form: {} }),
  "app/(portal)/admin/clients/actions.ts#revokeBackendClientAction": () => ({ args: ["00000000-0000-4000-8000-000000000000"], form: {} }),
  "app/(portal)/admin/hospital-pushes/actions.ts#createEndpointAction": () => ({ args: [], form: {} }),
  "app/(portal)/admin/hospital-pushes/actions.ts#replayPushAction": () => ({ args: [2_000_000_000], form: {} }),
  "app/(portal)/admin/notifications/actions.ts#createChannelAction": () => ({ args: [], form: {} }),
  "app/(portal)/admin/notifications/actions.ts#setChannelEnabledAction": () => ({ args: ["00000000-0000-4000-8000-000000000000", true], form: {} }),
  "app/(portal)/admin/notifications/actions.ts#deleteChannelAction": () => ({ args: ["00000000-0000-4000-8000-000000000000"], form: {} }),
  "app/(portal)/admin/notifications/actions.ts#replayNotificationAction": () => ({ args: [2_000_000_000], form: {} }),
  "app/(portal)/admin/privacy-requests/actions.ts#answerPrivacyRequestAction": () => ({
    args: ["00000000-0000-4000-8000-000000000000"],
    form: { status: "refused", response: "Sweep answer", careRecordsExemption: "no" },
  }),
  "app/(portal)/break-glass/actions.ts#breakGlassAction": () => ({ args: [], form: { medicalRecordNumber: "NO-SUCH-MRN", reason: "An emergency in the sweep test", password: "wrong password" } }),
  "app/(portal)/clinician/actions.ts#completeTaskAction": () => ({ args: ["00000000-0000-4000-8000-000000000000"], form: {} }),
  "app/(portal)/clinician/alerts/actions.ts#acknowledgeAlertAction": (patient) => ({ args: [patient.alertId], form: { note: "" } }),
  "app/(portal)/clinician/alerts/actions.ts#resolveAlertAction": (patient) => ({ args: [patient.alertId], form: {} }),
  "app/(portal)/patients/[patientId]/actions.ts#addReadingAction": (patient) => ({
    args: [patient.id],
    form: { value: "123", unit: "mg/dL", takenAt: new Date(Date.now() - 3_600_000 * (1 + Math.random() * 100)).toISOString().slice(0, 16), mealContext: "", note: "" },
  }),
  "app/(portal)/patients/[patientId]/actions.ts#correctReadingAction": (patient) => ({
    args: [patient.id, patient.readingId],
    form: { value: String(60 + Math.floor(Math.random() * 100)), unit: "mg/dL", takenAt: new Date(Date.now() - 3_600_000).toISOString().slice(0, 16), mealContext: "", note: "", reason: "Sweep correction" },
  }),
  "app/(portal)/patients/[patientId]/devices/actions.ts#registerDeviceAction": (patient) => ({ args: [patient.id], form: { kind: "cgm", model: "Sweep CGM", serialNumber: `SN-${crypto.randomUUID().slice(0, 8)}` } }),
  "app/(portal)/patients/[patientId]/devices/actions.ts#rotateTokenAction": async (patient) => ({ args: [patient.id, (await pairedMeter(patient.id)).deviceId], form: {} }),
  "app/(portal)/patients/[patientId]/devices/actions.ts#revokeDeviceAction": async (patient) => ({ args: [patient.id, (await pairedMeter(patient.id)).deviceId], form: {} }),
  "app/(portal)/patients/[patientId]/devices/actions.ts#createUploaderSecretAction": (patient) => ({ args: [patient.id], form: {} }),
  "app/(portal)/patients/[patientId]/devices/actions.ts#createAccessTokenAction": (patient) => ({ args: [patient.id], form: { name: "Sweep follower", access: "read" } }),
  "app/(portal)/patients/[patientId]/devices/actions.ts#revokeAccessTokenAction": async (patient) => ({ args: [patient.id, await accessTokenIdOf(patient.id)], form: {} }),
  // A guardian link is about a child: P's own calls name the child K of the same care team.
  "app/(portal)/patients/[patientId]/privacy/actions.ts#confirmGuardianAction": (patient) => ({ args: [], form: guardianLinkOf(patient) }),
  "app/(portal)/patients/[patientId]/privacy/actions.ts#renewGuardianAction": (patient) => ({ args: [], form: { ...guardianLinkOf(patient), renewedUntil: "2099-01-01" } }),
  // A competence assessment of adult P is refused (under 18 only); the child K's is the clinician's to record.
  "app/(portal)/patients/[patientId]/privacy/actions.ts#recordCompetenceAction": (patient) => ({ args: [], form: { patientId: patient.id, competent: "no", note: "" } }),
  "app/(portal)/patients/[patientId]/privacy/actions.ts#limitGuardianAction": (patient) => ({ args: [], form: { ...guardianLinkOf(patient), choice: "limit", lastDay: "2099-01-01" } }),
  "app/(portal)/patients/[patientId]/sharing/actions.ts#decideConsentAction": (patient) => ({ args: [patient.id], form: { purpose: "research", decision: "deny" } }),
  "app/(portal)/patients/[patientId]/sharing/actions.ts#privacyRequestAction": (patient) => ({ args: [patient.id], form: { kind: "restriction", details: "Sweep request" } }),
  "app/(portal)/patients/new/actions.ts#registerPatientAction": () => ({ args: [], form: {} }),
  "app/(portal)/privacy-officer/actions.ts#markReviewedAction": async () => ({ args: [], form: { auditSeq: String(await latestAuditSeqOf(world.organizationA)) } }),
};

/** Actions whose arguments name a patient or one of their objects (the BOLA candidates). */
const patientScopedActions = new Set(Object.keys(actionCalls).filter((key) => /\[patientId\]|alerts\/actions|admin\/actions\.ts#assignPatient/.test(key)));

/** An action's answer: done, refused with a sentence, 404 ("No such ..."), or sent to sign in. */
async function callAction(key: string, actor: ActorName, patient: PatientFixture): Promise<Outcome> {
  if (actor === "device" || actor === "uploader" || actor === "backend" || actor === "foreignBackend") return "n/a";
  const [file, name] = key.split("#") as [string, string];
  const action = (await load(actionModules, file))[name] as (...args: unknown[]) => Promise<{ status: string; message?: string }>;
  const call = await actionCalls[key]!(patient);
  const form = new FormData();
  for (const [field, value] of Object.entries(call.form)) form.set(field, value);
  try {
    const state = await inRequestScope((await credentialHeaders(world, actor)).cookie ?? null, () => action(...call.args, { status: "idle" }, form));
    if (state.status === "success") return 200;
    if (/^No such /.test(state.message ?? "")) return 404;
    if (/Something went wrong on our side/.test(state.message ?? "")) return 500;
    return "refused";
  } catch (error) {
    return navigationOutcome(error);
  }
}

// ---------------------------------------------------------------------------------------------
// The sweep

const subject = (actor: ActorName) => world.patients[subjectOf(actor)];
const record = process.env.LANTERN_SWEEP_RECORD === "1";

/** What a usable answer (the actor got through) becomes for a patient it may not see: 404. */
const isUsable = (outcome: Outcome) => outcome === 200 || outcome === 201 || outcome === 202 || outcome === 204 || outcome === 400 || outcome === 409 || outcome === 422 || outcome === "refused";

async function routeEntries(): Promise<Array<{ file: string; method: Method }>> {
  const entries: Array<{ file: string; method: Method }> = [];
  for (const file of filesNamed("route.ts")) {
    const routeModule = await load(routeModules, file);
    for (const method of METHODS) if (typeof routeModule[method] === "function") entries.push({ file, method });
  }
  return entries;
}

async function actionEntries(): Promise<string[]> {
  const keys: string[] = [];
  for (const file of filesNamed("actions.ts")) {
    const actionModule = await load(actionModules, file);
    for (const [name, value] of Object.entries(actionModule)) if (typeof value === "function") keys.push(`${file}#${name}`);
  }
  return keys;
}

function compare(kind: string, observed: Record<string, Partial<Record<ActorName, Outcome>>>, expected: Record<string, Partial<Record<ActorName, Outcome>>>) {
  if (record) {
    console.log(`---- ${kind}\n${Object.entries(observed).map(([key, row]) => `  ${JSON.stringify(key)}: ${JSON.stringify(row)},`).join("\n")}`);
    return;
  }
  const missing = Object.keys(observed).filter((key) => !(key in expected));
  expect(missing, `${kind} without a row in authorization-sweep.table.ts: add one saying what each actor gets`).toEqual([]);
  const stale = Object.keys(expected).filter((key) => !(key in observed));
  expect(stale, `${kind} rows for something that no longer exists: remove them`).toEqual([]);
  const differences = Object.entries(observed).flatMap(([key, row]) =>
    actorNames.filter((actor) => row[actor] !== expected[key]![actor]).map((actor) => `${key} as ${actor}: expected ${expected[key]![actor]}, got ${row[actor]}`),
  );
  expect(differences).toEqual([]);
}

describe("every route handler and FHIR interaction answers each kind of actor as the table says", () => {
  it("the disk, the glob import and the table agree, and each answer matches", async () => {
    const observed: Record<string, Partial<Record<ActorName, Outcome>>> = {};
    for (const { file, method } of await routeEntries()) {
      const row: Partial<Record<ActorName, Outcome>> = {};
      for (const actor of actorNames) row[actor] = await callRoute(file, method, actor, subject(actor));
      observed[`${method} ${file}`] = row;
    }
    compare("routes", observed, expectedRoutes);
  }, 240_000);
});

describe("every page answers each portal actor as the table says", () => {
  it("rendered, 404 or sent to sign in", async () => {
    const observed: Record<string, Partial<Record<ActorName, Outcome>>> = {};
    for (const file of filesNamed("page.tsx")) {
      const row: Partial<Record<ActorName, Outcome>> = {};
      for (const actor of actorNames) row[actor] = await callPage(file, actor, subject(actor));
      observed[file] = row;
    }
    compare("pages", observed, expectedPages);
  }, 240_000);
});

describe("every server action answers each portal actor as the table says", () => {
  it("every action has a way to call it and a row", async () => {
    const keys = await actionEntries();
    expect(keys.filter((key) => !(key in actionCalls)), "server actions without a call in actionCalls").toEqual([]);
    const observed: Record<string, Partial<Record<ActorName, Outcome>>> = {};
    for (const key of keys) {
      const row: Partial<Record<ActorName, Outcome>> = {};
      for (const actor of actorNames) row[actor] = await callAction(key, actor, subject(actor));
      observed[key] = row;
    }
    compare("actions", observed, expectedActions);
  }, 240_000);
});

describe("BOLA: the ids of patients an actor may not see answer 404, children included", () => {
  const foreignPatients = (actor: ActorName): PatientName[] => patientNames.filter((name) => !visiblePatients[actor].includes(name) && name !== subjectOf(actor));

  it("route handlers and FHIR reads", async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const { file, method } of await routeEntries()) {
      if (!namesAPatient(file, method)) continue;
      for (const actor of actorNames) {
        const own = expectedRoutes[`${method} ${file}`]?.[actor];
        if (own === undefined || !isUsable(own)) continue;
        for (const other of foreignPatients(actor)) {
          const outcome = await callRoute(file, method, actor, world.patients[other]);
          if (outcome !== 404) failures.push(`${method} ${file} as ${actor} with ${other}'s ids: ${outcome}`);
          tried += 1;
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried, "the BOLA sweep tried almost nothing: did the table lose its usable rows?").toBeGreaterThan(100);
  }, 240_000);

  it("FHIR searches for a patient the caller may not see find nothing", async () => {
    const searches = ["Observation?patient=", "Flag?patient=", "Device?patient=", "Patient?_id="];
    const failures: string[] = [];
    for (const actor of ["patient", "guardian", "clinician", "backend", "foreignBackend"] as const) {
      for (const other of foreignPatients(actor)) {
        for (const search of searches) {
          const [type] = search.split("?") as [string];
          const { GET } = (await load(routeModules, `app/fhir/${type}/route.ts`)) as { GET: (request: Request) => Promise<Response> };
          const headers = await credentialHeaders(world, actor);
          const response = await inRequestScope(headers.cookie ?? null, () => GET(new Request(`http://lantern.test/fhir/${search}${world.patients[other].id}`, { headers })));
          const bundle = (await response.json()) as { resourceType: string; entry?: unknown[] };
          // A patient may not search Patient at all (404): as good as finding nothing.
          if (response.status === 404 && bundle.resourceType === "OperationOutcome") continue;
          if (response.status !== 200 || (bundle.entry?.length ?? 0) > 0) failures.push(`${search}<${other}> as ${actor}: ${response.status}, ${bundle.entry?.length ?? 0} entries`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it("pages", async () => {
    const failures: string[] = [];
    for (const file of filesNamed("page.tsx")) {
      if (!namesAPatient(file)) continue;
      for (const actor of actorNames) {
        const own = expectedPages[file]?.[actor];
        if (own === undefined || !isUsable(own)) continue;
        for (const other of foreignPatients(actor)) {
          const outcome = await callPage(file, actor, world.patients[other]);
          if (outcome !== 404) failures.push(`${file} as ${actor} with ${other}'s ids: ${outcome}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it("server actions", async () => {
    const failures: string[] = [];
    for (const key of patientScopedActions) {
      for (const actor of actorNames) {
        const own = expectedActions[key]?.[actor];
        if (own === undefined || !isUsable(own)) continue;
        for (const other of foreignPatients(actor)) {
          const outcome = await callAction(key, actor, world.patients[other]);
          if (outcome !== 404) failures.push(`${key} as ${actor} with ${other}'s ids: ${outcome}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
