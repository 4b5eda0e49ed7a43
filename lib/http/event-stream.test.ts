import { afterEach, describe, expect, it, vi } from "vitest";
import { eventStreamResponse, HEARTBEAT_MS } from "./event-stream";

afterEach(() => void vi.useRealTimers());

/** Everything the stream sent until it ended, or until `wait` ms of fake time passed. */
async function drain(response: Response, wait: number): Promise<{ text: string; ended: boolean }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let ended = false;
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return void (ended = true);
      text += value;
    }
  })();
  await vi.advanceTimersByTimeAsync(wait);
  const endedByItself = ended;
  if (!endedByItself) await reader.cancel();
  await reading;
  return { text, ended: endedByItself };
}

describe("eventStreamResponse", () => {
  it("keeps a stream its caller may still listen to open, a heartbeat every HEARTBEAT_MS", async () => {
    vi.useFakeTimers();
    const unsubscribe = vi.fn();
    const response = await eventStreamResponse(new AbortController().signal, async () => unsubscribe, async () => true);
    const { text, ended } = await drain(response, HEARTBEAT_MS * 2 + 10);
    expect(ended).toBe(false);
    expect(text.match(/: heartbeat/g)).toHaveLength(2);
  });

  it("ends the stream, and unsubscribes once, at the first heartbeat after the caller's session ended", async () => {
    vi.useFakeTimers();
    const unsubscribe = vi.fn();
    let sessionOpen = true;
    const response = await eventStreamResponse(new AbortController().signal, async () => unsubscribe, async () => sessionOpen);
    sessionOpen = false;
    const { text, ended } = await drain(response, HEARTBEAT_MS * 3);
    expect(ended).toBe(true);
    expect(text).not.toContain(": heartbeat");
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });
});
