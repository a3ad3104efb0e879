/**
 * How long to leave a failing dependency alone: 1 s after the first failure, doubling with each
 * further one up to 30 s, and nothing once it works again. While settings cannot be loaded (SSM
 * throttled in an account-wide outage) or the issuer cannot be discovered, requests get a 503 with
 * the time left as `Retry-After` instead of one more SSM read and one more discovery each.
 */

/** Wait after the first failure, ms. */
export const FIRST_WAIT_MS = 1000;
/** Longest wait, ms. */
export const LONGEST_WAIT_MS = 30_000;

/** The back-off state of one dependency. */
export class Backoff {
  private failures = 0;
  private until = 0;

  /** How long until the next try may start (ms); 0 when it may start now. */
  waitMs(now = Date.now()): number {
    return Math.max(0, this.until - now);
  }

  /** Records a failed try that ended at `now`. */
  failed(now = Date.now()): void {
    this.failures++;
    this.until = now + Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (this.failures - 1));
  }

  /** Records a try that worked: the next failure waits {@link FIRST_WAIT_MS} again. */
  succeeded(): void {
    this.failures = 0;
    this.until = 0;
  }
}

/** A wait as `Retry-After` seconds: rounded up, at least 1. */
export function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}
