/**
 * The contract between the stack (which deploys the web application) and the application itself
 * (which reads its settings at cold start). Both sides import these names, so they cannot drift.
 */

/** File name of the bundle inside the Lambda code archive. */
export const BUNDLE_FILE = "index.js";

/** Lambda handler string for the bundle: `<file without .js>.<export>`. */
export const LAMBDA_HANDLER = "index.handler";

/** Environment variables the Lambda function receives. None of them holds a secret. */
export const LAMBDA_ENV = {
  /** `https://<auth0 domain>`: the OpenID issuer the app discovers once per cold start. */
  issuerBaseUrl: "ISSUER_BASE_URL",
  /** `https://<web host>`: the public base URL of the app (callback = BASE_URL + /callback). */
  baseUrl: "BASE_URL",
  /** SSM path (no trailing slash) below which the app's settings live as SecureString parameters. */
  settingsPath: "SETTINGS_PATH",
  /**
   * A short hash of the current cookie secret (never the secret). The app does not read it: it
   * changes with the secret, and a changed environment makes Lambda serve every later invocation
   * from fresh execution environments, which read both secrets from SSM.
   */
  settingsRevision: "SETTINGS_REVISION",
} as const;

/** The environment variables the app reads (the others are for the stack's own use). */
export const REQUIRED_LAMBDA_ENV = [
  LAMBDA_ENV.issuerBaseUrl,
  LAMBDA_ENV.baseUrl,
  LAMBDA_ENV.settingsPath,
] as const;

/** Names of the SSM SecureString parameters below `SETTINGS_PATH`. */
export const SETTINGS_PARAMETERS = {
  /** The web client's Auth0 client ID (written by the WebApp component). */
  clientId: "client-id",
  /** The web client's Auth0 client secret (written by the WebApp component). */
  clientSecret: "client-secret",
  /** The secret the app derives its cookie-sealing key from (written by WebEndpoint). */
  cookieSecret: "cookie-secret",
  /**
   * The cookie secret before the latest rotation (written by WebEndpoint; optional). Cookies sealed
   * with it are still opened, so a rotation neither signs anyone out nor breaks a sign-in in flight.
   */
  previousCookieSecret: "cookie-secret-previous",
} as const;

/** The parameters below `SETTINGS_PATH` the app cannot start without. */
export const REQUIRED_SETTINGS_PARAMETERS = [
  SETTINGS_PARAMETERS.clientId,
  SETTINGS_PARAMETERS.clientSecret,
  SETTINGS_PARAMETERS.cookieSecret,
] as const;

/** Routes of the web application. The Application Login URI is BASE_URL + LOGIN_PATH. */
export const ROUTES = {
  login: "/login",
  callback: "/callback",
  logout: "/logout",
  home: "/",
  health: "/healthz",
} as const;

/** The query parameter (and `/authorize` parameter) that carries a session transfer token. */
export const SESSION_TRANSFER_PARAM = "session_transfer_token";

/** The cookie a native app sets on the Auth0 domain to hand over a session transfer token. */
export const SESSION_TRANSFER_COOKIE = "auth0_session_transfer_token";

/**
 * How the web app authenticates at Auth0's token endpoint (openid-client's `ClientSecretBasic`);
 * the web client's `auth0.ClientCredentials` must declare the same method.
 */
export const WEB_CLIENT_AUTH_METHOD = "client_secret_basic";

/**
 * Messages of the structured log lines that operators alert on. The stack's metric filters match
 * these exact values, so the app and the alarms cannot drift apart.
 */
export const LOG_MESSAGES = {
  /**
   * The function could not load its settings (SSM) or discover the issuer; it answered 503. Always
   * one JSON object on one stdout line, with this value as `msg`.
   */
  settingsLoadFailed: "settings_load_failed",
  /** Auth0 refused the client's credentials at the token endpoint; settings are reloaded. */
  clientRejectedReloadingSettings: "client_rejected_reloading_settings",
} as const;
