/**
 * The tenant's oidc-provider for its current clients: the shared Auth0-like configuration
 * (`./oidc.ts`) plus the tenant's rules: a presented session transfer token always goes
 * through the login step, first-party clients (native ones included) skip consent, refresh tokens
 * rotate as each client declares, and the refresh token grant knows the session transfer exchange.
 */

import Provider, { interactionPolicy, type KoaContextWithOIDC } from "oidc-provider";
import { auth0LikeProvider, type ProviderKeys } from "./oidc";
import { corsAllowed, providerClient } from "./clients";
import type { TenantContext } from "./context";
import { sessionTransferAtAuthorize } from "./authorize";
import { registerRefreshGrant } from "./exchange";
import { recordSessionLimits, sessionEndedCheck } from "../post-login-actions";

/** Builds a provider for the tenant's clients as they are now. */
export function buildTenantProvider(tenant: TenantContext, keys: ProviderKeys): Provider {
  const policy = interactionPolicy.base();
  // A presented token always goes through the login step, so a session of another user is never reused.
  policy
    .find((p) => p.name === "login")
    ?.checks.push(
      new interactionPolicy.Check("session_transfer_token", "a session transfer token was presented", (ctx) =>
        tenant.presented.has(ctx.req),
      ),
      // Post-login Actions: a session whose lifetime they set ends then.
      sessionEndedCheck(tenant.postLogin.limits, tenant.clock),
    );
  // oidc-provider asks native clients for consent every time; Auth0 skips consent for first-party
  // clients, native ones included (loadExistingGrant below grants them what they ask).
  const consent = policy.find((p) => p.name === "consent")?.checks;
  const nativePrompt = consent?.findIndex((c) => c.reason === "native_client_prompt") ?? -1;
  if (consent && nativePrompt !== -1) consent.splice(nativePrompt, 1);

  const { user, clients } = tenant;
  const provider = auth0LikeProvider({
    issuer: tenant.issuer,
    clients: clients.all().map(providerClient),
    accounts: { [user.sub]: { name: user.name, email: user.email } },
    keys,
    interactionPolicy: policy,
    loadExistingGrant: (ctx: KoaContextWithOIDC) => firstPartyGrant(tenant, ctx),
    extra: {
      scopes: ["openid", "offline_access", "profile", "email"],
      // Rotation as each client declares it.
      rotateRefreshToken: (ctx: KoaContextWithOIDC) =>
        clients.find(ctx.oidc.client?.clientId)?.refreshTokenRotation === "rotating",
      // A single-page app's SDK calls /oauth/token from the page: only from the origins Auth0 allows.
      clientBasedCORS: (_ctx: KoaContextWithOIDC, origin: string, client: { clientId: string }) => {
        const declared = clients.find(client.clientId);
        return declared !== undefined && corsAllowed(declared, origin);
      },
    },
  });
  provider.use(sessionTransferAtAuthorize(tenant));
  provider.use(recordSessionLimits(tenant.postLogin.limits, tenant.clock));
  registerRefreshGrant(provider, tenant);
  provider.on("server_error", (...args: unknown[]) => {
    const error = args[1];
    tenant.log.push(`server error: ${error instanceof Error ? error.message : String(error)}`);
  });
  return provider;
}

/** First-party clients need no consent screen: their grant covers what they ask for. */
async function firstPartyGrant(tenant: TenantContext, ctx: KoaContextWithOIDC): Promise<unknown> {
  const clientId = ctx.oidc.client?.clientId;
  const accountId = ctx.oidc.session?.accountId;
  if (!clientId || !accountId) return undefined;
  const firstParty = tenant.clients.find(clientId)?.isFirstParty === true;
  const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(clientId);
  const grant = existing
    ? await ctx.oidc.provider.Grant.find(existing)
    : firstParty
      ? new ctx.oidc.provider.Grant({ clientId, accountId })
      : undefined;
  if (grant && firstParty && ctx.oidc.params.scope) {
    grant.addOIDCScope(ctx.oidc.params.scope);
    await grant.save();
  }
  return grant;
}
