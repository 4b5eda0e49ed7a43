import "server-only";

/** How often an idle stream sends a comment, so proxies and browsers keep it open and a dead client is noticed. */
export const HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting a dropped stream. */
const RETRY_MS = 2_000;

export interface EventSink {
  send(event: string, data: unknown): void;
}

/**
 * A `text/event-stream` response (server-sent events) that lives until the client goes away:
 * `start` subscribes with a sink and returns how to unsubscribe, called exactly once when the
 * request is aborted or the stream cancelled. A comment is sent at once (the browser's `open`)
 * and then every HEARTBEAT_MS, while `stillAllowed` (when given) says the caller may go on.
 */
export async function eventStreamResponse(signal: AbortSignal, start: (sink: EventSink) => Promise<() => void>, stillAllowed?: () => Promise<boolean>): Promise<Response> {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const write = (text: string) => {
    if (!closed) controller.enqueue(encoder.encode(text));
  };
  const stream = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    cancel() {
      close();
    },
  });
  write(`retry: ${RETRY_MS}\n: connected\n\n`);
  const unsubscribe = await start({ send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`) });
  // Each heartbeat first asks whether the caller may still listen (a session ended, timed out or
  // disabled meanwhile): if not, the stream ends and the browser's reconnect meets the door again.
  const heartbeat = setInterval(() => {
    void (stillAllowed?.() ?? Promise.resolve(true)).then(
      (allowed) => (allowed ? write(": heartbeat\n\n") : close()),
      () => close(),
    );
  }, HEARTBEAT_MS);
  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    try {
      controller.close();
    } catch {
      // Already closed by the client going away.
    }
  }
  if (signal.aborted) close();
  else signal.addEventListener("abort", close, { once: true });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store, no-transform", "X-Accel-Buffering": "no", Connection: "keep-alive" },
  });
}
