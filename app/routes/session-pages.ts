/**
 * `GET /` (the signed-in page, which renews an idle session) and `/logout`, which ends the local
 * session and the tenant's. A cross-site GET of `/logout` (a link or image on another site) only
 * gets a page with a same-origin POST button; a POST must come from this origin.
 */

import { getCookie, setCookie } from "hono/cookie";
import { ROUTES } from "../contract";
import { isFromAnotherSite } from "../input";
import { confirmLogoutPage, homePage } from "../pages";
import { PROBLEMS } from "../problems";
import { openSession, sessionCookieOptions, SESSION_COOKIE } from "../session";
import type { AppContext, LoginApp, RouteContext } from "./context";
import { nowS } from "../sealed-cookies";

/** Adds `GET /`, `GET /logout` and `POST /logout` to the app. */
export function addSessionPages(app: LoginApp, ctx: RouteContext): void {
  const { sealer, cookie, settings } = ctx;
  const open = (c: AppContext) => openSession(sealer, getCookie(c, SESSION_COOKIE, cookie.prefix), nowS());

  app.get(ROUTES.home, (c) => {
    const opened = open(c);
    if (opened?.renewed) {
      setCookie(
        c,
        SESSION_COOKIE,
        opened.renewed.sealed,
        sessionCookieOptions(cookie, opened.renewed.maxAge),
      );
    }
    return c.html(homePage(opened?.user));
  });

  const logout = (c: AppContext, status: 302 | 303) => {
    const signedIn = open(c) !== undefined;
    setCookie(c, SESSION_COOKIE, "", { ...cookie, maxAge: 0 });
    if (!signedIn) return c.redirect(settings.baseURL, status);
    // Auth0's logout endpoint, as the Auth0 SDKs call it; returnTo is exactly BASE_URL (the web
    // client's Allowed Logout URL).
    const url = new URL("/v2/logout", settings.issuerBaseURL);
    url.searchParams.set("client_id", settings.clientID);
    url.searchParams.set("returnTo", settings.baseURL);
    return c.redirect(url.toString(), status);
  };
  app.get(ROUTES.logout, (c) =>
    isFromAnotherSite(c.req.header("sec-fetch-site")) ? c.html(confirmLogoutPage(), 200) : logout(c, 302),
  );
  app.post(ROUTES.logout, (c) => {
    const origin = c.req.header("origin");
    const sameOrigin =
      origin === undefined ? c.req.header("sec-fetch-site") === "same-origin" : origin === ctx.base.origin;
    return sameOrigin ? logout(c, 303) : ctx.refuse(c, PROBLEMS.crossOriginLogout);
  });
}
