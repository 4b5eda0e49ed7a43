import { describe, expect, it } from "vitest";
import { userRoles } from "@/db/schema/users";
import { actions, can, type Action } from "./permissions";

// The whole matrix, written out: a change to the role table must change this test too.
const expected: Record<(typeof userRoles)[number], Record<Action, boolean>> = {
  patient: {
    "patient:read": true, "patient:list": false, "reading:read": true, "reading:create": true, "device:manage": true,
    "staff:manage": false, "careTeam:manage": false, "backendClient:manage": false,
  },
  guardian: {
    "patient:read": true, "patient:list": true, "reading:read": true, "reading:create": true, "device:manage": true,
    "staff:manage": false, "careTeam:manage": false, "backendClient:manage": false,
  },
  clinician: {
    "patient:read": true, "patient:list": true, "reading:read": true, "reading:create": true, "device:manage": true,
    "staff:manage": false, "careTeam:manage": false, "backendClient:manage": false,
  },
  admin: {
    "patient:read": true, "patient:list": true, "reading:read": false, "reading:create": false, "device:manage": false,
    "staff:manage": true, "careTeam:manage": true, "backendClient:manage": true,
  },
};

describe("role permission matrix", () => {
  const cases = userRoles.flatMap((role) => actions.map((action) => [role, action, expected[role][action]] as const));
  it.each(cases)("%s may %s: %s", (role, action, allowed) => {
    expect(can(role, action)).toBe(allowed);
  });
});
