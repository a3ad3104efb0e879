/**
 * The signed-in session: the user's ID token claims (no tokens: the app calls no API), sealed in
 * one small cookie. It lasts a day from the last visit and at most a week from sign-in (as
 * express-openid-connect's defaults did), and never beyond the tenant session's own ceiling
 * (`session_expiry`, less 30 s of leeway): the session ends with the tenant's.
 */

import type { SignedInUser } from "./oidc";
import type { CookieSealer } from "./sealed-cookies";

/** Name of the session cookie. */
export const SESSION_COOKIE = "appSession";
/** Idle lifetime, seconds: renewed on a visit after {@link RENEW_AFTER_S}. */
export const IDLE_LIFETIME_S = 24 * 3600;
/** Absolute lifetime from sign-in, seconds. */
export const ABSOLUTE_LIFETIME_S = 7 * 24 * 3600;
/** A visit renews the cookie once it is this old (seconds), not on every request. */
const RENEW_AFTER_S = 15 * 60;
/** The tenant's ceiling is honoured this many seconds early, so no request races it. */
const TENANT_CEILING_LEEWAY_S = 30;
/** How far ahead of this instance's clock another instance's may be when it seals a cookie. */
export const CLOCK_SKEW_S = 60;

interface SessionPayload {
  /** The user. */
  u: SignedInUser;
  /** Signed in at (seconds). */
  c: number;
  /** Sealed at (seconds). */
  t: number;
  /** Expires at (seconds), set by the sealer. */
  exp?: number;
  [claim: string]: unknown;
}

/** A sealed session and how long its cookie should live. */
export interface SealedSession {
  sealed: string;
  maxAge: number;
}

function expiresAt(user: SignedInUser, createdAt: number, now: number): number {
  const limits = [now + IDLE_LIFETIME_S, createdAt + ABSOLUTE_LIFETIME_S];
  if (user.sessionExpiresAt !== undefined) limits.push(user.sessionExpiresAt - TENANT_CEILING_LEEWAY_S);
  return Math.min(...limits);
}

/** Seals a session for a user who signed in at `createdAt` (default: now). */
export function sealSession(
  sealer: CookieSealer,
  user: SignedInUser,
  now: number,
  createdAt = now,
): SealedSession {
  const exp = expiresAt(user, createdAt, now);
  const payload: SessionPayload = { u: user, c: createdAt, t: now };
  return { sealed: sealer.seal(payload, exp), maxAge: Math.max(0, exp - now) };
}

/** Options of the session cookie on top of the app's cookie attributes. */
export function sessionCookieOptions<T extends object>(base: T, maxAge: number): T & { maxAge: number } {
  return { ...base, maxAge };
}

/**
 * Whether a sealed session's times are ones this app could have written: created and touched not
 * in the future, touched after it was created, created within the absolute lifetime, and expiring
 * no later than its idle and absolute lifetimes allow. A cookie forged with a leaked secret (say
 * the previous one, still opened after a rotation) can claim any times; without this check one
 * created ten years ahead would be renewed with the current secret for ever.
 */
function plausibleTimes(payload: SessionPayload, now: number): boolean {
  const { c, t, exp } = payload;
  if (typeof t !== "number" || typeof exp !== "number") return false;
  return (
    c <= now + CLOCK_SKEW_S &&
    t <= now + CLOCK_SKEW_S &&
    c <= t &&
    now - c < ABSOLUTE_LIFETIME_S &&
    exp <= t + IDLE_LIFETIME_S &&
    exp <= c + ABSOLUTE_LIFETIME_S
  );
}

/**
 * Opens a session cookie: the user, or `undefined` when there is none, it is expired, its times are
 * not ones this app writes, or it was sealed with a secret this process does not have. A session
 * older than a quarter of an hour comes back renewed (sealed with the current secret, its idle
 * lifetime restarted).
 */
export function openSession(
  sealer: CookieSealer,
  cookie: string | undefined,
  now: number,
): { user: SignedInUser; renewed?: SealedSession } | undefined {
  const payload = sealer.open<SessionPayload>(cookie, now);
  if (!payload || typeof payload.u?.sub !== "string" || typeof payload.c !== "number") return undefined;
  if (!plausibleTimes(payload, now)) return undefined;
  const user = payload.u;
  if (now - payload.t < RENEW_AFTER_S) return { user };
  return { user, renewed: sealSession(sealer, user, now, payload.c) };
}
