/**
 * Sealed cookies: the transaction and session cookies are JSON payloads encrypted and
 * authenticated with XChaCha20-Poly1305 by `@noble/ciphers` (paulmillr/noble-ciphers, audited;
 * `managedNonce` draws a fresh 24-byte random nonce per seal and prepends it, the 16-byte tag is
 * appended), then base64url. The key is derived from the cookie secret once per process
 * (HKDF-SHA256, node:crypto), and sealing runs synchronously on the request's own thread: no
 * WebCrypto call, so no hop to libuv's thread pool per cookie (jose's JWE went through
 * `crypto.subtle` AES-GCM, about half of a login's CPU under load).
 *
 * A sealed value is `<kid>.<base64url(nonce | ciphertext | tag)>`; the kid (derived from the
 * secret separately, revealing nothing of the key) picks the current or the previous key. The
 * payload's `exp` (seconds since the epoch) is checked on opening. A cookie in the format this
 * replaced (a compact JWE) opens as no cookie, like one sealed two rotations ago: a sign-in in
 * flight during that deploy starts again, a session signs in again.
 */

import { hkdfSync } from "node:crypto";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { managedNonce } from "@noble/ciphers/utils.js";

/** What a cookie holds: JSON values, and `exp` once sealed. */
export interface SealedPayload {
  exp?: number;
  [claim: string]: unknown;
}

/** Seals and opens the app's cookies with the current secret, and opens with the previous one. */
export interface CookieSealer {
  /** Encrypts `payload` into a cookie value that expires at `expiresAt` (seconds since the epoch). */
  seal(payload: SealedPayload, expiresAt: number): string;
  /**
   * The payload of a cookie sealed by either secret and not expired at `now` (seconds since the
   * epoch; default: the clock's); `undefined` otherwise.
   */
  open<T extends SealedPayload>(sealed: string | undefined, now?: number): T | undefined;
}

type Cipher = ReturnType<ReturnType<typeof managedNonce<typeof xchacha20poly1305>>>;

interface SealingKey {
  kid: string;
  cipher: Cipher;
}

const KEY_INFO = "native-web-sso cookie sealing key";
const KID_INFO = "native-web-sso cookie sealing key id";
/** Largest cookie value opened; a session cookie is far smaller (API Gateway caps all headers at 10 KiB). */
const MAX_SEALED_LENGTH = 4096;
const sealWithRandomNonce = managedNonce(xchacha20poly1305);

function deriveKey(secret: string): SealingKey {
  const key = new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), KEY_INFO, 32));
  // The key ID only tells the two secrets apart; it is derived separately so it reveals nothing of the key.
  const kid = Buffer.from(hkdfSync("sha256", secret, new Uint8Array(0), KID_INFO, 6)).toString("base64url");
  return { kid, cipher: sealWithRandomNonce(key) };
}

function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Derives the keys of the current and (optionally) previous secret, once: every cookie of the
 * process is sealed with the same key.
 */
export function createCookieSealer(secret: string, previousSecret?: string): CookieSealer {
  const current = deriveKey(secret);
  const byKid = new Map<string, Cipher>([[current.kid, current.cipher]]);
  if (previousSecret !== undefined && previousSecret !== secret) {
    const previous = deriveKey(previousSecret);
    byKid.set(previous.kid, previous.cipher);
  }

  return {
    seal: (payload, expiresAt) => {
      const plaintext = Buffer.from(JSON.stringify({ ...payload, exp: expiresAt }), "utf8");
      return `${current.kid}.${Buffer.from(current.cipher.encrypt(plaintext)).toString("base64url")}`;
    },
    open: <T extends SealedPayload>(sealed: string | undefined, now = nowS()): T | undefined => {
      if (!sealed || sealed.length > MAX_SEALED_LENGTH) return undefined;
      const dot = sealed.indexOf(".");
      const cipher = dot === -1 ? undefined : byKid.get(sealed.slice(0, dot));
      if (!cipher) return undefined;
      try {
        const plaintext = cipher.decrypt(Buffer.from(sealed.slice(dot + 1), "base64url"));
        const payload: unknown = JSON.parse(Buffer.from(plaintext).toString("utf8"));
        if (typeof payload !== "object" || payload === null) return undefined;
        const exp = (payload as SealedPayload).exp;
        // Expired at exp itself, as JWT's `exp` is read (RFC 7519 §4.1.4).
        return typeof exp === "number" && now < exp ? (payload as T) : undefined;
      } catch {
        // Tampered, truncated, or sealed with a key this process no longer has: not a valid cookie.
        return undefined;
      }
    },
  };
}
