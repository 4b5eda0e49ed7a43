import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A message as the receiving SMTP server got it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/**
 * A real SMTP server on a free local port, for tests of what Lantern sends: no authentication, no
 * TLS, every message parsed and kept in order (and handed to `onMessage`). `url` is what
 * LANTERN_SMTP_URL should be.
 */
export async function startSmtpReceiver(onMessage?: (message: ReceivedMail) => void): Promise<{ url: string; messages: ReceivedMail[]; waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>; stop(): Promise<void> }> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const message = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
          };
          messages.push(message);
          onMessage?.(message);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const bound = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    messages,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`the SMTP receiver got ${messages.length} of ${count} messages in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return messages;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
