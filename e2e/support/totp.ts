import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generate } from "otplib";

const PERIOD_MS = 30_000;
/** Which TOTP time step each account last used, shared by the parallel workers of one run. */
const ledgerFile = path.join(import.meta.dirname, "..", "..", "test-results", "e2e-totp-steps.json");
const lockDirectory = `${ledgerFile}.lock`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` holding a lock directory; a lock held longer than `staleMs` belongs to a worker that died holding it. */
async function withLock<T>(directory: string, staleMs: number, work: () => T | Promise<T>): Promise<T> {
  mkdirSync(path.dirname(directory), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(directory);
      break;
    } catch {
      if (Date.now() - started > staleMs) rmSync(directory, { recursive: true, force: true });
      await sleep(50);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const withLedgerLock = <T>(work: () => T) => withLock(lockDirectory, 5_000, work);

/**
 * One sign-in with a code at a time per account, across workers: the server refuses a code of a
 * step at or before the last one it accepted, so two workers must not submit their codes out of
 * the order in which they took their steps. Hold the turn from taking the code to the landing page.
 */
export function withAccountTurn<T>(email: string, work: () => Promise<T>): Promise<T> {
  const turn = `${ledgerFile}.${email.toLowerCase().replace(/[^a-z0-9]/g, "_")}.turn`;
  return withLock(turn, 90_000, work);
}

function readLedger(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(ledgerFile, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

/**
 * A TOTP code for `email` that Lantern has not seen yet. The server refuses a code of a time step
 * at or before the last one it accepted (replay), and accepts one step either side of now; so
 * parallel workers signing in as the same account take turns through a ledger of used steps,
 * using the current step, then the next one, then waiting for time to catch up.
 */
export async function freshTotpCode(email: string, secret: string): Promise<string> {
  for (;;) {
    const step = await withLedgerLock(() => {
      const ledger = readLedger();
      const current = Math.floor(Date.now() / PERIOD_MS);
      const candidate = Math.max((ledger[email] ?? 0) + 1, current);
      if (candidate > current + 1) return null;
      writeFileSync(ledgerFile, JSON.stringify({ ...ledger, [email]: candidate }));
      return candidate;
    });
    if (step !== null) return generate({ secret, epoch: step * (PERIOD_MS / 1000) });
    await sleep(PERIOD_MS - (Date.now() % PERIOD_MS) + 200);
  }
}

/** Secrets of accounts whose authenticator a spec set up in the browser, by email. */
const enrolledSecrets = new Map<string, string>();

export function rememberTotpSecret(email: string, secret: string): void {
  enrolledSecrets.set(email.toLowerCase(), secret);
}

export function rememberedTotpSecret(email: string): string | undefined {
  return enrolledSecrets.get(email.toLowerCase());
}
