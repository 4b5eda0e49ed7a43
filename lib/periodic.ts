import { logUnexpected } from "./log";

/**
 * The background jobs every server process runs (the push and notification outboxes, the alert
 * watcher, the retention sweep): each is started once per process, never runs two rounds at once,
 * logs a failed round and tries again at the next tick. The database decides who does what, so
 * every process runs every job and none is special.
 */
interface PeriodicJob {
  timer: NodeJS.Timeout;
  round: Promise<unknown> | undefined;
}

const globalForJobs = globalThis as typeof globalThis & { lanternPeriodicJobs?: Map<string, PeriodicJob> };
const jobs = (globalForJobs.lanternPeriodicJobs ??= new Map());

export function startPeriodicJob(name: string, intervalMs: number, round: () => Promise<unknown>, options: { runAtStart?: boolean } = {}): void {
  if (jobs.has(name)) return;
  const job: PeriodicJob = { timer: setInterval(() => tick(), intervalMs), round: undefined };
  const tick = () => {
    if (job.round) return;
    job.round = round()
      .catch((error: unknown) => logUnexpected(name, null, error))
      .finally(() => {
        job.round = undefined;
      });
  };
  job.timer.unref();
  jobs.set(name, job);
  if (options.runAtStart) tick();
}

/** At shutdown: starts no new round of any job and waits for the rounds under way, so none is cut off. */
export async function stopPeriodicJobs(): Promise<void> {
  const running = [...jobs.values()];
  for (const job of running) clearInterval(job.timer);
  jobs.clear();
  await Promise.all(running.map((job) => job.round));
}
