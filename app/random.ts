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

/** `n` bytes from the CSPRNG, never handed out before. Do not write to the result. */
export function poolRandomBytes(n: number): Buffer {
  if (n > POOL_BYTES) return randomBytes(n);
  if (offset + n > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + n);
  offset += n;
  return bytes;
}
