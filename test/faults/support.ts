/**
 * What the fault tests share: a production server (server.mjs on the `next build` output) started
 * as a child process that a test can kill, a fresh PostgreSQL database, a throwaway PostgreSQL
 * cluster a test may restart, and simulated meters that retry every batch not acknowledged.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

const root = path.resolve(import.meta.dirname, "../..");

/** Why the fault tests cannot run here, or null when they can. */
export function missingPrerequisite(): string | null {
  if (!process.env.DATABASE_URL) return "the fault tests need real PostgreSQL: set DATABASE_URL (npm test and .ci/run do) to run them";
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) return "the fault tests run the production server: run `npm run build` first (npm run test:e2e does)";
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A new database on the server `serverUrl` names (DATABASE_URL's by default); `drop()` removes it. */
export async function freshDatabase(label: string, serverUrl = process.env.DATABASE_URL!): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lantern_faults_${label}_${Date.now()}_${randomBytes(2).toString("hex")}`;
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

export interface LanternServer {
  baseUrl: string;
  process: ChildProcess;
  /** Every line the server printed (stdout and stderr), in order. */
  lines: string[];
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** server.mjs as `npm start` runs it, on its own port; resolves once /healthz answers. */
export async function startLanternServer(options: { databaseUrl: string; port: number; authSecret: string; env?: Record<string, string> }): Promise<LanternServer> {
  const child = spawn(process.execPath, ["server.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      AUTH_SECRET: options.authSecret,
      PORT: String(options.port),
      HOSTNAME: "127.0.0.1",
      LANTERN_DEMO_SEED: "false",
      LANTERN_API_REQUESTS_PER_MINUTE: "100000",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${options.port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  await waitUntil(`the server on port ${options.port} to answer /healthz`, async () => {
    if (gone) throw new Error(`The server on port ${options.port} exited while starting:\n${lines.slice(-20).join("\n")}`);
    try {
      return (await fetch(`${baseUrl}/healthz`)).ok;
    } catch {
      return false;
    }
  }, 120_000);
  return {
    baseUrl,
    process: child,
    lines,
    async kill(signal) {
      if (gone) return;
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * A PostgreSQL cluster of its own (initdb as the `postgres` user from the server binaries), which
 * a test may stop and start again without touching anyone else's server.
 */
export interface ThrowawayCluster {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

function pgBinDir(): string | null {
  for (const version of ["15", "16", "17", "14"]) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(path.join(dir, "initdb"))) return dir;
  }
  return null;
}

export function throwawayClusterUnavailable(): string | null {
  if (!pgBinDir()) return "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)";
  if (process.getuid?.() === 0 && spawnSync("id", ["-u", "postgres"]).status !== 0) return "no `postgres` user to run a throwaway cluster as";
  return null;
}

export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = pgBinDir()!;
  const asRoot = process.getuid?.() === 0;
  const directory = mkdtempSync(path.join(os.tmpdir(), "lantern-faults-pg-"));
  if (asRoot) {
    const uid = Number(spawnSync("id", ["-u", "postgres"]).stdout.toString());
    const gid = Number(spawnSync("id", ["-g", "postgres"]).stdout.toString());
    chownSync(directory, uid, gid);
  }
  const run = (command: string, args: string[]) => {
    const result = asRoot ? spawnSync("runuser", ["-u", "postgres", "--", path.join(bin, command), ...args], { cwd: directory }) : spawnSync(path.join(bin, command), args, { cwd: directory });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.toString()}${result.stdout.toString()}`);
  };
  const port = await freePort();
  run("initdb", ["-D", `${directory}/data`, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"]);
  const settings = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => run("pg_ctl", ["-D", `${directory}/data`, "-l", `${directory}/postgres.log`, "-w", "-t", "60", "-o", settings, "start"]);
  const stop = () => run("pg_ctl", ["-D", `${directory}/data`, "-m", "fast", "-w", "-t", "60", "stop"]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      if (existsSync(`${directory}/data/postmaster.pid`)) {
        try {
          run("pg_ctl", ["-D", `${directory}/data`, "-m", "immediate", "-w", "-t", "30", "stop"]);
        } catch {
          // already stopped
        }
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** One reading as a meter sends it. */
export interface SentReading {
  time: string;
  value: number;
  unit: "mg/dL";
  seq: number;
}

export interface MeterRun {
  /** Readings the server acknowledged (200 with every reading accepted or a duplicate). */
  acknowledged: SentReading[];
  /** Status of every answer that was not 200, and network failures as 0. */
  failures: Array<{ status: number; retryAfter: string | null; error?: string }>;
}

/**
 * A connected meter that uploads `batches` batches of `perBatch` readings one after another and
 * sends a batch again, after Retry-After (or a short pause), until the server acknowledges it: what
 * docs/device-api.md asks of a meter. `baseUrls` are tried in turn (a load balancer in front of
 * several servers); `values(i)` chooses the i-th reading's value.
 */
export async function runMeter(options: {
  token: string;
  baseUrls: () => string[];
  batches: number;
  perBatch: number;
  start: Date;
  stepMinutes?: number;
  values?: (index: number) => number;
  pauseMs?: number;
  deadlineMs?: number;
}): Promise<MeterRun> {
  const run: MeterRun = { acknowledged: [], failures: [] };
  const step = (options.stepMinutes ?? 5) * 60_000;
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  let attempt = 0;
  for (let batch = 0; batch < options.batches; batch++) {
    const readings: SentReading[] = Array.from({ length: options.perBatch }, (_, i) => {
      const index = batch * options.perBatch + i;
      return { time: new Date(options.start.getTime() + index * step).toISOString(), value: options.values?.(index) ?? 100 + (index % 80), unit: "mg/dL", seq: index };
    });
    for (;;) {
      if (Date.now() > deadline) throw new Error(`A meter gave up: batch ${batch} was never acknowledged.`);
      const urls = options.baseUrls();
      const baseUrl = urls[attempt++ % urls.length]!;
      let retryAfterMs = 100;
      try {
        const response = await fetch(`${baseUrl}/api/devices/readings`, {
          method: "POST",
          headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
          body: JSON.stringify({ readings }),
          signal: AbortSignal.timeout(15_000),
        });
        if (response.status === 200) {
          const answer = (await response.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
          if (answer.rejected.length || answer.accepted + answer.duplicates !== readings.length) throw new Error(`A batch came back with rejections: ${JSON.stringify(answer)}`);
          run.acknowledged.push(...readings);
          break;
        }
        await response.body?.cancel();
        const retryAfter = response.headers.get("retry-after");
        run.failures.push({ status: response.status, retryAfter });
        if (retryAfter) retryAfterMs = Math.min(Number(retryAfter) * 1000, 1000);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith("A batch came back")) throw error;
        run.failures.push({ status: 0, retryAfter: null, error: error instanceof Error ? `${error.name}: ${error.message} ${String((error.cause as Error | undefined)?.message ?? "")}` : String(error) });
      }
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
    }
    if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
  return run;
}
