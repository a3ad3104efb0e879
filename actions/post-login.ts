/**
 * The post-login Action of Native to Web SSO: a web session that a session transfer token starts
 * gets the absolute and idle lifetime of the stack's configuration, and (when the stack asks for
 * it) a token of a native client the stack does not declare, or redeemed at a web app that is not
 * on its native client's list, is refused. Every other login is left alone.
 *
 * Deployed as the Action's `code` by `./bundle.ts` (one self-contained CommonJS file exporting
 * `onExecutePostLogin`), run by the tests as that very code and by the local tenant at the point
 * Auth0 runs post-login Actions.
 */

import type { OnExecutePostLogin, PostLoginApi, PostLoginEvent } from "./auth0-post-login";
import {
  unknownNativeClientReason,
  webAppNotListedReason,
  type TransferredSessionPolicy,
} from "../model/transferred-sessions";

/** Why the policy refuses this token at this web app, or `undefined` when it may be redeemed. */
export function refusalOf(
  policy: TransferredSessionPolicy,
  nativeClientId: string,
  webClientId: string,
): string | undefined {
  const lists = policy.redeemableAt;
  if (!lists) return undefined;
  // Own properties only: a client ID like "constructor" must not find Object.prototype's.
  if (!Object.prototype.hasOwnProperty.call(lists, nativeClientId)) {
    return unknownNativeClientReason(nativeClientId);
  }
  return lists[nativeClientId].includes(webClientId)
    ? undefined
    : webAppNotListedReason(nativeClientId, webClientId);
}

/**
 * The Action's handler for a policy. `now` is Auth0's clock (milliseconds since the epoch); the
 * lifetimes count from this login, as in Auth0's own example of the practice.
 */
export function transferredSessionAction(
  policy: TransferredSessionPolicy,
  now: () => number = () => Date.now(),
): OnExecutePostLogin {
  return async (event: PostLoginEvent, api: PostLoginApi): Promise<void> => {
    const token = event.session_transfer_token;
    if (!token) return; // An ordinary login: not this Action's business.
    const refusal = refusalOf(policy, token.client_id, event.client.client_id);
    if (refusal !== undefined) {
      api.access.deny(refusal);
      return;
    }
    const at = now();
    if (policy.lifetimeSeconds) api.session.setExpiresAt(at + policy.lifetimeSeconds * 1000);
    if (policy.idleLifetimeSeconds) api.session.setIdleExpiresAt(at + policy.idleLifetimeSeconds * 1000);
  };
}
