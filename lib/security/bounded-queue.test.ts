import { describe, expect, it } from "vitest";
import { BoundedQueue } from "./bounded-queue";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe("BoundedQueue", () => {
  it("runs at most its concurrency at once, the rest in arrival order, and releases slots on failure too", async () => {
    const queue = new BoundedQueue(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const results = gates.map((gate, index) =>
      queue.run(async () => {
        started.push(index);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await gate.promise;
        running -= 1;
        if (index === 1) throw new Error("task 1 fails");
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(queue.pending).toBe(3);

    gates[1]!.resolve();
    await expect(results[1]).rejects.toThrow("task 1 fails");
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all([results[0], results[2], results[3], results[4]])).toEqual([0, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(mostAtOnce).toBe(2);
    expect(queue.pending).toBe(0);
    expect(queue.started).toBe(5);
  });
});
