/**
 * `POST /oauth/token` with `grant_type=refresh_token`: with an `audience`, Auth0's exchange for a
 * session transfer token (`{access_token, issued_token_type, token_type: "N_A", expires_in}` plus
 * the rotated refresh token and an ID token); without one, oidc-provider's own refresh grant.
 */

import type Provider from "oidc-provider";
import type { KoaContextWithOIDC, RefreshToken } from "oidc-provider";
import { handler as builtinRefresh } from "oidc-provider/lib/actions/grants/refresh_token.js";
import * as grantHelpers from "oidc-provider/lib/helpers/grants.js";
import type { TenantContext } from "./context";
import { normalizeIp, SESSION_TRANSFER_TOKEN_TYPE } from "./session-transfer";

/** Registers the refresh token grant, session transfer included, on a provider. */
export function registerRefreshGrant(provider: Provider, tenant: TenantContext): void {
  const bound = Object.fromEntries(
    Object.entries(grantHelpers).map(([name, helper]) => [name, helper.bind(undefined, provider)]),
  );
  provider.registerGrantType(
    "refresh_token",
    async (ctx) => {
      if (ctx.oidc.params.audience === undefined) await builtinRefresh(provider, bound, ctx);
      else await exchange(tenant, ctx);
    },
    ["refresh_token", "scope", "audience"],
  );
}

async function exchange(tenant: TenantContext, ctx: KoaContextWithOIDC): Promise<void> {
  const provider = tenant.provider();
  const client = tenant.clients.find(ctx.oidc.client?.clientId);
  const refreshToken = await provider.RefreshToken.find(ctx.oidc.params.refresh_token ?? "", {
    ignoreExpiration: true,
  });
  const result = tenant.transfers.exchange({
    audience: ctx.oidc.params.audience,
    client,
    refreshToken: refreshToken && {
      accountId: refreshToken.accountId,
      clientId: refreshToken.clientId,
      grantId: refreshToken.grantId,
      spent: refreshToken.isExpired || Boolean(refreshToken.consumed),
    },
    ip: normalizeIp(ctx.ip),
  });
  if (!result.ok) {
    ctx.status = result.status;
    ctx.body = { error: result.error, error_description: result.description };
    return;
  }
  // An accepted exchange had both a known client and a live refresh token.
  const granted = refreshToken as RefreshToken;
  const rotated = client?.refreshTokenRotation === "rotating" ? await rotate(ctx, granted) : undefined;
  const idToken = granted.scopes.has("openid") ? await issueIdToken(tenant, ctx, granted) : undefined;
  ctx.status = 200;
  ctx.body = {
    access_token: result.token,
    issued_token_type: SESSION_TRANSFER_TOKEN_TYPE,
    token_type: "N_A",
    expires_in: result.expiresIn,
    ...(rotated ? { refresh_token: rotated } : {}),
    ...(idToken ? { id_token: idToken } : {}),
  };
}

/** Consumes the refresh token and saves its successor, as oidc-provider's own rotation does. */
async function rotate(ctx: KoaContextWithOIDC, old: RefreshToken): Promise<string> {
  await old.consume();
  const next = new ctx.oidc.provider.RefreshToken({
    accountId: old.accountId,
    acr: old.acr,
    amr: old.amr,
    authTime: old.authTime,
    claims: old.claims,
    client: ctx.oidc.client,
    expiresWithSession: old.expiresWithSession,
    iiat: old.iiat,
    grantId: old.grantId,
    gty: old.gty,
    nonce: old.nonce,
    resource: old.resource,
    rotations: (old.rotations ?? 0) + 1,
    scope: old.scope,
    sessionUid: old.sessionUid,
    sid: old.sid,
    rar: old.rar,
  });
  return next.save();
}

async function issueIdToken(
  tenant: TenantContext,
  ctx: KoaContextWithOIDC,
  refreshToken: RefreshToken,
): Promise<string> {
  const { user } = tenant;
  const scopes = refreshToken.scopes;
  const claims =
    refreshToken.accountId === user.sub
      ? {
          sub: user.sub,
          ...(scopes.has("profile") ? { name: user.name } : {}),
          ...(scopes.has("email") ? { email: user.email, email_verified: true } : {}),
        }
      : { sub: refreshToken.accountId };
  const id = new ctx.oidc.provider.IdToken({ ...claims, auth_time: refreshToken.authTime }, { ctx });
  id.scope = [...scopes].filter((s) => s !== "offline_access").join(" ");
  id.set("sid", refreshToken.sid);
  return id.issue({ use: "idtoken" });
}
