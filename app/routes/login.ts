/** `GET /login`: checks the query, then starts a sign-in at the issuer, with the session transfer token if one came. */

import { generateCookie } from "hono/cookie";
import { ROUTES } from "../contract";
import { isFromAnotherSite, isProblem, parseLoginQuery } from "../input";
import { refusedLoginPage } from "../pages";
import { badRequest, PROBLEMS } from "../problems";
import type { LoginApp, RouteContext } from "./context";
import { nowS } from "../sealed-cookies";

/** The transaction cookie: the checks of one sign-in, from `/login` to `/callback`. */
export const TRANSACTION_COOKIE = "auth_verification";
/** How long a started sign-in may take to come back to `/callback`, in seconds. */
export const TRANSACTION_LIFETIME_S = 3600;

/** The sealed transaction: state, nonce, PKCE verifier and where to land. */
export interface TransactionPayload {
  s: string;
  n: string;
  v: string;
  r: string;
  exp?: number;
  [claim: string]: unknown;
}

/** Adds `GET /login` to the app. */
export function addLogin(app: LoginApp, ctx: RouteContext): void {
  const { client, sealer, log } = ctx;
  app.get(ROUTES.login, async (c): Promise<Response> => {
    if (c.get("rawQuery") === "refused=1") return c.html(refusedLoginPage(), 200);
    const parsed = parseLoginQuery(c.get("query"), ctx.settings.baseURL);
    if (isProblem(parsed)) return ctx.refuse(c, badRequest(parsed));
    // Login CSRF: a link on another site must not sign this browser in with someone else's token.
    if (parsed.sessionTransferToken !== undefined && isFromAnotherSite(c.req.header("sec-fetch-site"))) {
      log({ level: "warn", msg: "cross_site_token_refused" });
      return ctx.refuse(c, PROBLEMS.crossSiteToken);
    }
    const checks = client.newChecks(parsed.returnTo);
    const transaction: TransactionPayload = {
      s: checks.state,
      n: checks.nonce,
      v: checks.codeVerifier,
      r: checks.returnTo,
    };
    const authorizationUrl = await client.authorizationUrl(checks, parsed.sessionTransferToken);
    const sealed = sealer.seal(transaction, nowS() + TRANSACTION_LIFETIME_S);
    return ctx.securedRedirect(authorizationUrl, generateCookie(TRANSACTION_COOKIE, sealed, ctx.cookie));
  });
}
