import "server-only";
import { logUnexpected } from "@/lib/log";
import { escalateOverdueAlerts } from "./escalation";
import { openNoDataAlerts } from "./no-data";

const globalForWatcher = globalThis as typeof globalThis & { lanternAlertWatcher?: NodeJS.Timeout };

/**
 * The periodic alert jobs, started once per server process: escalation of unacknowledged urgent
 * alerts, and no-data alerts for monitored feeds gone silent. Each is safe with several processes
 * (the database decides who does what), so every process runs them and none is special.
 */
export function startAlertWatcher(intervalMs = 30_000): void {
  if (globalForWatcher.lanternAlertWatcher) return;
  let running = false;
  const job = (name: string, work: () => Promise<number>) => work().catch((error: unknown) => logUnexpected(name, null, error));
  globalForWatcher.lanternAlertWatcher = setInterval(() => {
    if (running) return;
    running = true;
    void job("escalation", () => escalateOverdueAlerts())
      .then(() => job("no-data", () => openNoDataAlerts()))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  globalForWatcher.lanternAlertWatcher.unref();
}
