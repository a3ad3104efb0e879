/**
 * Finishing an interaction without running post-login Actions: the tenant's consent step (the
 * user is already authenticated; Auth0 runs post-login Actions "after a user is authenticated and
 * before a token is issued",
 * https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger,
 * once per login, not again for consent) and the local issuer, which declares no Actions. The
 * tenant's login steps finish through `finishLogin` (`../post-login-actions.ts`), which runs the
 * Actions first. (An `/authorize` that reuses a session with nothing to ask passes no interaction
 * and so comes to neither.)
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";

/** Who signed in, and how; without `accountId`: the session's user, already signed in, only granted. */
export interface Authentication {
  readonly accountId?: string;
  /** Authentication methods (`session_transfer` for a session born of a transfer). */
  readonly amr?: readonly string[];
  /** A grant already saved for the client (first-party clients skip consent). */
  readonly grantId?: string;
}

/** Completes the interaction: oidc-provider then redirects to the callback with the code. */
export async function finishAuthentication(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  authentication: Authentication,
): Promise<void> {
  const { accountId, amr, grantId } = authentication;
  await provider.interactionFinished(
    req,
    res,
    {
      ...(accountId ? { login: { accountId, ...(amr ? { amr: [...amr] } : {}) } } : {}),
      ...(grantId ? { consent: { grantId } } : {}),
    },
    // A consent step continues the login step before it; a login starts afresh.
    { mergeWithLastSubmission: accountId === undefined },
  );
}
