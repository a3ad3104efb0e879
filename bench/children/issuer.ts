/**
 * Child process: the local OpenID provider (a real oidc-provider over HTTPS on loopback) with its
 * request counters, in a process of its own so that the discovery requests a subject makes cost
 * the subject's round trips and not the load generator's CPU.
 */

import { startLocalIssuer } from "../../testkit/local-issuer";
import { failStartup, serveParent } from "../lib/child";
import { APP_BASE_URL, WEB_CLIENT } from "../lib/env";

/** What the parent receives once the provider listens. */
export interface IssuerReady {
  issuerBaseURL: string;
}

/** Requests the provider received since the last reset, by kind. */
export interface IssuerCounts {
  discovery: number;
  jwks: number;
  authorize: number;
  token: number;
  other: number;
  total: number;
}

async function main(): Promise<void> {
  const issuer = await startLocalIssuer({
    clients: [{ ...WEB_CLIENT, redirectUris: [`${APP_BASE_URL}/callback`] }],
  });
  const counts = (): IssuerCounts => {
    const c = issuer.counters;
    const total = issuer.requests.length;
    return {
      discovery: c.discovery,
      jwks: c.jwks,
      authorize: c.authorize,
      token: c.token,
      other: total - c.discovery - c.jwks - c.authorize - c.token,
      total,
    };
  };
  serveParent(
    { issuerBaseURL: issuer.issuerBaseURL } satisfies IssuerReady,
    {
      counts,
      reset: () => {
        issuer.resetLog();
        return counts();
      },
    },
    () => issuer.close(),
  );
}

main().catch(failStartup);
