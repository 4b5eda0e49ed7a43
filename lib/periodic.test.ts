import { afterEach, describe, expect, it } from "vitest";
import { startPeriodicJob, stopPeriodicJobs } from "./periodic";

afterEach(() => stopPeriodicJobs());

describe("periodic background jobs", () => {
  it("never runs two rounds of one job at once, and a second start of the same job is ignored", async () => {
    let running = 0;
    let most = 0;
    let rounds = 0;
    const round = async () => {
      running++;
      most = Math.max(most, running);
      rounds++;
      await new Promise((resolve) => setTimeout(resolve, 30));
      running--;
    };
    startPeriodicJob("test-overlap", 5, round, { runAtStart: true });
    startPeriodicJob("test-overlap", 5, round, { runAtStart: true });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(most).toBe(1);
    expect(rounds).toBeGreaterThanOrEqual(2);
  });

  it("keeps going after a failed round", async () => {
    let rounds = 0;
    startPeriodicJob("test-failing", 5, async () => {
      rounds++;
      throw new Error("database unreachable");
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(rounds).toBeGreaterThanOrEqual(2);
  });

  it("at shutdown waits for the round under way and starts no new one", async () => {
    let finished = false;
    let rounds = 0;
    startPeriodicJob(
      "test-shutdown",
      5,
      async () => {
        rounds++;
        await new Promise((resolve) => setTimeout(resolve, 40));
        finished = true;
      },
      { runAtStart: true },
    );
    await stopPeriodicJobs();
    expect(finished).toBe(true);
    const after = rounds;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(rounds).toBe(after);
  });
});
