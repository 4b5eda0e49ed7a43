/**
 * Runs at most `concurrency` tasks at a time, the rest waiting in arrival order. Password hashing
 * goes through one (lib/security/password-hashing.ts): argon2 runs on libuv's small thread pool,
 * which file reads, DNS and other crypto share, so a flood of sign-ins left unbounded would make
 * every other request wait behind it.
 */
export class BoundedQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Tasks started since the queue was made: tests read it to prove work was not done. */
  started = 0;

  constructor(readonly concurrency: number) {}

  get pending(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    this.started += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next task, so `running` never counts it twice.
      if (next) next();
      else this.running -= 1;
    }
  }
}
