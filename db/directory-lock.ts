import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

// Locks this process holds, across Next.js module graphs. A lock file naming our own pid that is
// not in this set was left by an earlier process that happened to have the same pid (containers).
const heldLocks: Set<string> = ((globalThis as { lanternHeldLocks?: Set<string> }).lanternHeldLocks ??= new Set());

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Claims a folder for this process with a lock file holding its pid. The file is written under a
 * unique name and hard-linked into place, so it never exists empty and only one process can
 * create it. A lock whose process is gone is moved aside and the claim retried.
 */
export function acquireDirectoryLock(folder: string, refusal: (holderPid: number) => string): () => void {
  const lockFile = path.join(folder, "lantern.lock");
  const candidate = `${lockFile}.${process.pid}.${Date.now()}`;
  writeFileSync(candidate, String(process.pid), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(candidate, lockFile);
        heldLocks.add(lockFile);
        const release = () => {
          process.off("exit", release);
          heldLocks.delete(lockFile);
          try {
            if (readFileSync(lockFile, "utf8") === String(process.pid)) unlinkSync(lockFile);
          } catch {
            // Already gone: nothing to release.
          }
        };
        process.once("exit", release);
        return release;
      } catch (error) {
        if (errorCode(error) !== "EEXIST") throw error;
      }
      let holderText: string;
      try {
        holderText = readFileSync(lockFile, "utf8");
      } catch (error) {
        if (errorCode(error) === "ENOENT") continue; // released meanwhile: claim again
        throw error;
      }
      const holder = Number.parseInt(holderText, 10);
      const heldByOtherProcess = holder !== process.pid && isAlive(holder);
      if (Number.isInteger(holder) && (heldByOtherProcess || heldLocks.has(lockFile))) {
        throw new Error(refusal(holder));
      }
      // Stale: move it aside under a unique name, so two processes never remove each other's new lock.
      try {
        renameSync(lockFile, `${lockFile}.stale.${process.pid}.${attempt}`);
        unlinkSync(`${lockFile}.stale.${process.pid}.${attempt}`);
      } catch (error) {
        if (errorCode(error) !== "ENOENT") throw error;
      }
    }
    throw new Error(`Could not lock ${folder}; remove ${lockFile} if no Lantern process is running.`);
  } finally {
    unlinkSync(candidate);
  }
}
