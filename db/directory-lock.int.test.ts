import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openEmbedded } from "./client";
import { acquireDirectoryLock } from "./directory-lock";

const lockModule = path.join(import.meta.dirname, "directory-lock.ts");
const clientModule = path.join(import.meta.dirname, "client.ts");
const refusal = (holderPid: number) => `folder is held by Lantern process ${holderPid}`;

let folder: string;
let lockFile: string;
const releases: (() => void)[] = [];

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "lantern-lock-"));
  lockFile = path.join(folder, "lantern.lock");
});

afterEach(() => {
  for (const release of releases.splice(0)) release();
  rmSync(folder, { recursive: true, force: true });
});

function acquire(): () => void {
  const release = acquireDirectoryLock(folder, refusal);
  releases.push(release);
  return release;
}

/** Another Node process trying to lock the same folder; it prints its pid once it holds the lock. */
function lockFromAnotherProcess() {
  return runInAnotherProcess(`
    const { acquireDirectoryLock } = await import(${JSON.stringify(lockModule)});
    acquireDirectoryLock(${JSON.stringify(folder)}, (pid) => "folder is held by Lantern process " + pid);
    console.log("locked by " + process.pid);
  `);
}

function runInAnotherProcess(code: string) {
  // The data layer is server-only; under the react-server condition (as scripts run) that is a no-op.
  return spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "-e", code], { encoding: "utf8", timeout: 20_000 });
}

describe("acquireDirectoryLock", () => {
  it("writes this process's pid into the lock file", () => {
    acquire();

    expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid));
  });

  it("refuses a second process while this one holds the folder, naming the holder", () => {
    acquire();

    const child = lockFromAnotherProcess();

    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain(`folder is held by Lantern process ${process.pid}`);
    expect(child.stdout).not.toContain("locked by");
    expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid));
  });

  it("lets the other process in once this one releases, and the lock goes with it when it exits", () => {
    const release = acquire();
    release();
    expect(existsSync(lockFile)).toBe(false);

    const child = lockFromAnotherProcess();

    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/locked by \d+/);
    expect(existsSync(lockFile)).toBe(false);
  });

  it("refuses a second lock within the same process", () => {
    acquire();

    expect(() => acquireDirectoryLock(folder, refusal)).toThrow(`folder is held by Lantern process ${process.pid}`);
  });

  it.each([
    { left: "a process that is gone", content: "999999" },
    { left: "an earlier process that had this pid", content: String(process.pid) },
  ])("takes over a lock file left by $left", ({ content }) => {
    writeFileSync(lockFile, content);

    acquire();

    expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid));
  });

  it("leaves a lock file alone on release when another process has since taken it", () => {
    const release = acquire();
    writeFileSync(lockFile, "999999");

    release();

    expect(readFileSync(lockFile, "utf8")).toBe("999999");
  });

  it("keeps a second process out of an open embedded database, telling it what to do", async () => {
    const handle = openEmbedded(folder);
    try {
      const child = runInAnotherProcess(`
        const { openEmbedded } = await import(${JSON.stringify(clientModule)});
        openEmbedded(${JSON.stringify(folder)});
        console.log("opened");
      `);

      expect(child.status).not.toBe(0);
      expect(child.stderr).toContain(`already open in another Lantern process (pid ${process.pid})`);
      expect(child.stderr).toContain("DATABASE_URL");
      expect(child.stdout).not.toContain("opened");
    } finally {
      await handle.close();
    }
    expect(existsSync(lockFile)).toBe(false);
  }, 60_000);
});
