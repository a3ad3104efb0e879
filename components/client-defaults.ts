import type * as auth0 from "@pulumi/auth0";
import type { RefreshTokenSettings } from "./config";

/**
 * Settings both Auth0 clients declare explicitly. Many client fields are optional and computed:
 * left out, the stack silently adopts whatever the dashboard holds, and removing one later does not
 * clear it. So the values the product depends on are always stated, false and empty included.
 */
export const EXPLICIT_CLIENT_SETTINGS = {
  isFirstParty: true,
  oidcConformant: true,
  ssoDisabled: false,
  crossOriginAuth: false,
  allowedOrigins: [],
  webOrigins: [],
  jwtConfiguration: { alg: "RS256" },
} as const satisfies Partial<auth0.ClientArgs>;

/** Rotating, expiring refresh tokens with the configured lifetimes (never infinite). */
export function rotatingRefreshToken(settings: RefreshTokenSettings): auth0.types.input.ClientRefreshToken {
  return {
    rotationType: "rotating",
    expirationType: "expiring",
    tokenLifetime: settings.tokenLifetime,
    idleTokenLifetime: settings.idleTokenLifetime,
    infiniteTokenLifetime: false,
    infiniteIdleTokenLifetime: false,
    leeway: settings.leeway,
  };
}
