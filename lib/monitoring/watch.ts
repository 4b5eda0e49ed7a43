import "server-only";
import { startPeriodicJob } from "@/lib/periodic";
import { escalateOverdueAlerts } from "./escalation";
import { openNoDataAlerts } from "./no-data";

/**
 * The periodic alert jobs, started once per server process: escalation of unacknowledged urgent
 * alerts, and no-data alerts for monitored feeds gone silent. Each is safe with several processes
 * (the database decides who does what), so every process runs them and none is special.
 */
export function startAlertWatcher(intervalMs = 30_000): void {
  startPeriodicJob("escalation", intervalMs, () => escalateOverdueAlerts());
  startPeriodicJob("no-data", intervalMs, () => openNoDataAlerts());
}
