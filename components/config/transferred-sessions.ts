/**
 * Section: the post-login Action that time-boxes web sessions a session transfer token starts
 * (`actions/post-login.ts`). Opt-in: a stack that sets none of its keys declares no Action.
 */
import { setCommand } from "./keys";
import type { ConfigReader } from "./reader";

/**
 * Auth0's limits of a session's lifetimes, in seconds. Native to Web SSO needs an Enterprise plan,
 * whose tenants allow "Require log in after" up to 525,600 minutes (365 days) and an "Inactivity
 * timeout" up to 144,000 minutes (100 days); both are set in whole minutes ("Configure Session
 * Lifetime Settings", https://auth0.com/docs/manage-users/sessions/configure-session-lifetime-settings).
 * The Action cannot lengthen a session past the tenant's own settings (post-login API object,
 * `api.session.setExpiresAt`): it can only shorten.
 */
export const TRANSFERRED_SESSION_LIMITS = {
  minSeconds: 60,
  maxLifetimeSeconds: 31_536_000,
  maxIdleLifetimeSeconds: 8_640_000,
} as const;

/** What the stack asks of the Action; `undefined` fields leave the tenant's lifetimes. */
export interface TransferredSessionsConfig {
  /** Absolute lifetime of a transferred session, in seconds. */
  readonly lifetimeSeconds: number | undefined;
  /** Idle lifetime of a transferred session, in seconds. */
  readonly idleLifetimeSeconds: number | undefined;
  /** Refuse tokens of native clients the stack does not declare, or redeemed at web apps it does not. */
  readonly refuseUndeclared: boolean;
}

/** The section's settings: `undefined` when the stack declares no Action. */
export interface TransferredSessionSettings {
  readonly transferredSessions: TransferredSessionsConfig | undefined;
}

function lifetime(
  r: ConfigReader,
  key: "transferredSessionLifetime" | "transferredSessionIdleLifetime",
  max: number,
): number | undefined {
  const seconds = r.integer(key, 0, max);
  if (seconds === 0) return undefined;
  if (seconds < TRANSFERRED_SESSION_LIMITS.minSeconds) {
    r.problem(
      key,
      seconds,
      `expected 0 (no limit) or at least ${TRANSFERRED_SESSION_LIMITS.minSeconds} seconds: Auth0 counts session lifetimes in whole minutes`,
      setCommand(key, TRANSFERRED_SESSION_LIMITS.minSeconds),
    );
    return undefined;
  }
  return seconds;
}

/** Reads the two lifetimes and the refusal switch; the idle lifetime may not exceed the absolute one. */
export function readTransferredSessions(r: ConfigReader): TransferredSessionSettings {
  const lifetimeSeconds = lifetime(
    r,
    "transferredSessionLifetime",
    TRANSFERRED_SESSION_LIMITS.maxLifetimeSeconds,
  );
  const idleLifetimeSeconds = lifetime(
    r,
    "transferredSessionIdleLifetime",
    TRANSFERRED_SESSION_LIMITS.maxIdleLifetimeSeconds,
  );
  const refuseUndeclared = r.boolean("transferredSessionRefuseUndeclared");
  if (
    lifetimeSeconds !== undefined &&
    idleLifetimeSeconds !== undefined &&
    idleLifetimeSeconds > lifetimeSeconds
  ) {
    r.problem(
      "transferredSessionIdleLifetime",
      idleLifetimeSeconds,
      `expected at most transferredSessionLifetime (${lifetimeSeconds}): a session cannot stay idle longer than it lives`,
      setCommand("transferredSessionIdleLifetime", lifetimeSeconds),
    );
  }
  const declared = lifetimeSeconds !== undefined || idleLifetimeSeconds !== undefined || refuseUndeclared;
  return {
    transferredSessions: declared ? { lifetimeSeconds, idleLifetimeSeconds, refuseUndeclared } : undefined,
  };
}
