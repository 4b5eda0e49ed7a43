import "server-only";
import { logUnexpected } from "@/lib/log";
import { escalateOverdueAlerts } from "./escalation";

const globalForWatcher = globalThis as typeof globalThis & { lanternAlertWatcher?: NodeJS.Timeout };

/**
 * The periodic alert jobs, started once per server process: escalation of unacknowledged urgent
 * alerts. Each is safe with several processes (the database decides who does what), so every
 * process runs them and none is special.
 */
export function startAlertWatcher(intervalMs = 30_000): void {
  if (globalForWatcher.lanternAlertWatcher) return;
  let running = false;
  globalForWatcher.lanternAlertWatcher = setInterval(() => {
    if (running) return;
    running = true;
    escalateOverdueAlerts()
      .catch((error: unknown) => logUnexpected("alert-watch", null, error))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  globalForWatcher.lanternAlertWatcher.unref();
}
