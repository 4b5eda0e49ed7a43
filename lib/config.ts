import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type DataKeyring, generateDataKeyEntry, parseDataKeys } from "./security/data-encryption";

const PUBLIC_URL_MESSAGE = "LANTERN_PUBLIC_URL must be the site's address as clients reach it, http(s) with no path, e.g. https://lantern.example.org";

/** An http(s) origin and nothing else: no path (a trailing slash is fine), query, fragment or credentials. */
function isBareOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return /^https?:$/.test(url.protocol) && url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
}

/** Ages of digital consent by jurisdiction: UK GDPR Art 8 (13), GDPR Art 8 default (16), COPPA (13). */
export const DIGITAL_CONSENT_PRESETS = { UK: 13, EU: 16, US: 13 } as const;

/** The outbound allowlist when none is configured: this machine only. */
export const LOOPBACK_ALLOWLIST: readonly { pattern: string; region: string }[] = [
  { pattern: "localhost", region: "this server" },
  { pattern: "127.0.0.1", region: "this server" },
  { pattern: "[::1]", region: "this server" },
];

/**
 * The environment, parsed once. A bad value stops the program with a sentence saying what to do.
 * No `server-only` here: the seed and test scripts read the same configuration.
 */
const environmentSchema = z.object({
  DATABASE_URL: z
    .url({ message: "DATABASE_URL must be a postgres:// URL, or unset to use the embedded database" })
    .optional(),
  LANTERN_DATA_DIR: z.string().min(1).default(".data"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (try: openssl rand -base64 32)").optional(),
  // Seed demo data into an empty database. Defaults to on for the embedded database only.
  LANTERN_DEMO_SEED: z.enum(["true", "false"]).optional(),
  // Minutes without a request after which a session ends (HIPAA automatic logoff): patients and
  // guardians, then clinicians, admins and privacy officers (who sit at shared clinic computers).
  LANTERN_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  LANTERN_CLINICAL_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  LANTERN_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  // Readings dated before this day are refused as a clock that was never set (docs/decisions/007).
  // Episodes that began longer ago than this when found (a file uploaded days later) page nobody.
  LANTERN_ALERT_HORIZON_HOURS: z.coerce.number().min(1).max(24 * 30).default(24),
  // Benchmarks only (npm run bench:alerts measures ingest without alerts as its baseline): `off`
  // stores readings without evaluating alerts, so nobody would be alerted. Never set it elsewhere.
  LANTERN_BENCH_ALERT_EVALUATION: z.enum(["on", "off"], { message: "LANTERN_BENCH_ALERT_EVALUATION is for benchmarks only: leave it unset (on)" }).default("on"),
  // An urgent alert nobody acknowledged within this many minutes goes to the whole care team.
  LANTERN_ESCALATION_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  // A monitored feed silent longer than this raises a no-data alert (CGM, then fingerstick meters).
  LANTERN_NO_DATA_CGM_HOURS: z.coerce.number().min(1).max(24 * 14).default(6),
  LANTERN_NO_DATA_METER_HOURS: z.coerce.number().min(1).max(24 * 60).default(72),
  LANTERN_READINGS_FLOOR: z.iso.date({ message: "LANTERN_READINGS_FLOOR must be a date such as 2005-01-01" }).default("2005-01-01"),
  // The address clients use (behind a reverse proxy: the proxy's). Every absolute URL Lantern hands
  // out is built on it, and a SMART client assertion must name its token URL. Unset: each
  // request's own origin (local use only: the Host header then chooses it).
  // Where Lantern's email goes (invitations, password links, alert notifications): smtp:// or
  // smtps:// with credentials in the URL. Unset: each message is written as an .eml file to
  // <LANTERN_DATA_DIR>/mail, for a demo or a laptop with no mail server.
  LANTERN_SMTP_URL: z
    .url({ message: "LANTERN_SMTP_URL must be smtp://user:password@host:port or smtps://…" })
    .refine((value) => /^smtps?:$/.test(new URL(value).protocol), { message: "LANTERN_SMTP_URL must start with smtp:// or smtps://" })
    .optional(),
  LANTERN_MAIL_FROM: z.string().min(3).default("Lantern <no-reply@lantern.invalid>"),
  // Reverse proxies in front of Lantern that append the client's address to X-Forwarded-For.
  // 0: clients connect directly and the socket's address is theirs; the header is never read.
  LANTERN_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Requests a minute each device token, and each uploader API secret or access token, may make;
  // more are refused with 429 and Retry-After, before anything is stored.
  LANTERN_API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  // Where to report a vulnerability, published in /.well-known/security.txt (RFC 9116):
  // a mailto: or https: URL. Unset: security.txt answers 404.
  LANTERN_SECURITY_CONTACT: z
    .string()
    .regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, { message: "LANTERN_SECURITY_CONTACT must be mailto:someone@example.org or an https:// URL" })
    .optional(),
  // How long the emailed link to set one's own password works (staff and guardians are invited).
  LANTERN_INVITATION_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(72),
  // A Bulk Data export whose process stopped renewing its lease for this long (the process died)
  // is taken over by another server process.
  LANTERN_BULK_EXPORT_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  // How long an emailed password-reset link works, and the link that confirms a new account's email.
  LANTERN_PASSWORD_RESET_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  LANTERN_EMAIL_VERIFICATION_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(48),
  // How long break-glass read access to one patient lasts.
  LANTERN_BREAK_GLASS_HOURS: z.coerce.number().min(0.25).max(24).default(2),
  // The age below which a child cannot consent alone to optional purposes (GDPR/UK GDPR Art 8,
  // COPPA): a preset (UK 13, EU 16, US 13) or a number of years from 13 to 16.
  LANTERN_DIGITAL_CONSENT_AGE: z
    .string()
    .default("EU")
    .transform((value, context) => {
      const preset = DIGITAL_CONSENT_PRESETS[value.toUpperCase() as keyof typeof DIGITAL_CONSENT_PRESETS];
      if (preset !== undefined) return preset;
      const years = Number(value);
      if (Number.isInteger(years) && years >= 13 && years <= 16) return years;
      context.addIssue({ code: "custom", message: "LANTERN_DIGITAL_CONSENT_AGE must be UK, EU, US or a whole number of years from 13 to 16" });
      return z.NEVER;
    }),
  // Birthdays at which a child's guardian access is reviewed: the care team gets a task (comma-separated years).
  LANTERN_PROXY_REVIEW_AGES: z
    .string()
    .default("11,16")
    .transform((value, context) => {
      const ages = value.split(",").map((part) => part.trim()).filter(Boolean).map(Number);
      if (ages.some((age) => !Number.isInteger(age) || age < 1 || age > 17)) {
        context.addIssue({ code: "custom", message: "LANTERN_PROXY_REVIEW_AGES must be whole years under 18 separated by commas, e.g. 11,16" });
        return z.NEVER;
      }
      return [...new Set(ages)].sort((a, b) => a - b);
    }),
  // Where Lantern may send data (hospital FHIR endpoints, webhooks): comma-separated host patterns
  // with the region data goes to, e.g. `*.nhs.uk=UK,fhir.example.org=EU`. `*.` matches any
  // subdomain. Unset: only this machine (localhost, 127.0.0.1, [::1]).
  LANTERN_OUTBOUND_ALLOWLIST: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === "") return LOOPBACK_ALLOWLIST;
      const entries = value.split(",").map((entry) => entry.trim()).filter(Boolean);
      const parsed = entries.map((entry) => /^((?:\*\.)?[a-z0-9.-]+|\[[0-9a-f:]+\])=([A-Za-z][A-Za-z0-9 -]{0,40})$/i.exec(entry));
      if (parsed.some((match) => match === null)) {
        context.addIssue({ code: "custom", message: "LANTERN_OUTBOUND_ALLOWLIST must be host=REGION pairs separated by commas, e.g. *.nhs.uk=UK,fhir.example.org=EU" });
        return z.NEVER;
      }
      return parsed.map((match) => ({ pattern: match![1]!.toLowerCase(), region: match![2]! }));
    }),
  // The keys that encrypt direct identifiers and stored credentials at rest (docs/privacy.md):
  // comma-separated id=key pairs, each key 32 random bytes in base64 (`npm run admin -- data-keys:new`
  // makes one); the first seals new values, the others still open what they sealed. Unset: a key
  // generated into <LANTERN_DATA_DIR>/data-keys on first start (with PostgreSQL, set it instead).
  LANTERN_DATA_KEYS: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === "") return undefined;
      try {
        return parseDataKeys(value, "LANTERN_DATA_KEYS");
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  LANTERN_PUBLIC_URL: z
    .string()
    .refine(isBareOrigin, { message: PUBLIC_URL_MESSAGE })
    .transform((value) => new URL(value).origin)
    .optional(),
});

export type Environment = z.infer<typeof environmentSchema>;

let parsed: Environment | undefined;

export function environment(): Environment {
  parsed ??= parseEnvironment(process.env);
  return parsed;
}

/** The configuration in `variables`, or an Error listing every bad value with what to do. */
export function parseEnvironment(variables: Record<string, string | undefined>): Environment {
  const result = environmentSchema.safeParse(variables);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Lantern cannot start, the environment is invalid:\n${problems.join("\n")}`);
  }
  return result.data;
}

export function dataDirectory(): string {
  return path.resolve(environment().LANTERN_DATA_DIR);
}

/**
 * The session signing secret. With PostgreSQL (a real deployment) it must come from the
 * environment; the embedded mode generates one per installation on first start, so a newcomer
 * needs no set-up and no two installations share a secret.
 */
export function authSecret(): string {
  const env = environment();
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (env.DATABASE_URL) {
    throw new Error("AUTH_SECRET is not set. With DATABASE_URL, set AUTH_SECRET to a random value of 32+ characters (openssl rand -base64 32).");
  }
  const file = path.join(dataDirectory(), "auth-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(dataDirectory(), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  }
}

/** Where the data keys live when LANTERN_DATA_KEYS is unset. */
export function dataKeysFile(): string {
  return path.join(dataDirectory(), "data-keys");
}

let keyring: DataKeyring | undefined;

/**
 * The keys of encryption at rest: LANTERN_DATA_KEYS, else the data-keys file in the data folder,
 * generated (mode 0600) on first start. The embedded mode needs nothing more; a PostgreSQL
 * deployment should set LANTERN_DATA_KEYS from its secret store, so that every server process
 * holds the same keys and the keys are not on the disk beside the database (a loud warning says so).
 */
export function dataKeyring(): DataKeyring {
  if (keyring) return keyring;
  const env = environment();
  if (env.LANTERN_DATA_KEYS) return (keyring = env.LANTERN_DATA_KEYS);
  const file = dataKeysFile();
  if (env.DATABASE_URL) {
    console.warn(
      `WARNING: LANTERN_DATA_KEYS is not set. Patients' record numbers and stored credentials (hospital bearer tokens, webhook signing secrets) are encrypted with the key in ${file}; ` +
        "every server process needs that same key, and losing it loses those values. In production set LANTERN_DATA_KEYS (docs/privacy.md, encryption at rest).",
    );
  }
  return (keyring = dataKeysFromFile(file));
}

/** Drops the cached keys, so the next use reads them again (after a rotation in the same process). */
export function forgetDataKeyring(): void {
  keyring = undefined;
}

/** The keys in `file`, which is created (mode 0600, one new key) when it does not exist. */
export function dataKeysFromFile(file: string): DataKeyring {
  return parseDataKeys(readOrCreateKeysFile(file), file);
}

function readOrCreateKeysFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${generateDataKeyEntry()}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    return readFileSync(file, "utf8");
  }
}
