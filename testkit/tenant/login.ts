/**
 * The one point where the Auth0 stand-in finishes a login: the user is authenticated (by password,
 * by a session transfer token, or as the local issuer's default account) and the authorization
 * code is not issued yet. Auth0 runs post-login Actions exactly here ("after a user is
 * authenticated and before a token is issued",
 * https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger),
 * so a hook for them belongs in {@link finishAuthentication} and nowhere else. (An `/authorize`
 * that reuses a session with nothing to ask passes no interaction and so does not come here.)
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
