import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from "@/lib/monitoring/notification-message";

/** A webhook POST as the receiving server got it: the raw body, as a signature is computed over it. */
export interface ReceivedWebhook {
  path: string;
  headers: { timestamp: string | null; signature: string | null; delivery: string | null; contentType: string | null };
  rawBody: string;
  body: unknown;
  receivedAt: Date;
}

/**
 * A real HTTP server on a local port, for tests of Lantern's webhooks: records every POST, answers
 * 204, or a chosen failure status (`answerWith(503)`). `stop()` then `start(port)` again is a
 * receiver that was down and came back. `verify(message, secret)` checks the signature the way
 * docs/alert-notifications.md tells integrators to.
 */
export async function startWebhookReceiver(port = 0) {
  const messages: ReceivedWebhook[] = [];
  let status = 204;
  const server = createServer((request, response) => {
    let rawBody = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (rawBody += chunk));
    request.on("end", () => {
      if (status >= 200 && status < 300) {
        const header = (name: string) => (request.headers[name] as string | undefined) ?? null;
        messages.push({
          path: request.url ?? "/",
          headers: { timestamp: header(TIMESTAMP_HEADER), signature: header(SIGNATURE_HEADER), delivery: header(DELIVERY_HEADER), contentType: header("content-type") },
          rawBody,
          body: JSON.parse(rawBody) as unknown,
          receivedAt: new Date(),
        });
      }
      response.writeHead(status).end();
    });
  });
  const listen = (on: number) => new Promise<number>((resolve) => server.listen(on, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
  let boundPort = await listen(port);
  return {
    messages,
    get url() {
      return `http://127.0.0.1:${boundPort}/lantern-hook`;
    },
    answerWith(next: number) {
      status = next;
    },
    verify(message: ReceivedWebhook, secret: string, now = message.receivedAt): boolean {
      return verifyWebhook(secret, message.headers, message.rawBody, now);
    },
    async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`the webhook receiver got ${messages.length} of ${count} messages in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return messages;
    },
    async start() {
      boundPort = await listen(boundPort);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
