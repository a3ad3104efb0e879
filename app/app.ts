/**
 * The web application behind the Application Login URI, on Hono (web-standard Request/Response):
 * a pure factory, so the local server, the Lambda handler and the tests all run the very same app.
 * The OpenID Connect work is openid-client's (app/oidc.ts), the cookie sealing TweetNaCl's
 * (app/sealed-cookies.ts); each route lives in `app/routes/`, each refusal in app/problems.ts.
 * This file wires them: the security headers on every response, the request log, the query checks.
 */

import { Hono } from "hono";
import type { ServerMetadata } from "openid-client";
import { accepts } from "hono/accepts";
import { LOG_MESSAGES, ROUTES } from "./contract";
import { cookiePrefix } from "./cookie-names";
import { checkQuery, MAX_QUERY_LENGTH, parseQuery, type InputProblem } from "./input";
import { consoleSink, redact, redactingSink } from "./log";
import { createIssuerClient, DiscoveryError } from "./oidc";
import { badRequest, PROBLEMS, problemAnswer, unavailable, type Problem } from "./problems";
import { addCallback } from "./routes/callback";
import type { AppContext, AppEnv, LoginApp, RouteContext } from "./routes/context";
import { addLogin } from "./routes/login";
import { addSessionPages } from "./routes/session-pages";
import { createCookieSealer } from "./sealed-cookies";
import { checkSettings, type LoginAppSettings } from "./settings";
import { securityHeaders } from "./security-headers";
import { retryAfterSeconds } from "./backoff";

export type { LoginAppSettings } from "./settings";
export type { LoginApp } from "./routes/context";
export { TRANSACTION_COOKIE } from "./routes/login";
export { MAX_EXCHANGES_IN_FLIGHT } from "./routes/callback";

/** Options of {@link createApp} beyond its settings. */
export interface LoginAppOptions {
  /**
   * The issuer's metadata, already being fetched for {@link LoginAppSettings.issuerBaseURL} (a cold
   * start discovers while it reads its settings). Default: discovered on the first sign-in.
   */
  issuerMetadata?: Promise<ServerMetadata>;
  /**
   * `false`: the sign-in redirect gets its security headers from the middleware like every other
   * response, instead of being built with them. Exists so `npm run bench` can measure, side by
   * side, what building it in one piece saves per login. Default `true`.
   */
  prebuiltRedirect?: boolean;
}

/** The security headers of an app with these settings (the adapters' own answers carry them too). */
export function appSecurityHeaders(settings: Pick<LoginAppSettings, "baseURL" | "issuerBaseURL">) {
  const https = new URL(settings.baseURL).protocol === "https:";
  return securityHeaders({ https, issuerOrigin: new URL(settings.issuerBaseURL).origin });
}

/**
 * Builds the web application. Discovery happens once, on the first sign-in, and the cookie key is
 * derived once: the process holds one OIDC client configuration and one key however many requests
 * it serves.
 */
export function createApp(settings: LoginAppSettings, options: LoginAppOptions = {}): LoginApp {
  checkSettings(settings);
  const log = redactingSink(settings.log ?? consoleSink);
  const base = new URL(settings.baseURL);
  const secure = base.protocol === "https:";
  const headers = appSecurityHeaders(settings);
  const headerObject = Object.fromEntries(headers);
  // Responses built in one piece with the security headers already in them skip the middleware's
  // header loop: one plain header object, which the Node adapter writes out as is.
  const secured = new WeakSet<Response>();
  const refuse = (c: AppContext, problem: Problem): Response => {
    const json =
      accepts(c, { header: "Accept", supports: ["text/html", "application/json"], default: "text/html" }) ===
      "application/json";
    // A refused request's URL may hold a token (on /login, or on a near miss such as /login/): its
    // page replaces that history entry at once.
    const answer = problemAnswer(problem, {
      securityHeaders: headers,
      json,
      cleanAddress: c.get("rawQuery") !== "",
    });
    // Cookies the route set before refusing (a spent transaction) go out with the refusal.
    const response = c.body(answer.body, answer.status, answer.headers);
    secured.add(response);
    return response;
  };
  const ctx: RouteContext = {
    settings,
    log,
    base,
    callbackUrl: new URL(ROUTES.callback, base).toString(),
    client: createIssuerClient(settings, options.issuerMetadata),
    sealer: createCookieSealer(settings.secret, settings.previousSecret),
    // `__Host-` names on https, so a sibling subdomain cannot toss a cookie in (app/cookie-names.ts).
    cookie: { path: "/", httpOnly: true, secure, sameSite: "Lax", prefix: cookiePrefix(secure) },
    refuse,
    securedRedirect: (location, setCookieValue) => {
      if (options.prebuiltRedirect === false) {
        return new Response(null, { status: 302, headers: { location, "set-cookie": setCookieValue } });
      }
      const response = new Response(null, {
        status: 302,
        headers: { ...headerObject, location, "set-cookie": setCookieValue },
      });
      secured.add(response);
      return response;
    },
  };
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    // Every response (404 and errors too) carries them.
    if (!secured.has(c.res)) {
      const resHeaders = c.res.headers;
      for (const [name, value] of headers) resHeaders.set(name, value);
    }
    log({
      level: "info",
      msg: "request",
      method: c.req.method,
      // Never the query string: it may carry a session transfer token.
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 1000) / 1000,
    });
  });

  // Before the query checks: no cookie opened, no issuer round trip.
  app.get(ROUTES.health, (c) => c.json({ status: "ok" }));

  app.use(async (c, next) => {
    // The query of the request target only: what follows a "#" (which a hand-made request line may
    // hold) is a fragment, never a query, whatever "?" it holds.
    const url = c.req.url;
    const hashAt = url.indexOf("#");
    const end = hashAt === -1 ? url.length : hashAt;
    const at = url.indexOf("?");
    const rawQuery = at === -1 || at > end ? "" : url.slice(at + 1, end);
    c.set("rawQuery", rawQuery);
    if (rawQuery.length > MAX_QUERY_LENGTH) {
      c.set("query", {});
      return refuse(c, badRequest(checkQuery(rawQuery, {}) as InputProblem));
    }
    const query = parseQuery(rawQuery);
    c.set("query", query);
    const invalid = checkQuery(rawQuery, query);
    return invalid ? refuse(c, badRequest(invalid)) : next();
  });

  addLogin(app, ctx);
  addCallback(app, ctx);
  addSessionPages(app, ctx);

  app.notFound((c) => refuse(c, PROBLEMS.notFound));

  app.onError((error, c) => {
    const message = error instanceof Error ? `${error.name}: ${redact(error.message)}` : "non-error thrown";
    if (error instanceof DiscoveryError) {
      // Once per failed discovery: the requests answered while backing off are no new failure.
      if (error.tried) log({ level: "error", msg: LOG_MESSAGES.settingsLoadFailed, error: message });
    } else {
      log({ level: "error", msg: "request_failed", path: c.req.path, error: message });
    }
    const retryAfterS = error instanceof DiscoveryError ? retryAfterSeconds(error.retryAfterMs) : undefined;
    return refuse(c, unavailable(retryAfterS));
  });

  return app;
}
