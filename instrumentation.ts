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
}
