/**
 * The vocabulary of the post-login Action that time-boxes sessions a session transfer token starts
 * (`actions/post-login.ts`): its configuration, the words of its refusals, and the Auth0 log event
 * a refusal leaves, which monitoring counts.
 *
 * Auth0's Native to Web SSO best practices recommend the Action ("Use Post Login Actions to limit
 * session lifetime", auth0/docs-v2
 * `main/docs/authenticate/single-sign-on/native-to-web/native-to-web-sso-best-practices.mdx`).
 */

import { AUTH0_LOG_DETAIL_TYPE, AUTH0_PARTNER_SOURCE_PREFIX, type EventPattern } from "./sso-event-patterns";

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

/**
 * The Node runtime the Action runs on: the newest Auth0 Actions offer (`@pulumi/auth0` 3.49
 * `action.d.ts`: "Possible values are: `node12`, `node16` (not recommended), `node18`, `node22`";
 * Auth0 calls Node 22 "Recommended", https://auth0.com/docs/customize/extensibility-runtime/configure-runtime).
 */
export const ACTION_RUNTIME = "node22";

/** Action runtimes older than {@link ACTION_RUNTIME}, which the policy pack refuses. */
export const OUTDATED_ACTION_RUNTIMES = ["node12", "node16", "node18"] as const;

/** The trigger the Action is written for: post-login, its current version. */
export const POST_LOGIN_TRIGGER = { id: "post-login", version: "v3" } as const;

/** The stack's wishes, as its configuration states them. */
export interface TransferredSessionWishes {
  readonly lifetimeSeconds: number | undefined;
  readonly idleLifetimeSeconds: number | undefined;
  readonly refuseUndeclared: boolean;
}

/**
 * The Action's policy for a stack: the lifetimes it asks for and, when it asks for refusals, every
 * native client of the stack listed with every web client of the stack.
 */
export function transferredSessionPolicy(
  wishes: TransferredSessionWishes,
  nativeClientIds: readonly string[],
  webClientIds: readonly string[],
): TransferredSessionPolicy {
  const webs = [...new Set(webClientIds)].sort();
  return {
    ...(wishes.lifetimeSeconds !== undefined ? { lifetimeSeconds: wishes.lifetimeSeconds } : {}),
    ...(wishes.idleLifetimeSeconds !== undefined ? { idleLifetimeSeconds: wishes.idleLifetimeSeconds } : {}),
    ...(wishes.refuseUndeclared
      ? { redeemableAt: Object.fromEntries([...new Set(nativeClientIds)].sort().map((id) => [id, webs])) }
      : {}),
  };
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
 * its `description` carrying the deny reason. The type is documented; that the description is the
 * reason verbatim is not on Auth0's pages (the API object says only that the reason "may be
 * presented directly in end-user interfaces"): check it once against a real tenant's log.
 */
export const ACTION_REFUSAL_LOG_TYPE = "f";

/**
 * The EventBridge pattern of the Action's refusals on the Auth0 log stream's partner bus (the
 * envelope of `./sso-event-patterns.ts`): a failed login at one of the stack's web clients whose
 * description starts with {@link TRANSFER_REFUSAL_PREFIX}. Wrong passwords and other Actions'
 * denials of the same clients have other descriptions and are not counted.
 */
export function actionRefusalPattern(webClientIds: readonly string[]): EventPattern {
  const ids = [...new Set(webClientIds)].sort();
  if (ids.length === 0 || ids.some((id) => id.length === 0)) {
    throw new Error("The Action refusal pattern needs at least one web client ID, and no empty one.");
  }
  return {
    source: [{ prefix: AUTH0_PARTNER_SOURCE_PREFIX }],
    "detail-type": [AUTH0_LOG_DETAIL_TYPE],
    detail: {
      data: {
        type: [ACTION_REFUSAL_LOG_TYPE],
        client_id: ids,
        description: [{ prefix: TRANSFER_REFUSAL_PREFIX }],
      },
    },
  };
}
