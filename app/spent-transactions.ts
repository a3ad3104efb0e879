/**
 * Sign-in transactions this process has redeemed. A transaction is a sealed cookie (no server-side
 * store), so a copy kept by an attacker could otherwise be sent to `/callback` any number of times,
 * each one a call to the token endpoint signed with the app's client secret. What "at most once"
 * means here: at most once per process. On Lambda every execution environment is a process of its
 * own, so a transaction can be redeemed once per warm environment at most (API Gateway's throttle
 * bounds how many there are); the authorization code itself is single use at the provider.
 *
 * The set is bounded: beyond {@link MAX_SPENT} entries the expired ones go first, then the oldest.
 * Evicting an unexpired one reopens it, which takes that many sign-ins started within its lifetime.
 */

/** Most transactions remembered at once (about 1 MB of states). */
export const MAX_SPENT = 10_000;

/** The set of redeemed transactions, by their state (32 random bytes each, unique per sign-in). */
export class SpentTransactions {
  /** State to the time its cookie expires (seconds); insertion order is age order. */
  private readonly spent = new Map<string, number>();

  constructor(private readonly max = MAX_SPENT) {}

  /**
   * Marks the transaction of `state` (whose cookie expires at `expiresAt`) as redeemed: `true` the
   * first time, `false` when it already was. Synchronous, so two requests for one transaction
   * cannot both pass it.
   */
  claim(state: string, expiresAt: number, now: number): boolean {
    const seen = this.spent.get(state);
    if (seen !== undefined && seen > now) return false;
    if (this.spent.size >= this.max) this.evict(now);
    this.spent.delete(state);
    this.spent.set(state, expiresAt);
    return true;
  }

  /** Drops the expired entries, then the oldest until there is room for one. */
  private evict(now: number): void {
    for (const [state, expiresAt] of this.spent) if (expiresAt <= now) this.spent.delete(state);
    for (const state of this.spent.keys()) {
      if (this.spent.size < this.max) break;
      this.spent.delete(state);
    }
  }
}
