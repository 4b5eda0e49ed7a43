/**
 * Shared pieces of the benchmark scripts: a fresh PostgreSQL database, a production server on it,
 * its memory (the whole process tree), sign-in, and percentiles. Benchmarks print figures; they
 * never pass or fail on time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import postgres from "postgres";

/** One session secret for the bench script and the servers it starts: the script seals TOTP secrets the servers must open. */
const benchAuthSecret = (process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url"));

export const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export async function freshDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lantern_bench_${label}_${Date.now()}_${randomBytes(2).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface RunningServer {
  baseUrl: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

export async function startServer(databaseUrl: string, port: number): Promise<RunningServer> {
  if (!existsSync(".next/BUILD_ID")) throw new Error("No production build: run `npm run build` first.");
  // BENCH_SERVER_NODE_ARGS profiles the server alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  // server.mjs, as `npm start` runs it in production (client addresses, request ids, JSON logs).
  const child = spawn(process.execPath, [...nodeArgs, "server.mjs"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, AUTH_SECRET: benchAuthSecret, LANTERN_DEMO_SEED: "false", LANTERN_API_REQUESTS_PER_MINUTE: "100000", NODE_ENV: "production", PORT: String(port), HOSTNAME: "127.0.0.1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${baseUrl}/sign-in`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Resident memory of a process and all its descendants, in MB (Linux /proc). */
export function treeRssMb(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // exited meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let kb = 0;
  for (const pid of tree) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return Math.round(kb / 1024);
}

/** Samples a value every `intervalMs` until stopped; returns the samples. */
export function sampleEvery(intervalMs: number, read: () => number): { stop: () => number[] } {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(read()), intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      samples.push(read());
      return samples;
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Signs in through next-auth's credentials endpoint (with `otp`, the second factor, when given) and returns the session cookie header. */
export async function signInCookie(baseUrl: string, email: string, password: string, otp?: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, ...(otp ? { otp } : {}), callbackUrl: "/" }),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
  if (!session) throw new Error(`Sign-in failed (${response.status})`);
  return session.split(";")[0]!;
}
