/**
 * The vocabulary of the post-login Action that time-boxes sessions a session transfer token starts
 * (`actions/post-login.ts`): its configuration, the words of its refusals, and the Auth0 log event
 * a refusal leaves, which monitoring counts.
 *
 * Auth0's Native to Web SSO best practices recommend the Action ("Use Post Login Actions to limit
 * session lifetime", auth0/docs-v2
 * `main/docs/authenticate/single-sign-on/native-to-web/native-to-web-sso-best-practices.mdx`).
 */

/** What the Action enforces; plain JSON, compiled into the Action's code (it holds no secret). */
export interface TransferredSessionPolicy {
  /** Absolute lifetime of a transferred session, in seconds; absent: the tenant's. */
  readonly lifetimeSeconds?: number;
  /** Idle lifetime of a transferred session, in seconds; absent: the tenant's. */
  readonly idleLifetimeSeconds?: number;
  /**
   * When present, the native clients whose tokens the Action honours, each with the web clients
   * it may hand a session to (client IDs). A token of any other native client, or redeemed at a
   * web client not on its native client's list, is refused. Absent: nothing is refused.
   */
  readonly redeemableAt?: Readonly<Record<string, readonly string[]>>;
}

/** Every refusal's reason starts with this, so a log search or an event pattern can find them. */
export const TRANSFER_REFUSAL_PREFIX = "Native to Web SSO refused:";

/** The reason the Action denies a token of a native client the stack does not declare. */
export function unknownNativeClientReason(nativeClientId: string): string {
  return (
    `${TRANSFER_REFUSAL_PREFIX} the mobile app that sent you here (client ${nativeClientId}) is not ` +
    "one this sign-in accepts. Sign in with your password instead."
  );
}

/** The reason the Action denies a token redeemed at a web app not on its native client's list. */
export function webAppNotListedReason(nativeClientId: string, webClientId: string): string {
  return (
    `${TRANSFER_REFUSAL_PREFIX} this web app (client ${webClientId}) may not be opened signed in from ` +
    `the mobile app that sent you here (client ${nativeClientId}). Sign in with your password instead.`
  );
}

/**
 * The Auth0 log event a denied login leaves: type `f` ("Failed Login", auth0/docs-v2
 * `main/docs/deploy-monitor/logs/log-event-type-codes.mdx`) for the application being logged in to,
 * its `description` carrying the deny reason.
 */
export const ACTION_REFUSAL_LOG_TYPE = "f";
