/**
 * The AWS Lambda entry: the very same Hono app behind Hono's own API Gateway adapter
 * (`hono/aws-lambda`, honojs/hono `src/adapter/aws-lambda/handler.ts`: payload format 2.0 events,
 * `cookies` in and out), with its settings read from SSM once per cold start, without the AWS SDK.
 */

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { handle, type LambdaEvent } from "hono/aws-lambda";
import { createApp, type LoginAppSettings } from "./app";
import { Backoff, retryAfterSeconds } from "./backoff";
import { LAMBDA_ENV, LOG_MESSAGES, ROUTES } from "./contract";
import { fetchIssuerMetadata } from "./oidc";
import { consoleSink, redactingSink, type LogSink } from "./log";
import { PROBLEMS, problemAnswer, unavailable, type Problem } from "./problems";
import { securityHeaders } from "./security-headers";
import { loadSettingsFromSsm } from "./ssm-settings";

export { loadSettingsFromSsm, type SsmSettingsOptions } from "./ssm-settings";

/** Loads the app's settings. Called once per cold start, again only after a failure or a rejection. */
export type SettingsLoader = () => Promise<LoginAppSettings>;

/** The Lambda handler for API Gateway HTTP API (payload format 2.0) events. */
export type WebHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Default {@link HandlerOptions.settingsReloadIntervalMs}: one minute. */
export const SETTINGS_RELOAD_INTERVAL_MS = 60_000;

/** Options of {@link createHandler}. */
export interface HandlerOptions {
  loadSettings: SettingsLoader;
  /**
   * The issuer, when it is known before the settings are (the function's ISSUER_BASE_URL): a cold
   * start whose first request needs the issuer discovers it while the settings load, instead of
   * after. A first `/healthz` still contacts nobody.
   */
  issuerBaseURL?: string;
  /** Where log records go (handler and app). Default: JSON lines on stdout. */
  log?: LogSink;
  /**
   * After the token endpoint refused the client's credentials, settings are reloaded, but at most
   * once per this many ms, however often it refuses: a stale secret costs one SSM read and one
   * discovery per interval, never one per request. Default {@link SETTINGS_RELOAD_INTERVAL_MS}.
   */
  settingsReloadIntervalMs?: number;
}

/** An answer of the handler itself (before or beside the app), with the app's headers and page. */
function answer(
  event: APIGatewayProxyEventV2,
  problem: Problem,
  issuerOrigin: string | undefined,
): APIGatewayProxyStructuredResultV2 {
  // API Gateway serves only HTTPS. The page cleans the address whenever the URL has a query, which
  // may hold a session transfer token.
  const a = problemAnswer(problem, {
    securityHeaders: securityHeaders({ https: true, issuerOrigin }),
    json: false,
    cleanAddress: Boolean(event.rawQueryString),
  });
  return { statusCode: a.status, headers: a.headers, body: a.body };
}

/** The 503 of a cold start whose settings do not load: try again when the backoff ends. */
function unavailableAnswer(
  event: APIGatewayProxyEventV2,
  waitMs: number,
  issuerOrigin: string | undefined,
): APIGatewayProxyStructuredResultV2 {
  const message = "The sign-in service is starting up or misconfigured. Please try again in a moment.";
  return answer(event, unavailable(retryAfterSeconds(waitMs), message), issuerOrigin);
}

/**
 * Makes a Lambda handler around {@link createApp}. Settings are loaded on the first invocation and
 * the app (one OIDC client, one cookie key) is reused by every later one; a failed load is not
 * kept, so the next invocation tries again, and meanwhile the caller gets a 503.
 */
export function createHandler(options: HandlerOptions): WebHandler {
  const log = redactingSink(options.log ?? consoleSink);
  const interval = options.settingsReloadIntervalMs ?? SETTINGS_RELOAD_INTERVAL_MS;
  let ready: Promise<WebHandler> | undefined;
  let lastReload = Number.NEGATIVE_INFINITY;
  // After a failed load the next one waits (app/backoff.ts); invocations meanwhile get a 503.
  const backoff = new Backoff();
  const issuerOrigin = options.issuerBaseURL ? new URL(options.issuerBaseURL).origin : undefined;

  const start = async (event: APIGatewayProxyEventV2): Promise<WebHandler> => {
    const prefetched =
      options.issuerBaseURL && event.rawPath !== ROUTES.health
        ? fetchIssuerMetadata(options.issuerBaseURL)
        : undefined;
    // Settings may fail first; the app sees (and reports) a failed prefetch when it uses it.
    prefetched?.catch(() => undefined);
    const settings = await options.loadSettings();
    const issuerMetadata = settings.issuerBaseURL === options.issuerBaseURL ? prefetched : undefined;
    const app = createApp(
      {
        ...settings,
        log: settings.log ?? log,
        // Warm containers would otherwise keep a rotated-away client secret until they are recycled.
        onClientRejected: () => {
          const now = Date.now();
          if (now - lastReload < interval) return;
          lastReload = now;
          log({ level: "warn", msg: LOG_MESSAGES.clientRejectedReloadingSettings });
          ready = undefined;
        },
      },
      { issuerMetadata },
    );
    const adapter = handle(app);
    // Hono declares its own event types (`body: string | null`); API Gateway's v2 event is one of them.
    return async (event, context) =>
      (await adapter(
        usableEvent(event) as unknown as LambdaEvent,
        context,
      )) as APIGatewayProxyStructuredResultV2;
  };

  return async (event, context) => {
    if (!ready) {
      const wait = backoff.waitMs();
      if (wait > 0) return unavailableAnswer(event, wait, issuerOrigin);
      ready = start(event);
    }
    let serve: WebHandler;
    try {
      serve = await ready;
    } catch (error) {
      ready = undefined;
      backoff.failed();
      log({
        level: "error",
        msg: LOG_MESSAGES.settingsLoadFailed,
        error: error instanceof Error ? error.message : String(error),
      });
      return unavailableAnswer(event, backoff.waitMs(), issuerOrigin);
    }
    backoff.succeeded();
    const malformed = unreadable(event);
    if (malformed) {
      log({ level: "warn", msg: "malformed_request", error: malformed });
      return answer(event, PROBLEMS.malformed, issuerOrigin);
    }
    return serve(event, context);
  };
}

/**
 * Why hono/aws-lambda could not turn the event into a Request (the name of the error the web
 * platform throws), or undefined. Its own refusal is a bare 400 or 500 without the app's headers,
 * and it writes the error, which quotes the refused value, to the console. The same calls it makes
 * decide here first: `Request` for the method (TRACE, CONNECT and malformed ones throw), `Headers`
 * for every header as it sets them (a NUL or line break in a value, a space in a name throw; it
 * percent-encodes values outside ASCII first), `atob` for a base64 body.
 */
function unreadable(event: APIGatewayProxyEventV2): string | undefined {
  try {
    new Request("https://app.invalid/", { method: event.requestContext.http.method });
    const headers = new Headers();
    for (const [name, value] of Object.entries(event.headers ?? {})) {
      if (value) headers.set(name, NON_ASCII.test(value) ? encodeURIComponent(value) : value);
    }
    if (event.body && event.isBase64Encoded) atob(event.body);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.name : "non-error thrown";
  }
}

// hono/aws-lambda's own test for the values it percent-encodes (`sanitizeHeaderValue`).
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7F]/;

// The app's own cookies are printable ASCII (base64url and dots).
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The event as hono/aws-lambda can turn it into a Request. Its own refusals would answer without
 * the app's headers, and it writes the refused URL (query and token included) to the console:
 * - cookies it copies as they are into a Cookie header, where a character above U+00FF (another
 *   app's cookie on the parent domain, with UTF-8 text) throws: the app's own are printable ASCII;
 * - a body on GET or HEAD, which a Request cannot have: the app reads none there;
 * - a rawPath without its leading "/", which would run into the host part of the URL.
 */
function usableEvent(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  const badCookies = event.cookies?.some((cookie) => !PRINTABLE_ASCII.test(cookie)) ?? false;
  const method = event.requestContext.http.method;
  const bodyOnRead = Boolean(event.body) && (method === "GET" || method === "HEAD");
  const badPath = !event.rawPath.startsWith("/");
  if (!badCookies && !bodyOnRead && !badPath) return event;
  return {
    ...event,
    ...(badCookies ? { cookies: event.cookies?.filter((cookie) => PRINTABLE_ASCII.test(cookie)) } : {}),
    ...(bodyOnRead ? { body: undefined, isBase64Encoded: false } : {}),
    ...(badPath ? { rawPath: `/${event.rawPath}` } : {}),
  };
}

/** The Lambda entry (`index.handler`): settings from SSM below SETTINGS_PATH. */
export const handler: WebHandler = createHandler({
  loadSettings: () => loadSettingsFromSsm(),
  issuerBaseURL: process.env[LAMBDA_ENV.issuerBaseUrl],
});
