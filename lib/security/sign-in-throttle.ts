/**
 * Sign-in throttling (NIST SP 800-63B-4 §3.2.2, ASVS 6.3.1): growing delays per account after a
 * few failures, a lock at 100 consecutive failures, and a per-address window. Pure: the caller
 * passes the clock.
 */
export const FREE_FAILURES = 5;
export const LOCK_AFTER_FAILURES = 100;
const MAX_DELAY_SECONDS = 15 * 60;

/** Seconds an account must rest after its latest failure before the next attempt is checked. */
export function accountDelaySeconds(consecutiveFailures: number): number {
  if (consecutiveFailures < FREE_FAILURES) return 0;
  return Math.min(2 ** (consecutiveFailures - FREE_FAILURES), MAX_DELAY_SECONDS);
}

export function accountMayAttempt(consecutiveFailures: number, lastFailureAt: Date | null, now: Date): boolean {
  if (consecutiveFailures >= LOCK_AFTER_FAILURES) return false;
  if (!lastFailureAt) return true;
  return now.getTime() - lastFailureAt.getTime() >= accountDelaySeconds(consecutiveFailures) * 1000;
}

/** Failures per source address in a fixed window, kept in this process's memory. */
export class AddressFailureWindow {
  private readonly failures = new Map<string, { count: number; windowStart: number }>();

  constructor(
    private readonly maxFailures = 50,
    private readonly windowMs = 15 * 60 * 1000,
  ) {}

  isBlocked(address: string, now: Date): boolean {
    const entry = this.current(address, now);
    return entry !== undefined && entry.count >= this.maxFailures;
  }

  recordFailure(address: string, now: Date): void {
    const entry = this.current(address, now) ?? { count: 0, windowStart: now.getTime() };
    entry.count += 1;
    this.failures.set(address, entry);
  }

  private current(address: string, now: Date) {
    const entry = this.failures.get(address);
    if (entry && now.getTime() - entry.windowStart >= this.windowMs) {
      this.failures.delete(address);
      return undefined;
    }
    return entry;
  }
}
