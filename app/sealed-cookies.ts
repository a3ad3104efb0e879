/**
 * Sealed cookies: the transaction and session cookies are JWTs encrypted with `jose` (JWE compact,
 * `alg: "dir"`, `enc: "A256GCM"`), whose `exp` jose checks on opening. The AES key is derived from
 * the cookie secret once per process (HKDF-SHA256, node:crypto) and imported as a WebCrypto key
 * once, so sealing a cookie costs one AES-GCM operation and no key import. jose uses a CryptoKey as
 * is but imports a raw `Uint8Array` key with `crypto.subtle.importKey` on every call (panva/jose
 * `src/lib/key.ts`, used by `src/lib/content_encryption.ts`), which is why the key is imported here.
 */

import { hkdfSync, webcrypto } from "node:crypto";
import { EncryptJWT, jwtDecrypt, type JWTPayload } from "jose";

/** Seals and opens the app's cookies with the current secret, and opens with the previous one. */
export interface CookieSealer {
  /** Encrypts `payload` into a compact JWE that expires at `expiresAt` (seconds since the epoch). */
  seal(payload: JWTPayload, expiresAt: number): Promise<string>;
  /**
   * The payload of a cookie sealed by either secret and not expired at `now` (seconds since the
   * epoch; default: the clock's); `undefined` otherwise.
   */
  open<T extends JWTPayload>(sealed: string | undefined, now?: number): Promise<T | undefined>;
}

interface SealingKey {
  kid: string;
  key: webcrypto.CryptoKey;
}

const KEY_INFO = "native-web-sso cookie sealing key";
const KID_INFO = "native-web-sso cookie sealing key id";
/** Largest cookie value opened; a session cookie is far smaller (API Gateway caps all headers at 10 KiB). */
const MAX_SEALED_LENGTH = 4096;

async function deriveKey(secret: string): Promise<SealingKey> {
  const raw = new Uint8Array(hkdfSync("sha256", secret, new Uint8Array(0), KEY_INFO, 32));
  // The key ID only tells the two secrets apart; it is derived separately so it reveals nothing of the key.
  const kid = Buffer.from(hkdfSync("sha256", secret, new Uint8Array(0), KID_INFO, 6)).toString("base64url");
  const key = await webcrypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { kid, key };
}

/**
 * Derives the keys of the current and (optionally) previous secret. Resolves once; every cookie of
 * the process is sealed with the same imported key.
 */
export async function createCookieSealer(secret: string, previousSecret?: string): Promise<CookieSealer> {
  const current = await deriveKey(secret);
  const previous =
    previousSecret !== undefined && previousSecret !== secret ? await deriveKey(previousSecret) : undefined;
  const byKid = new Map<string, webcrypto.CryptoKey>([[current.kid, current.key]]);
  if (previous) byKid.set(previous.kid, previous.key);

  return {
    seal: (payload, expiresAt) =>
      new EncryptJWT(payload)
        .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: current.kid })
        .setExpirationTime(expiresAt)
        .encrypt(current.key),
    open: async <T extends JWTPayload>(sealed: string | undefined, now?: number): Promise<T | undefined> => {
      if (!sealed || sealed.length > MAX_SEALED_LENGTH) return undefined;
      try {
        const { payload } = await jwtDecrypt<T>(
          sealed,
          (header) => {
            const key = header.kid === undefined ? undefined : byKid.get(header.kid);
            if (!key) throw new Error("sealed with an unknown key");
            return key;
          },
          {
            keyManagementAlgorithms: ["dir"],
            contentEncryptionAlgorithms: ["A256GCM"],
            ...(now === undefined ? {} : { currentDate: new Date(now * 1000) }),
          },
        );
        return payload;
      } catch {
        // Tampered, expired, or sealed with a secret this process no longer has: not a valid cookie.
        return undefined;
      }
    },
  };
}
