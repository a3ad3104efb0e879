/**
 * The web application behind the Application Login URI: a pure factory, so the local server, the
 * Lambda handler and the tests all run the very same app.
 */

import { randomBytes } from "node:crypto";
import express, { type ErrorRequestHandler, type Request, type Response } from "express";
import { auth, type ConfigParams } from "express-openid-connect";
import { ROUTES, SESSION_TRANSFER_PARAM, WEB_CLIENT_AUTH_METHOD } from "./contract";
import { checkQuery, isProblem, parseLoginQuery, type InputProblem } from "./input";
import { consoleSink, pathOnly, redact, redactingSink, type LogSink } from "./log";
import { homePage, problemPage } from "./pages";

/** Everything the app needs. The factory reads no environment variables. */
export interface WebAppSettings {
  /** `https://<auth0 domain>`: discovered once per process. openid-client v6 requires https. */
  issuerBaseURL: string;
  /** Public base URL of the app; `https` makes every cookie `Secure`. */
  baseURL: string;
  /** The web client's ID. */
  clientID: string;
  /** The web client's secret (code exchange at the token endpoint). */
  clientSecret: string;
  /** Secret the session and transaction cookies are encrypted/signed with (at least 8 characters). */
  secret: string;
  /** Where log records go. Default: JSON lines on stdout/stderr. Every record is redacted first. */
  log?: LogSink;
  /**
   * How long the discovered issuer metadata is reused, in ms. Default: the life of the process
   * (one discovery per cold start). A failed discovery is never cached: the next request retries.
   */
  discoveryCacheMaxAgeMs?: number;
  /** Timeout of each request to the issuer, in ms. Default 5000. */
  httpTimeoutMs?: number;
  /**
   * Called when the token endpoint rejects this client's credentials (`invalid_client`), e.g. after
   * the client secret was rotated: the Lambda handler then reloads its settings.
   */
  onClientRejected?: () => void;
}

// Joi (inside the library) accepts only finite numbers; this is about 285,000 years.
const PROCESS_LIFETIME_MS = Number.MAX_SAFE_INTEGER / 1000;

type StoredSession = Parameters<NonNullable<ConfigParams["afterCallback"]>>[2];

/**
 * Builds the web application. Calls `auth()` exactly once, so the process holds a single OIDC
 * client configuration (and a single discovery cache entry) however many requests it serves.
 */
export function createApp(settings: WebAppSettings): express.Express {
  const log = redactingSink(settings.log ?? consoleSink);
  const app = express();
  app.disable("x-powered-by");
  // Express 5's default, made explicit: repeated parameters become arrays, which checkQuery rejects.
  app.set("query parser", "simple");

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    res.on("finish", () => {
      log({
        level: "info",
        msg: "request",
        method: req.method,
        // Never the query string: it may carry a session transfer token.
        path: pathOnly(req.originalUrl),
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      });
    });
    next();
  });

  // Before auth(): no session decoding and no issuer round trip.
  app.get(ROUTES.health, (_req, res) => {
    res.json({ status: "ok" });
  });

  app.use((req, res, next) => {
    const rawQuery = req.originalUrl.includes("?")
      ? req.originalUrl.slice(req.originalUrl.indexOf("?") + 1)
      : "";
    const problem = checkQuery(rawQuery, req.query as Record<string, unknown>);
    if (problem) {
      sendProblem(req, res, 400, "Bad request", problem);
      return;
    }
    next();
  });

  app.use(
    auth({
      issuerBaseURL: settings.issuerBaseURL,
      baseURL: settings.baseURL,
      clientID: settings.clientID,
      clientSecret: settings.clientSecret,
      secret: settings.secret,
      clientAuthMethod: WEB_CLIENT_AUTH_METHOD,
      authRequired: false,
      auth0Logout: true,
      idpLogout: true,
      // The library's /login ignores the query string; ours forwards the token.
      routes: {
        login: false,
        callback: ROUTES.callback,
        logout: ROUTES.logout,
        // Exactly BASE_URL (no added slash): the web client's Allowed Logout URL is BASE_URL.
        postLogoutRedirect: settings.baseURL,
      },
      authorizationParams: { response_type: "code", scope: "openid profile email" },
      session: { cookie: { httpOnly: true, sameSite: "Lax" } },
      // The legacy fallback cookie has no SameSite attribute; every cookie here is SameSite=Lax.
      legacySameSiteCookie: false,
      discoveryCacheMaxAge: settings.discoveryCacheMaxAgeMs ?? PROCESS_LIFETIME_MS,
      httpTimeout: settings.httpTimeoutMs ?? 5000,
      enableTelemetry: false,
      // The library's state is only {returnTo}; a random part makes every state unguessable.
      getLoginState: (_req, options) => ({
        returnTo: options.returnTo,
        r: randomBytes(16).toString("base64url"),
      }),
      // Keep only the ID token (plus the session ID and the provider's session ceiling, which the
      // library uses to end the local session with the tenant's): the cookie stays far below API
      // Gateway's 10 KiB header limit and unchunked. This app calls no API, so access and refresh
      // tokens would be dead weight.
      afterCallback: (_req, _res, session) => {
        const kept: Record<string, unknown> = { id_token: session.id_token };
        for (const key of ["sid", "sessionExpiresAt"] as const) {
          const value = (session as Record<string, unknown>)[key];
          if (value !== undefined) kept[key] = value;
        }
        return kept as StoredSession;
      },
    }),
  );

  app.get(ROUTES.login, (req, res, next) => {
    const parsed = parseLoginQuery(req.query as Record<string, unknown>, settings.baseURL);
    if (isProblem(parsed)) {
      sendProblem(req, res, 400, "Bad request", parsed);
      return;
    }
    // A fresh object per request: nothing from one request can reach another.
    const authorizationParams: Record<string, string> = {};
    if (parsed.sessionTransferToken !== undefined) {
      authorizationParams[SESSION_TRANSFER_PARAM] = parsed.sessionTransferToken;
    }
    // An explicit returnTo: the library's default is req.originalUrl, which would carry the token.
    res.oidc.login({ returnTo: parsed.returnTo, authorizationParams }).catch(next);
  });

  app.get(ROUTES.home, (req, res) => {
    const user = req.oidc.isAuthenticated() ? req.oidc.user : undefined;
    res.type("html").send(
      homePage(
        user && {
          sub: stringClaim(user.sub),
          name: stringClaim(user.name),
          email: stringClaim(user.email),
        },
      ),
    );
  });

  app.use((req, res) => {
    sendProblem(req, res, 404, "Not found", { code: "not_found", message: "There is no page here." });
  });

  const onError: ErrorRequestHandler = (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = statusOf(err);
    const code = errorCode(err);
    if (req.path === ROUTES.callback && status >= 400 && status < 500) {
      log({ level: "warn", msg: "callback_rejected", code });
      if (isClientRejected(req, err)) settings.onClientRejected?.();
      sendProblem(req, res, 400, "Sign-in did not complete", callbackProblem(req, code));
      return;
    }
    if (status >= 400 && status < 500) {
      log({ level: "warn", msg: "request_rejected", code });
      sendProblem(req, res, status, "Bad request", { code, message: "The request was not valid." });
      return;
    }
    log({
      level: "error",
      msg: "request_failed",
      path: pathOnly(req.originalUrl),
      error: err instanceof Error ? `${err.name}: ${redact(err.message)}` : "non-error thrown",
    });
    sendProblem(req, res, 503, "Sign-in is unavailable", {
      code: "unavailable",
      message: "Sign-in is temporarily unavailable. Please try again in a moment.",
    });
  };
  app.use(onError);

  return app;
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function statusOf(err: unknown): number {
  if (typeof err === "object" && err !== null) {
    const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
    if (typeof status === "number") return status;
    if (typeof statusCode === "number") return statusCode;
  }
  return 500;
}

/**
 * Did the token endpoint refuse this client's credentials? express-openid-connect turns every
 * failure of the code exchange into a 400 carrying the original error (or error class) as
 * `error`: `invalid_client` in the body, a 401 challenge with HTTP Basic, or Auth0's own
 * `access_denied` ("Unauthorized"). Only when the authorization response itself was not an error.
 */
function isClientRejected(req: Request, err: unknown): boolean {
  if (req.query.error !== undefined || typeof err !== "object" || err === null) return false;
  const { error } = err as { error?: unknown };
  return (
    error === "invalid_client" || error === "OAUTH_WWW_AUTHENTICATE_CHALLENGE" || error === "access_denied"
  );
}

function errorCode(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const { error, code } = err as { error?: unknown; code?: unknown };
    const value = typeof error === "string" ? error : typeof code === "string" ? code : undefined;
    if (value && /^[A-Za-z0-9_.-]{1,64}$/.test(value)) return value;
  }
  return "invalid_request";
}

/** Explains a failed callback: what the identity provider reported, or why the response was refused. */
function callbackProblem(req: Request, code: string): InputProblem {
  const reported = req.query.error;
  if (typeof reported === "string" && reported.length > 0) {
    const safeCode = /^[A-Za-z0-9_.-]{1,64}$/.test(reported) ? reported : "error";
    const description = typeof req.query.error_description === "string" ? req.query.error_description : "";
    return {
      code: safeCode,
      message:
        `The identity provider did not sign you in (${safeCode})` +
        (description ? `: ${description.slice(0, 300)}` : ".") +
        " Go back to the app and try again.",
    };
  }
  return {
    code,
    message:
      "This sign-in response does not belong to a sign-in started here (its state is missing, wrong or already used). " +
      "Start again from the app.",
  };
}

/** Sends an error as an HTML page, or as JSON to clients that prefer it. */
function sendProblem(
  req: Request,
  res: Response,
  status: number,
  title: string,
  problem: InputProblem,
): void {
  res.status(status);
  if (req.accepts(["html", "json"]) === "json") {
    res.json({ error: problem.code, message: problem.message });
  } else {
    res.type("html").send(problemPage(status, title, problem.code, problem.message));
  }
}
