import { describe, expect, it } from "vitest";
import { uploaderAccessLevels } from "@/db/schema/nightscout";
import { userRoles, type UserRole } from "@/db/schema/users";
import { internalOrigin, type Actor } from "./actor";
import { actions, can, missingScopeText, type Action } from "./permissions";

// The whole matrix, written out: a change to the permission table must change this test too.
// Columns, in order: patient:read, patient:search, reading:read, reading:search, reading:create,
// reading:correct, treatment:search, treatment:write, deviceStatus:create, device:read,
// device:search, device:manage, organization:read, organization:search, practitioner:read,
// practitioner:search, careTeam:read, careTeam:manage, staff:manage, backendClient:manage,
// hospitalEndpoint:manage, bulk:export, alert:read, alert:search, alert:handle,
// notificationChannel:manage, patient:register, guardian:verify, competence:assess, guardian:limit,
// careTask:handle, breakGlass:start, accessLog:read,
// audit:search, auditEvent:read, accessReview:manage, consent:read, consent:decide, record:export,
// privacyRequest:create, privacyRequest:manage, processingRecord:read.
const Y = true;
const n = false;
const expected: Record<string, readonly boolean[]> = {
  //                          p:r p:s r:r r:s r:c r:u t:s t:w ds:c d:r d:s d:m o:r o:s pr:r pr:s ct:r ct:m st:m bc:m he:m bulk a:r a:s a:h nc:m pt:reg g:v ca:a g:l ct:h bg:s al:r au:s ae:r ar:m c:r c:d r:x pq:c pq:m rop
  "user:patient": /*       */ [Y, n, Y, Y, Y, Y, Y, n, n, Y, Y, Y, n, n, n, n, n, n, n, n, n, n, Y, Y, n, n, n, n, n, Y, n, n, Y, n, n, n, Y, Y, Y, Y, n, n],
  "user:guardian": /*      */ [Y, Y, Y, Y, Y, Y, Y, n, n, Y, Y, Y, n, n, n, n, n, n, n, n, n, n, Y, Y, n, n, n, n, n, n, n, n, Y, n, n, n, Y, Y, Y, Y, n, n],
  "user:clinician": /*     */ [Y, Y, Y, Y, Y, Y, Y, n, n, Y, Y, Y, Y, Y, Y, Y, Y, n, n, n, n, n, Y, Y, Y, n, Y, Y, Y, n, Y, Y, Y, n, n, n, Y, n, n, n, n, n],
  // Admins see who the patients are and their devices, not their glucose or insulin.
  "user:admin": /*         */ [Y, Y, n, n, n, n, n, n, n, Y, Y, n, Y, Y, Y, Y, Y, Y, Y, Y, Y, n, n, n, n, Y, Y, n, n, n, n, n, n, Y, n, n, n, n, n, n, Y, Y],
  // The privacy officer reads the audit trail and reviews access; no patient data.
  "user:privacy_officer": [n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, Y, Y, Y, n, n, n, n, Y, Y],
  device: /*               */ [n, n, n, n, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n],
  // An uploader app (the API secret, or a read-write access token): writes and reads back its patient's data.
  "uploader:read-write": /* */ [n, n, Y, Y, Y, n, Y, Y, Y, n, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n],
  // A follower's read-only access token: reads, never writes.
  "uploader:read": /*      */ [n, n, Y, Y, n, n, Y, n, n, n, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n],
  "system:hospital-push": /**/ [Y, n, Y, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, Y, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n],
  "system:alert-monitor": /**/ [n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, Y, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n],
  "system:operator": /*    */ [n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, Y, Y, n, n, n, n, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n],
  // A hospital system holding every scope an admin can assign.
  "backend-client:all": /* */ [Y, Y, Y, Y, Y, Y, n, n, n, Y, Y, n, Y, Y, Y, Y, Y, n, n, n, n, Y, Y, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n],
  // One holding only system/Flag.rs: reads and searches alerts as Flags, and may export them.
  "backend-client:flag-read": [n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, Y, Y, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n],
  // One holding only system/Observation.rs (v1: system/Observation.read).
  "backend-client:observation-read": [n, n, Y, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n],
  // One that may only write readings: no search scope, so no bulk export either.
  "backend-client:observation-write": [n, n, n, n, Y, Y, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n],
};

const origin = internalOrigin("test");
const organizationId = "00000000-0000-4000-8000-000000000001";
const user = (role: UserRole): Actor => ({ kind: "user", userId: "u", role, organizationId, displayName: "Test", origin });
const client = (scopes: string[]): Actor => ({ kind: "backend-client", clientId: "c", organizationId, scopes, origin });

const actors: Record<keyof typeof expected, Actor> = {
  ...Object.fromEntries(userRoles.map((role) => [`user:${role}`, user(role)])),
  device: { kind: "device", deviceId: "d", patientId: "p", deviceKind: "cgm", organizationId, origin },
  "uploader:read-write": { kind: "uploader", patientId: "p", timezone: "UTC", preferredUnit: "mg/dL", access: "read-write", credential: { kind: "api-secret" }, organizationId, origin },
  "uploader:read": {
    kind: "uploader", patientId: "p", timezone: "UTC", preferredUnit: "mg/dL", access: "read", credential: { kind: "access-token", tokenId: "t", name: "Nightguard" }, organizationId, origin,
  },
  "system:hospital-push": { kind: "system", job: "hospital-push", organizationId, origin },
  "system:alert-monitor": { kind: "system", job: "alert-monitor", organizationId, origin },
  "system:operator": { kind: "system", job: "operator", organizationId, origin },
  "backend-client:all": client([
    "system/Patient.rs", "system/Observation.rs", "system/Device.rs", "system/Practitioner.rs", "system/Organization.rs", "system/Group.rs", "system/Flag.rs", "system/Observation.cu",
  ]),
  "backend-client:flag-read": client(["system/Flag.rs"]),
  "backend-client:observation-read": client(["system/Observation.read"]),
  "backend-client:observation-write": client(["system/Observation.cu"]),
};

describe("the permission matrix: every kind of actor x every action", () => {
  it("covers every user role, every Nightscout access level and every action", () => {
    for (const role of userRoles) expect(expected[`user:${role}`]).toBeDefined();
    for (const access of uploaderAccessLevels) expect(expected[`uploader:${access}`]).toBeDefined();
    for (const row of Object.values(expected)) expect(row).toHaveLength(actions.length);
  });

  const cases = Object.keys(expected).flatMap((name) => actions.map((action, column) => [name, action, expected[name]![column]!] as const));
  it.each(cases)("%s may %s: %s", (name, action, allowed) => {
    expect(can(actors[name]!, action)).toBe(allowed);
  });
});

describe("missingScopeText", () => {
  it.each([
    ["reading:search", "system/Observation.s"],
    ["patient:read", "system/Patient.r"],
    ["reading:create", "system/Observation.c"],
    ["reading:correct", "system/Observation.u"],
    ["alert:search", "system/Flag.s"],
    ["alert:read", "system/Flag.r"],
  ] as [Action, string][])("names the scope %s needs", (action, scope) => {
    expect(missingScopeText(action)).toContain(scope);
  });

  it("says when an action is never a hospital system's", () => {
    expect(missingScopeText("staff:manage")).toMatch(/not available to backend clients/);
  });
});
