import { describe, expect, it } from "vitest";
import { activityIsStale, idleLimitMs, sessionState } from "./session-rules";

const limits = { idleMinutes: 30, clinicalIdleMinutes: 15, maxHours: 12 };
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 8, 0) + minutes * 60_000);

describe("idleLimitMs: clinical roles sit at shared computers and time out sooner", () => {
  it.each([
    { role: "clinician", minutes: 15 },
    { role: "admin", minutes: 15 },
    { role: "privacy_officer", minutes: 15 },
    { role: "patient", minutes: 30 },
    { role: "guardian", minutes: 30 },
  ] as const)("$role: $minutes minutes", ({ role, minutes }) => {
    expect(idleLimitMs(role, limits)).toBe(minutes * 60_000);
  });
});

describe("sessionState", () => {
  it.each([
    { case: "a clinician active a minute ago", role: "clinician", startedAt: 0, lastSeenAt: 60, now: 61, state: "open" },
    { case: "a clinician silent 14 min 59 s", role: "clinician", startedAt: 0, lastSeenAt: 0, now: 14.99, state: "open" },
    { case: "a clinician silent 15 minutes", role: "clinician", startedAt: 0, lastSeenAt: 0, now: 15, state: "idle" },
    { case: "a patient silent 15 minutes", role: "patient", startedAt: 0, lastSeenAt: 0, now: 15, state: "open" },
    { case: "a patient silent 30 minutes", role: "patient", startedAt: 0, lastSeenAt: 0, now: 30, state: "idle" },
    { case: "a guardian active all along, 11 h 59 in", role: "guardian", startedAt: 0, lastSeenAt: 718, now: 719, state: "open" },
    { case: "a guardian active all along, 12 h in", role: "guardian", startedAt: 0, lastSeenAt: 719, now: 720, state: "expired" },
    { case: "both limits passed: expired wins", role: "admin", startedAt: 0, lastSeenAt: 0, now: 800, state: "expired" },
  ] as const)("$case: $state", ({ role, startedAt, lastSeenAt, now, state }) => {
    expect(sessionState({ startedAt: at(startedAt), lastSeenAt: at(lastSeenAt) }, role, limits, at(now))).toBe(state);
  });
});

describe("activityIsStale: activity is written at most every 30 seconds", () => {
  it.each([
    { seconds: 0, stale: false },
    { seconds: 29, stale: false },
    { seconds: 30, stale: true },
    { seconds: 600, stale: true },
  ])("$seconds s after the last write: $stale", ({ seconds, stale }) => {
    expect(activityIsStale(at(0), new Date(at(0).getTime() + seconds * 1000))).toBe(stale);
  });
});
