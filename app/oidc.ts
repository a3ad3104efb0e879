/**
 * The OpenID Connect side of the app, done by openid-client v6 (panva/openid-client,
 * `src/index.ts`): discovery once per process, the authorization URL, and the code exchange with
 * every check of the authorization response and the ID token. Two values it would compute come
 * from node:crypto directly, because the bench shows each buys more than 5% of a login's CPU:
 * the PKCE challenge ({@link pkceChallenge}) and the random checks ({@link randomChecks}).
 */

import { createHash, randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import { Backoff } from "./backoff";
import { ROUTES, SESSION_TRANSFER_PARAM } from "./contract";
import { isPlainErrorCode } from "./problems";
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

/** The issuer's client: discovered on first use, then shared by every request of the process. */
export interface IssuerClient {
  /** Fresh random checks (state, nonce, PKCE verifier) for one sign-in. */
  newChecks(returnTo: string): SignInChecks;
  /** The `/authorize` URL for these checks, with the session transfer token when there is one. */
  authorizationUrl(checks: SignInChecks, sessionTransferToken: string | undefined): Promise<string>;
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
  let discovered: Promise<oidc.Configuration> | undefined;
  let metadata = prefetched;
  // After a failed discovery the next one waits (app/backoff.ts): sign-ins meanwhile get a 503.
  const backoff = new Backoff();
  const configuration = (): Promise<oidc.Configuration> => {
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
        return config;
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

  return {
    newChecks: (returnTo) => {
      const [state, nonce, codeVerifier] = randomChecks();
      return { state, nonce, codeVerifier, returnTo };
    },
    // openid-client builds the URL from the discovered endpoint (kept as it is, fragment included:
    // the parameters go into its query), from this request's values only.
    authorizationUrl: async (checks, sessionTransferToken) => {
      const config = await configuration();
      const parameters: Record<string, string> = {
        ...fixedAuthorizationParameters(redirectUri),
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: pkceChallenge(checks.codeVerifier),
      };
      if (sessionTransferToken !== undefined) parameters[SESSION_TRANSFER_PARAM] = sessionTransferToken;
      return oidc.buildAuthorizationUrl(config, parameters).href;
    },
    finishSignIn: async (url, checks) => {
      const config = await configuration();
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

/**
 * The PKCE challenge of a verifier (RFC 7636 section 4.2, S256): node:crypto's synchronous SHA-256
 * instead of openid-client's `calculatePKCECodeChallenge`, which awaits WebCrypto on the thread
 * pool: more than half of a login's server CPU (the bench's "Hand-made calls" section measures it
 * side by side; `tests/app-authorization-url.test.ts` pins the two equal).
 */
export function pkceChallenge(codeVerifier: string): string {
  return createHash("sha256").update(codeVerifier).digest("base64url");
}

/**
 * State, nonce and PKCE verifier of one sign-in: 32 random bytes each, base64url (openid-client's
 * `randomState`, `randomNonce` and `randomPKCECodeVerifier` draw the same), from one CSPRNG read
 * instead of three (the bench's "Hand-made calls" section measures what it saves).
 */
export function randomChecks(): [string, string, string] {
  const bytes = randomBytes(96);
  return [0, 32, 64].map((at) => bytes.toString("base64url", at, at + 32)) as [string, string, string];
}

/** The authorization request's parameters that are the same for every sign-in of the process. */
export function fixedAuthorizationParameters(redirectUri: string): Record<string, string> {
  return { redirect_uri: redirectUri, response_type: "code", scope: SCOPE, code_challenge_method: "S256" };
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
  return code && isPlainErrorCode(code) ? code : "invalid_request";
}
