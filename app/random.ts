/**
 * Random bytes for the hot path, from node:crypto's CSPRNG drawn 4 KiB at a time: one
 * `randomBytes` call costs about as much for 4 KiB as for 24 bytes (the call, not the bytes, is
 * the cost; measured under load it was a larger share of a login than the cookie cipher). Node
 * does the same for `crypto.randomUUID()` (nodejs/node `lib/internal/crypto/random.js`, its UUID
 * entropy cache). Every byte is handed out once: each refill is a new buffer, so a slice already
 * handed out never changes.
 */

import { randomBytes } from "node:crypto";

const POOL_BYTES = 4096;
let pool: Buffer = Buffer.alloc(0);
let offset = 0;

/**
 * Where `n` fresh bytes start in the pool, refilled first when it has fewer left; `undefined` when
 * `n` is more than a pool holds (the caller draws those directly).
 */
function take(n: number): number | undefined {
  // A negative or fractional count would move the offset back and hand bytes out twice.
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`random byte count must be a whole number >= 0, got ${n}`);
  }
  if (n > POOL_BYTES) return undefined;
  if (offset + n > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const at = offset;
  offset += n;
  return at;
}

/** `n` bytes from the CSPRNG, never handed out before. Do not write to the result. */
export function poolRandomBytes(n: number): Buffer {
  const at = take(n);
  return at === undefined ? randomBytes(n) : pool.subarray(at, at + n);
}

/**
 * `n` bytes from the CSPRNG, never handed out before, as base64url text: encoded straight from the
 * pool (`Buffer#toString` with a range), without a Buffer view per value.
 */
export function poolRandomBase64url(n: number): string {
  const at = take(n);
  return at === undefined ? randomBytes(n).toString("base64url") : pool.toString("base64url", at, at + n);
}
