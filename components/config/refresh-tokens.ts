/** Section: lifetimes of the native app's rotating refresh tokens. */
import { setCommand } from "./keys";
import type { ConfigReader } from "./reader";

/** Refresh token lifetimes of the native client, in seconds. */
export interface RefreshTokenSettings {
  readonly tokenLifetime: number;
  readonly idleTokenLifetime: number;
  readonly leeway: number;
}

/** Auth0's limits for refresh token lifetimes (seconds). */
export const REFRESH_TOKEN_LIMITS = {
  maxLifetime: 157_788_000, // five years
  maxLeeway: 60,
} as const;

/** Reads the three lifetimes; the idle lifetime may not exceed the absolute one. */
export function readRefreshTokens(r: ConfigReader): RefreshTokenSettings {
  const tokenLifetime = r.integer("refreshTokenLifetime", 60, REFRESH_TOKEN_LIMITS.maxLifetime);
  const idleTokenLifetime = r.integer("refreshTokenIdleLifetime", 60, REFRESH_TOKEN_LIMITS.maxLifetime);
  const leeway = r.integer("refreshTokenLeeway", 0, REFRESH_TOKEN_LIMITS.maxLeeway);
  if (idleTokenLifetime > tokenLifetime) {
    r.problem(
      "refreshTokenIdleLifetime",
      idleTokenLifetime,
      `expected at most refreshTokenLifetime (${tokenLifetime}): Auth0 rejects an idle lifetime longer than the absolute one`,
      setCommand("refreshTokenIdleLifetime", tokenLifetime),
    );
  }
  return { tokenLifetime, idleTokenLifetime, leeway };
}
