import "server-only";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { dataDirectory, environment } from "@/lib/config";

/**
 * The one way Lantern sends email. Messages carry the least health data that works
 * (PRIVACY-SECURITY.md): a link and a reference, never glucose values, and no names in subjects.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where a message went: the SMTP server's message id, or the .eml file written instead. */
export type MailReceipt = { via: "smtp"; messageId: string } | { via: "file"; path: string };

let transport: { key: string; transporter: Transporter } | undefined;

function transporterFor(smtpUrl: string | undefined): Transporter {
  const key = smtpUrl ?? "file";
  if (transport?.key !== key) {
    transport?.transporter.close();
    transport = {
      key,
      // Without a server the message is built exactly as it would be sent and kept as a file.
      transporter: smtpUrl ? nodemailer.createTransport(smtpUrl) : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }),
    };
  }
  return transport.transporter;
}

/** Sends one message; throws when the SMTP server refuses it (the caller's outbox retries). */
export async function sendMail(message: MailMessage): Promise<MailReceipt> {
  const { LANTERN_SMTP_URL, LANTERN_MAIL_FROM } = environment();
  const info = await transporterFor(LANTERN_SMTP_URL).sendMail({ from: LANTERN_MAIL_FROM, to: message.to, subject: message.subject, text: message.text });
  if (LANTERN_SMTP_URL) return { via: "smtp", messageId: info.messageId };
  const folder = path.join(dataDirectory(), "mail");
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, `${new Date().toISOString().replace(/[:.]/g, "-")}-${info.messageId.replace(/[^a-zA-Z0-9.@-]/g, "")}.eml`);
  // The stream transport hands back the whole message it would have sent.
  await writeFile(file, (info as unknown as { message: Buffer }).message, { mode: 0o600 });
  return { via: "file", path: file };
}
