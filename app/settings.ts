/** What the login application is configured with. The factory reads no environment variables. */

import type { LogSink } from "./log";

/** Everything the login application needs. */
export interface LoginAppSettings {
  /** `https://<auth0 domain>`: discovered once per process. openid-client v6 requires https. */
  issuerBaseURL: string;
  /** Public base URL of the app; `https` makes every cookie `Secure` and every response carry HSTS. */
  baseURL: string;
  /** The web client's ID. */
  clientID: string;
  /** The web client's secret (code exchange at the token endpoint, HTTP Basic). */
  clientSecret: string;
  /** Secret the session and transaction cookies are sealed with (at least 16 characters). */
  secret: string;
  /**
   * The cookie secret before the latest rotation, if any: cookies sealed with it are still opened
   * (and sealed again with {@link secret} when next written), so a rotation signs nobody out.
   */
  previousSecret?: string;
  /** Where log records go. Default: JSON lines on stdout. Every record is redacted first. */
  log?: LogSink;
  /** Timeout of each request to the issuer, in ms. Default 5000. */
  httpTimeoutMs?: number;
  /**
   * Called when the token endpoint itself refuses this client's credentials (`invalid_client`, or a
   * 401), e.g. after the client secret was rotated: the Lambda handler then reloads its settings.
   */
  onClientRejected?: () => void;
}

/** Shortest cookie secret accepted (the stack generates 64 characters; `openssl rand -hex 32` gives 64). */
export const MIN_SECRET_LENGTH = 16;

/** Throws one error naming every setting that cannot work. */
export function checkSettings(settings: LoginAppSettings): void {
  const problems: string[] = [];
  for (const [name, value] of [
    ["issuerBaseURL", settings.issuerBaseURL],
    ["baseURL", settings.baseURL],
  ] as const) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      problems.push(`${name} is not a URL`);
    }
    if (url && url.protocol !== "https:" && !(name === "baseURL" && url.protocol === "http:")) {
      problems.push(`${name} must be an https URL`);
    }
  }
  if (!settings.clientID) problems.push("clientID is empty");
  if (!settings.clientSecret) problems.push("clientSecret is empty");
  for (const [name, value] of [
    ["secret", settings.secret],
    ["previousSecret", settings.previousSecret],
  ] as const) {
    if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
      problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid settings: ${problems.join("; ")}`);
}
