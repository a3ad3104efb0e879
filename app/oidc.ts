/**
 * The OpenID Connect side of the app, all of it done by openid-client v6 (panva/openid-client,
 * `src/index.ts`): discovery once per process, the authorization URL with state, nonce and PKCE,
 * and the code exchange with every check of the authorization response and the ID token.
 */

import { hash } from "node:crypto";
import * as oidc from "openid-client";
import { Backoff } from "./backoff";
import { ROUTES, SESSION_TRANSFER_PARAM } from "./contract";
import { poolRandomBase64url } from "./random";
import type { LoginAppSettings } from "./settings";

/** The scopes the app asks for: it reads the ID token's profile and email claims, nothing else. */
export const SCOPE = "openid profile email";

/** What `/login` keeps (sealed) until `/callback`: the checks of this one sign-in. */
export interface SignInChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Path on this app to land on afterwards. */
  returnTo: string;
}

/** The claims of a validated ID token the session keeps. */
export interface SignedInUser {
  sub: string;
  name?: string;
  email?: string;
  /** The tenant's session ID (`sid`), when the ID token has one. */
  sid?: string;
  /** The tenant session's ceiling (`session_expiry`, seconds since the epoch), when it has one. */
  sessionExpiresAt?: number;
}

/** What discovery gives the process: the client's configuration and its `/authorize` URL base. */
interface Discovered {
  config: oidc.Configuration;
  authorizationBase: string;
}

/** The issuer's client: discovered on first use, then shared by every request of the process. */
export interface IssuerClient {
  /** Fresh random checks (state, nonce, PKCE verifier) for one sign-in. */
  newChecks(returnTo: string): SignInChecks;
  /**
   * The `/authorize` URL for these checks, with the session transfer token when there is one: a
   * string as soon as discovery has completed once, a promise before that.
   */
  authorizationUrl(checks: SignInChecks, sessionTransferToken: string | undefined): string | Promise<string>;
  /** Exchanges the code of the callback `url` (this app's callback URL with the raw query). */
  finishSignIn(url: URL, checks: SignInChecks): Promise<SignedInUser>;
}

/**
 * Makes the client. Discovery runs on the first sign-in and is kept for the life of the process;
 * a failed discovery is not kept, so the next request tries again.
 */
export function createIssuerClient(
  settings: LoginAppSettings,
  prefetched?: Promise<oidc.ServerMetadata>,
): IssuerClient {
  const redirectUri = new URL(ROUTES.callback, settings.baseURL).toString();
  const timeout = timeoutSeconds(settings.httpTimeoutMs);
  let discovered: Promise<Discovered> | undefined;
  // Once discovery succeeded: a warm /login then awaits nothing.
  let ready: Discovered | undefined;
  let metadata = prefetched;
  // After a failed discovery the next one waits (app/backoff.ts): sign-ins meanwhile get a 503.
  const backoff = new Backoff();
  const configuration = (): Promise<Discovered> => {
    if (discovered) return discovered;
    const wait = backoff.waitMs();
    if (wait > 0) return Promise.reject(new DiscoveryError(undefined, wait, false));
    const auth = oidc.ClientSecretBasic(settings.clientSecret);
    discovered = (
      metadata
        ? metadata.then((server) => {
            const config = new oidc.Configuration(server, settings.clientID, settings.clientSecret, auth);
            config.timeout = timeout;
            return config;
          })
        : oidc.discovery(new URL(settings.issuerBaseURL), settings.clientID, settings.clientSecret, auth, {
            timeout,
          })
    )
      .then((config) => {
        backoff.succeeded();
        return (ready = { config, authorizationBase: authorizationBase(config, redirectUri) });
      })
      .catch((error: unknown) => {
        // Not kept: a request after the back-off discovers again.
        discovered = undefined;
        metadata = undefined;
        backoff.failed();
        throw new DiscoveryError(error, backoff.waitMs());
      });
    return discovered;
  };

  // Built from this request's values only: nothing from one request can reach another.
  const buildUrl = (base: string, checks: SignInChecks, sessionTransferToken?: string) =>
    `${base}&state=${formEncode(checks.state)}&nonce=${formEncode(checks.nonce)}` +
    `&code_challenge=${pkceChallenge(checks.codeVerifier)}` +
    (sessionTransferToken === undefined
      ? ""
      : `&${SESSION_TRANSFER_PARAM}=${formEncode(sessionTransferToken)}`);

  return {
    newChecks: (returnTo) => ({ ...randomChecks(), returnTo }),
    authorizationUrl: (checks, sessionTransferToken) =>
      ready
        ? buildUrl(ready.authorizationBase, checks, sessionTransferToken)
        : configuration().then((d) => buildUrl(d.authorizationBase, checks, sessionTransferToken)),
    finishSignIn: async (url, checks) => {
      const { config } = await configuration();
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error("the token endpoint returned no ID token");
      const text = (value: unknown): string | undefined =>
        typeof value === "string" && value.length > 0 ? value : undefined;
      const expiry = claims.session_expiry;
      return {
        sub: claims.sub,
        name: text(claims.name),
        email: text(claims.email),
        sid: text(claims.sid),
        sessionExpiresAt:
          typeof expiry === "number" && Number.isInteger(expiry) && expiry > 0 ? expiry : undefined,
      };
    },
  };
}

/** The authorization request's parameters that are the same for every sign-in of the process. */
export function fixedAuthorizationParameters(redirectUri: string): Record<string, string> {
  return { redirect_uri: redirectUri, response_type: "code", scope: SCOPE, code_challenge_method: "S256" };
}

/** What `application/x-www-form-urlencoded` leaves as it is (WHATWG URL, its percent-encode set). */
const FORM_SAFE = /^[A-Za-z0-9*._-]*$/;

/**
 * One value form-encoded as `URLSearchParams` encodes it. State, nonce and most tokens are base64url,
 * which that encoding leaves unchanged: the check is cheaper than the encoder's copy.
 */
export function formEncode(value: string): string {
  return FORM_SAFE.test(value) ? value : new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * The `/authorize` URL with the parameters every sign-in shares, built by openid-client's
 * `buildAuthorizationUrl` once per process (the endpoint from discovery, checked to be https,
 * `client_id`, `response_type`, ...). Each sign-in appends its own state, nonce, PKCE challenge
 * and token, form-encoded as `buildAuthorizationUrl` encodes them ({@link formEncode}: WHATWG
 * URL's `application/x-www-form-urlencoded` serializer): building the whole URL per request
 * re-serialises it once per parameter (`URL.searchParams.append`), the largest single cost of a
 * login under load. tests/app-authorization-url.test.ts checks the result against
 * `buildAuthorizationUrl` itself for the same parameters.
 */
export function authorizationBase(config: oidc.Configuration, redirectUri: string): string {
  const base = oidc.buildAuthorizationUrl(config, fixedAuthorizationParameters(redirectUri)).href;
  // client_id is always there, so the per-request parameters are appended with "&".
  if (!base.includes("?")) throw new Error("the authorization URL has no query");
  return base;
}

/** Random bytes per check: 32, base64url-encoded to 43 characters (RFC 7636 §4.1's recommendation). */
const CHECK_BYTES = 32;

/**
 * State, nonce and PKCE verifier from the process's CSPRNG pool (app/random.ts: one `randomBytes`
 * call per 4 KiB); openid-client's `randomState`/`randomNonce`/`randomPKCECodeVerifier` also draw
 * 32 bytes each, base64url-encoded: panva/oauth4webapi `src/index.ts` `generateRandom*`.
 */
export function randomChecks(): Omit<SignInChecks, "returnTo"> {
  return {
    state: poolRandomBase64url(CHECK_BYTES),
    nonce: poolRandomBase64url(CHECK_BYTES),
    codeVerifier: poolRandomBase64url(CHECK_BYTES),
  };
}

/**
 * The PKCE S256 challenge, RFC 7636 §4.2: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`, with
 * node:crypto's one-shot synchronous SHA-256 (`crypto.hash`, no Hash object per call; Node 20.12+).
 * The challenge is base64url, so it needs no form-encoding. openid-client's
 * `calculatePKCECodeChallenge` computes the same through WebCrypto, one hop to the thread pool per
 * login; tests/app-pkce.test.ts checks the two agree.
 */
export function pkceChallenge(codeVerifier: string): string {
  return hash("sha256", codeVerifier, "base64url");
}

/** openid-client's timeouts are in seconds. */
function timeoutSeconds(ms: number | undefined): number {
  return Math.max(1, Math.round((ms ?? 5000) / 1000));
}

/**
 * The issuer's metadata alone, before the client's settings are known: a cold start fetches it
 * while it reads its settings. openid-client's `discovery()` validates the issuer against the URL
 * and asks for a client ID only to build a Configuration, which {@link createIssuerClient} builds
 * again with the real client; the placeholder never leaves this function.
 */
export async function fetchIssuerMetadata(
  issuerBaseURL: string,
  httpTimeoutMs?: number,
): Promise<oidc.ServerMetadata> {
  const config = await oidc.discovery(new URL(issuerBaseURL), "metadata-only", undefined, oidc.None(), {
    timeout: timeoutSeconds(httpTimeoutMs),
  });
  return { ...config.serverMetadata() };
}

/**
 * Discovery failed (issuer unreachable, slow or wrong), or failed recently and is not tried again
 * yet: the app answers 503 with `Retry-After` of {@link retryAfterMs}.
 */
export class DiscoveryError extends Error {
  /**
   * @param cause why this discovery failed.
   * @param retryAfterMs how long until the next discovery may be tried.
   * @param tried whether a discovery was tried (and failed), rather than skipped while backing off.
   */
  constructor(
    cause: unknown,
    readonly retryAfterMs: number,
    readonly tried = true,
  ) {
    super(
      !tried
        ? "OpenID discovery failed recently; not tried again yet"
        : `OpenID discovery failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = "DiscoveryError";
  }
}

/**
 * Did the token endpoint itself refuse this client's credentials? `invalid_client` in its body, a
 * 401 (Auth0 answers a wrong secret with 401 `access_denied`), or a 401 challenge for HTTP Basic.
 * Only errors of the token request count: nothing in the authorization response (query or body)
 * can make this true, so no request an outsider crafts forces a settings reload.
 */
export function isClientRejected(error: unknown): boolean {
  if (error instanceof oidc.WWWAuthenticateChallengeError) return error.status === 401;
  if (error instanceof oidc.ResponseBodyError)
    return error.error === "invalid_client" || error.status === 401;
  return false;
}

/**
 * Did the exchange fail because the issuer could not answer (unreachable, timed out, or a 5xx)
 * rather than because it refused? Then the app answers 503, as for a failed discovery.
 */
export function isIssuerUnavailable(error: unknown): boolean {
  if (error instanceof oidc.ResponseBodyError) return error.status >= 500;
  if (!(error instanceof Error)) return false;
  // A non-JSON error answer: openid-client keeps the Response as the cause.
  const status = (error.cause as { status?: unknown } | undefined)?.status;
  if (typeof status === "number" && status >= 500) return true;
  return error.name === "TimeoutError" || error.name === "AbortError" || error.message === "fetch failed";
}

/** The OAuth error code of a failed exchange, for logs and the problem page (never free text). */
export function exchangeErrorCode(error: unknown): string {
  const code =
    error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError
      ? error.error
      : error instanceof Error && "code" in error && typeof error.code === "string"
        ? error.code
        : undefined;
  return code && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : "invalid_request";
}
