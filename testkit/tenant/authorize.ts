/**
 * `GET /authorize` before oidc-provider sees it: takes a session transfer token out of the
 * `auth0_session_transfer_token` cookie or the `session_transfer_token` parameter, lets the rules
 * decide about it, and remembers the decision for the interaction the request leads to.
 */

import type { Middleware } from "oidc-provider";
import { readCookie } from "./oidc";
import { SESSION_TRANSFER_COOKIE, SESSION_TRANSFER_PARAM } from "../../app/contract";
import type { SessionTransferMethod } from "../../model/session-transfer";
import type { TenantContext } from "./context";
import { normalizeIp, type Redemption } from "./session-transfer";

/** The middleware, for `provider.use`. */
export function sessionTransferAtAuthorize(tenant: TenantContext): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== "/authorize" || ctx.method !== "GET") return next();
    // Auth0 honours offline_access without prompt=consent; oidc-provider (as OpenID Connect Core
    // says) drops it unless consent is prompted for. Asking for that prompt keeps it; the consent
    // step itself is skipped for first-party clients (see the interactions).
    const wantsOffline =
      typeof ctx.query.scope === "string" && ctx.query.scope.split(" ").includes("offline_access");
    const addPrompt = wantsOffline && ctx.query.prompt === undefined;
    if (addPrompt) ctx.query = { ...ctx.query, prompt: "consent" };
    const fromQuery = ctx.query[SESSION_TRANSFER_PARAM];
    const fromCookie = readCookie(ctx.req, SESSION_TRANSFER_COOKIE);
    if (fromQuery === undefined && fromCookie === undefined) return next();
    const client = tenant.clients.find(ctx.query.client_id);
    const query = { ...ctx.query };
    // The provider never sees the token: nothing stores it, logs it or echoes it.
    delete query[SESSION_TRANSFER_PARAM];
    if (fromCookie !== undefined) {
      ctx.append(
        "Set-Cookie",
        `${SESSION_TRANSFER_COOKIE}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=None`,
      );
    }
    let outcome: Redemption | undefined;
    if (client) {
      const method: SessionTransferMethod = fromQuery !== undefined ? "query" : "cookie";
      const token =
        typeof fromQuery === "string" ? fromQuery : typeof fromCookie === "string" ? fromCookie : "";
      outcome = tenant.transfers.redeem(token, method, client, normalizeIp(ctx.ip));
      if (
        outcome.kind === "accepted" &&
        !client.sessionTransfer.allowRefreshToken &&
        typeof query.scope === "string"
      ) {
        // allow_refresh_token=false: a session started this way gets no refresh token.
        query.scope = query.scope
          .split(" ")
          .filter((s) => s !== "offline_access")
          .join(" ");
        if (addPrompt) delete query.prompt;
      }
      tenant.presented.add(ctx.req);
    }
    ctx.query = query;
    await next();
    const uid = /\/interaction\/([^/?#]+)/.exec(ctx.response.get("Location"))?.[1];
    if (uid && outcome) tenant.redemptions.set(uid, outcome);
  };
}
