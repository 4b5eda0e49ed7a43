export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareDatabaseOrExit } = await import("./lib/start-up");
  await prepareDatabaseOrExit();
  // Every server process delivers the push outbox; SKIP LOCKED keeps them from sending one entry twice.
  const { startPushWorker } = await import("./lib/fhir/push/outbox");
  startPushWorker();
  // And purges what has outlived its retention (docs/privacy-data.md); an advisory lock keeps sweeps one at a time.
  const { startRetentionJob } = await import("./lib/privacy/retention");
  startRetentionJob();
  // Likewise the notification outbox (alert webhooks and email).
  const { startNotificationWorker } = await import("./lib/monitoring/notifications");
  startNotificationWorker();
  // And the periodic alert jobs (escalation, silent feeds), each safe with several processes.
  const { startAlertWatcher } = await import("./lib/monitoring/watch");
  startAlertWatcher();
  // And the proxy reviews at children's birthdays, created once each by a unique index.
  const { startProxyReviewJob } = await import("./lib/people/proxy-reviews");
  startProxyReviewJob();
  // And Bulk Data exports whose server died: another process takes each over once its lease runs out.
  const { startBulkExportTakeover } = await import("./lib/fhir/server/bulk-export");
  startBulkExportTakeover();
  // server.mjs calls this on SIGTERM once the last request is answered (docs/security.md).
  const { shutDown } = await import("./lib/start-up");
  (globalThis as Record<symbol, unknown>)[Symbol.for("lantern.shutdown")] = shutDown;
}
