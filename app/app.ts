/**
 * The web application behind the Application Login URI, on Hono (web-standard Request/Response):
 * a pure factory, so the local server, the Lambda handler and the tests all run the very same app.
 * The OpenID Connect work is openid-client's (app/oidc.ts), the cookie sealing TweetNaCl's
 * (app/sealed-cookies.ts); this file holds the routes and the app's own rules.
 */

import { Hono, type Context } from "hono";
import type { ServerMetadata } from "openid-client";
import { accepts } from "hono/accepts";
import { generateCookie, getCookie, setCookie } from "hono/cookie";
import { LOG_MESSAGES, ROUTES } from "./contract";
import {
  checkQuery,
  isFromAnotherSite,
  isProblem,
  MAX_QUERY_LENGTH,
  parseLoginQuery,
  parseQuery,
  type InputProblem,
  type ParsedQuery,
} from "./input";
import { consoleSink, redact, redactingSink } from "./log";
import {
  createIssuerClient,
  DiscoveryError,
  exchangeErrorCode,
  isClientRejected,
  isIssuerUnavailable,
} from "./oidc";
import { confirmLogoutPage, homePage, problemPage, refusedLoginPage } from "./pages";
import { cookiePrefix } from "./cookie-names";
import { createCookieSealer } from "./sealed-cookies";
import { CLOCK_SKEW_S, openSession, sealSession, sessionCookieOptions, SESSION_COOKIE } from "./session";
import { checkSettings, type LoginAppSettings } from "./settings";
import { securityHeaders } from "./security-headers";
import { SpentTransactions } from "./spent-transactions";
import { retryAfterSeconds } from "./backoff";

export type { LoginAppSettings } from "./settings";

/** The transaction cookie: the checks of one sign-in, from `/login` to `/callback`. */
export const TRANSACTION_COOKIE = "auth_verification";
/** How long a started sign-in may take to come back to `/callback`, in seconds. */
const TRANSACTION_LIFETIME_S = 3600;
/** Code exchanges one process runs at once; more callbacks meanwhile get a 503 (try again). */
export const MAX_EXCHANGES_IN_FLIGHT = 16;

/** The sealed transaction: state, nonce, PKCE verifier and where to land. */
interface TransactionPayload {
  s: string;
  n: string;
  v: string;
  r: string;
  exp?: number;
  [claim: string]: unknown;
}

type AppEnv = { Variables: { query: ParsedQuery; rawQuery: string } };

/** Options of {@link createApp} beyond its settings. */
export interface LoginAppOptions {
  /**
   * The issuer's metadata, already being fetched for {@link LoginAppSettings.issuerBaseURL} (a cold
   * start discovers while it reads its settings). Default: discovered on the first sign-in.
   */
  issuerMetadata?: Promise<ServerMetadata>;
}

/** The app's Hono instance; `fetch` serves one web-standard Request. */
export type LoginApp = Hono<AppEnv>;

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
  const callbackUrl = new URL(ROUTES.callback, base).toString();
  const client = createIssuerClient(settings, options.issuerMetadata);
  const sealer = createCookieSealer(settings.secret, settings.previousSecret);
  // `__Host-` names on https, so a sibling subdomain cannot toss a cookie in (app/cookie-names.ts).
  const prefix = cookiePrefix(secure);
  const cookie = { path: "/", httpOnly: true, secure, sameSite: "Lax", prefix } as const;
  const transactionCookie = (value: string): string => generateCookie(TRANSACTION_COOKIE, value, cookie);
  const headers = securityHeaders({ https: secure, issuerOrigin: new URL(settings.issuerBaseURL).origin });
  const headerObject = Object.fromEntries(headers);
  // Responses built in one piece with the security headers already in them (the sign-in
  // redirect, the hot path): one plain header object instead of a Headers object filled header by
  // header, which the Node adapter writes out as is.
  const secured = new WeakSet<Response>();
  const securedRedirect = (location: string, setCookieValue: string): Response => {
    const response = new Response(null, {
      status: 302,
      headers: { ...headerObject, location, "set-cookie": setCookieValue },
    });
    secured.add(response);
    return response;
  };
  const spent = new SpentTransactions();
  let exchangesInFlight = 0;
  const app = new Hono<AppEnv>();

  const problem = (
    c: Context<AppEnv>,
    status: 400 | 403 | 404 | 405 | 503,
    title: string,
    p: InputProblem,
    retryAfterS = 5,
  ) => {
    // A refused request's URL may hold a token (on /login, or on a near miss such as /login/): its
    // page replaces that history entry at once.
    const cleanAddress = c.get("rawQuery") !== "";
    if (status === 503) c.header("Retry-After", String(retryAfterS));
    const type = accepts(c, {
      header: "Accept",
      supports: ["text/html", "application/json"],
      default: "text/html",
    });
    if (type === "application/json") return c.json({ error: p.code, message: p.message }, status);
    return c.html(problemPage(status, title, p.code, p.message, cleanAddress), status);
  };

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
      return problem(c, 400, "Bad request", checkQuery(rawQuery, {}) as InputProblem);
    }
    const query = parseQuery(rawQuery);
    c.set("query", query);
    const invalid = checkQuery(rawQuery, query);
    if (invalid) return problem(c, 400, "Bad request", invalid);
    return next();
  });

  app.get(ROUTES.login, async (c): Promise<Response> => {
    const query = c.get("query");
    if (c.get("rawQuery") === "refused=1") return c.html(refusedLoginPage(), 200);
    const parsed = parseLoginQuery(query, settings.baseURL);
    if (isProblem(parsed)) return problem(c, 400, "Bad request", parsed);
    // Login CSRF: a link on another site must not sign this browser in with someone else's token.
    if (parsed.sessionTransferToken !== undefined && isFromAnotherSite(c.req.header("sec-fetch-site"))) {
      log({ level: "warn", msg: "cross_site_token_refused" });
      return problem(c, 403, "Sign-in link refused", {
        code: "cross_site_token",
        message:
          "This sign-in link was opened from another site, so its session transfer token was not used. " +
          "Open the web page from the app again.",
      });
    }
    const checks = client.newChecks(parsed.returnTo);
    const transaction: TransactionPayload = {
      s: checks.state,
      n: checks.nonce,
      v: checks.codeVerifier,
      r: checks.returnTo,
    };
    const authorizationUrl = await client.authorizationUrl(checks, parsed.sessionTransferToken);
    return securedRedirect(
      authorizationUrl,
      transactionCookie(sealer.seal(transaction, nowS() + TRANSACTION_LIFETIME_S)),
    );
  });

  app.get(ROUTES.callback, async (c) => {
    // Hono answers HEAD with the GET route: a HEAD must not redeem the code (nor spend the transaction).
    if (c.req.method !== "GET") return methodNotAllowed(c);
    const query = c.get("query");
    const now = nowS();
    const transaction = sealer.open<TransactionPayload>(getCookie(c, TRANSACTION_COOKIE, prefix), now);
    // Provider text is shown only for a response to a sign-in this browser started.
    // A transaction that expires later than one sealed now would was not sealed by this app.
    const expiresAt = transaction?.exp;
    if (
      !transaction ||
      typeof expiresAt !== "number" ||
      expiresAt > now + TRANSACTION_LIFETIME_S + CLOCK_SKEW_S ||
      typeof query.state !== "string" ||
      query.state !== transaction.s
    ) {
      log({ level: "warn", msg: "callback_rejected", code: "state_mismatch" });
      return problem(c, 400, "Sign-in did not complete", {
        code: "state_mismatch",
        message:
          "This sign-in response does not belong to a sign-in started here (its state is missing, wrong or already used). " +
          "Start again from the app.",
      });
    }
    if (exchangesInFlight >= MAX_EXCHANGES_IN_FLIGHT) {
      log({ level: "warn", msg: "callback_busy" });
      return problem(c, 503, "Sign-in is busy", {
        code: "busy",
        message: "Too many sign-ins are completing at once. Please try again in a moment.",
      });
    }
    // The transaction is spent either way: one response per sign-in, and at most one code exchange
    // per transaction in this process (app/spent-transactions.ts).
    setCookie(c, TRANSACTION_COOKIE, "", { ...cookie, maxAge: 0 });
    if (!spent.claim(transaction.s, expiresAt, now)) {
      log({ level: "warn", msg: "callback_rejected", code: "transaction_used" });
      return problem(c, 400, "Sign-in did not complete", {
        code: "transaction_used",
        message: "This sign-in response was already used. Start again from the app.",
      });
    }
    if (typeof query.error === "string") {
      const code = /^[A-Za-z0-9_.-]{1,64}$/.test(query.error) ? query.error : "error";
      const description = typeof query.error_description === "string" ? query.error_description : "";
      log({ level: "warn", msg: "callback_rejected", code });
      return problem(c, 400, "Sign-in did not complete", {
        code,
        message:
          `The identity provider did not sign you in (${code})` +
          (description ? `: ${description.slice(0, 300)}` : ".") +
          " Go back to the app and try again.",
      });
    }
    let user;
    exchangesInFlight++;
    try {
      user = await client.finishSignIn(new URL(`${callbackUrl}?${c.get("rawQuery")}`), {
        state: transaction.s,
        nonce: transaction.n,
        codeVerifier: transaction.v,
        returnTo: transaction.r,
      });
    } catch (error) {
      if (error instanceof DiscoveryError || isIssuerUnavailable(error)) throw error;
      const code = exchangeErrorCode(error);
      log({ level: "warn", msg: "callback_rejected", code });
      if (isClientRejected(error)) settings.onClientRejected?.();
      return problem(c, 400, "Sign-in did not complete", {
        code,
        message: `The identity provider did not complete this sign-in (${code}). Start again from the app.`,
      });
    } finally {
      exchangesInFlight--;
    }
    const session = sealSession(sealer, user, nowS());
    setCookie(c, SESSION_COOKIE, session.sealed, sessionCookieOptions(cookie, session.maxAge));
    return c.redirect(transaction.r, 302);
  });

  const methodNotAllowed = (c: Context<AppEnv>): Response => {
    c.header("Allow", "GET");
    return problem(c, 405, "Bad request", {
      code: "method_not_allowed",
      message: "Use GET for the sign-in response.",
    });
  };
  app.all(ROUTES.callback, methodNotAllowed);

  app.get(ROUTES.home, (c) => {
    const opened = openSession(sealer, getCookie(c, SESSION_COOKIE, prefix), nowS());
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

  // Logout ends the local session and the tenant's. A cross-site GET (a link or image on another
  // site) only gets a page with a same-origin POST button; a POST must come from this origin.
  const logout = (c: Context<AppEnv>, status: 302 | 303) => {
    const signedIn = openSession(sealer, getCookie(c, SESSION_COOKIE, prefix), nowS()) !== undefined;
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
      origin === undefined ? c.req.header("sec-fetch-site") === "same-origin" : origin === base.origin;
    if (!sameOrigin) {
      return problem(c, 403, "Bad request", {
        code: "cross_origin_logout",
        message: "Sign out from this site's own page.",
      });
    }
    return logout(c, 303);
  });

  app.notFound((c) => problem(c, 404, "Not found", { code: "not_found", message: "There is no page here." }));

  app.onError((error, c) => {
    const message = error instanceof Error ? `${error.name}: ${redact(error.message)}` : "non-error thrown";
    if (error instanceof DiscoveryError) {
      // Once per failed discovery: the requests answered while backing off are no new failure.
      if (error.tried) log({ level: "error", msg: LOG_MESSAGES.settingsLoadFailed, error: message });
    } else {
      log({ level: "error", msg: "request_failed", path: c.req.path, error: message });
    }
    return problem(
      c,
      503,
      "Sign-in is unavailable",
      {
        code: "unavailable",
        message: "Sign-in is temporarily unavailable. Please try again in a moment.",
      },
      error instanceof DiscoveryError ? retryAfterSeconds(error.retryAfterMs) : undefined,
    );
  });

  return app;
}

function nowS(): number {
  return Math.floor(Date.now() / 1000);
}
