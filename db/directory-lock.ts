import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from "node:fs";
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

/**
 * Claims a folder for this process with a pid file created exclusively (O_EXCL). A lock left by a
 * process that no longer runs is taken over. Returns the release function.
 */
export function acquireDirectoryLock(folder: string, refusal: (holderPid: number) => string): () => void {
  const lockFile = path.join(folder, "lantern.lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockFile, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldLocks.add(lockFile);
      const release = () => {
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
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
      const heldByOtherProcess = holder !== process.pid && isAlive(holder);
      if (Number.isInteger(holder) && (heldByOtherProcess || heldLocks.has(lockFile))) {
        throw new Error(refusal(holder));
      }
      unlinkSync(lockFile); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${folder}; remove ${lockFile} if no Lantern process is running.`);
}
