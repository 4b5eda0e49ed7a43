import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { openPostgres } from "@/db/client";
import { hitRateLimit, rateLimitReached, sweepRateLimits } from "./rate-limits";

const rule = { limit: 3, windowMs: 60_000 };
const freshKey = () => `test:${randomBytes(6).toString("hex")}`;
const start = new Date("2026-12-03T10:00:00Z");
const later = (ms: number) => new Date(start.getTime() + ms);

describe("rate limits in the database", () => {
  it("allows the limit within a window, refuses the next hit with the seconds until the window ends, and starts again after it", async () => {
    const key = freshKey();
    for (let hit = 0; hit < 3; hit++) expect(await hitRateLimit(key, rule, later(hit * 1000))).toEqual({ allowed: true });
    expect(await hitRateLimit(key, rule, later(20_000))).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect(await rateLimitReached(key, rule, later(20_000))).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect(await rateLimitReached(key, rule, later(60_000))).toEqual({ allowed: true });
    expect(await hitRateLimit(key, rule, later(60_000))).toEqual({ allowed: true });
  });

  it("keeps keys apart", async () => {
    const [a, b] = [freshKey(), freshKey()];
    for (let hit = 0; hit < 4; hit++) await hitRateLimit(a, rule, start);
    expect(await rateLimitReached(a, rule, start)).toMatchObject({ allowed: false });
    expect(await rateLimitReached(b, rule, start)).toEqual({ allowed: true });
  });

  it("counts every one of many parallel hits: exactly the limit gets through", async () => {
    const key = freshKey();
    const verdicts = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(key, rule, start)));
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(3);
  });

  it("sweeps windows that have ended, and only those", async () => {
    const [old, current] = [freshKey(), freshKey()];
    await hitRateLimit(old, rule, start);
    for (let hit = 0; hit < 4; hit++) await hitRateLimit(current, rule, later(50_000));
    await sweepRateLimits(later(61_000));
    expect(await rateLimitReached(current, rule, later(61_000))).toMatchObject({ allowed: false });
    // The old key's window is gone: its next hit is the first of a new window.
    for (let hit = 0; hit < 3; hit++) expect(await hitRateLimit(old, rule, later(61_000))).toEqual({ allowed: true });
  });
});

// Two server processes are two connection pools on one database: the limit is theirs together.
describe.runIf(process.env.LANTERN_TEST_DATABASE === "postgres")("two connection pools", () => {
  it("share one window", async () => {
    const first = openPostgres(inject("testDatabaseUrl"));
    const second = openPostgres(inject("testDatabaseUrl"));
    try {
      const key = freshKey();
      const verdicts = await Promise.all(
        Array.from({ length: 10 }, (_, i) => hitRateLimit(key, rule, start, (i % 2 === 0 ? first : second).db)),
      );
      expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(3);
      expect(await rateLimitReached(key, rule, start, second.db)).toMatchObject({ allowed: false });
      expect(await rateLimitReached(key, rule, start, first.db)).toMatchObject({ allowed: false });
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
