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

/**
 * Failed sign-ins allowed per client address in a fixed window, counted in PostgreSQL by
 * lib/access/rate-limits.ts; once used up, the address's attempts are refused before hashing.
 */
export const ADDRESS_FAILURE_LIMIT = { limit: 50, windowMs: 15 * 60 * 1000 } as const;
