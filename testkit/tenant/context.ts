/** What the tenant's parts (exchange, `/authorize`, interactions) share while it runs. */

import type { IncomingMessage } from "node:http";
import type Provider from "oidc-provider";
import type { OnExecutePostLogin } from "../../actions/auth0-post-login";
import type { SessionLimits } from "../post-login-actions";
import type { ClientRegistry, DeclaredClient } from "./clients";
import type { Redemption, SessionTransfers, TenantClock } from "./session-transfer";

/** A user of the tenant. */
export interface TenantUser {
  readonly sub: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

/** A login with the user's password at the tenant's login page. */
export interface PasswordLogin {
  /** The client the login is for; `undefined` when the tenant does not know it. */
  readonly client: DeclaredClient | undefined;
  readonly ip: string;
}

/** The running tenant's state; {@link TenantContext.provider} is replaced on every reconfiguration. */
export interface TenantContext {
  readonly host: string;
  readonly issuer: string;
  readonly clock: TenantClock;
  readonly user: TenantUser;
  readonly clients: ClientRegistry;
  readonly transfers: SessionTransfers;
  /** Every request and decision, never a token, a query string or a body. */
  readonly log: string[];
  /** What `/authorize` decided about a presented token, by the interaction it led to. */
  readonly redemptions: Map<string, Redemption>;
  /** `/authorize` requests that carried a token: they always get the login step (no silent SSO). */
  readonly presented: WeakSet<IncomingMessage>;
  /** Post-login Actions (`../post-login-actions.ts`): what runs after each login, what they set. */
  readonly postLogin: { readonly actions: readonly OnExecutePostLogin[]; readonly limits: SessionLimits };
  provider(): Provider;
  /** Told of every password login (what Auth0 logs as an ordinary `s`). */
  onPasswordLogin(login: PasswordLogin): void;
}
