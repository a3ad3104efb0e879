/**
 * Validation of untrusted request input. Pure functions, so the rules are testable on their own
 * and shared by every route.
 */

import { getPath } from "hono/utils/url";
import { ROUTES, SESSION_TRANSFER_PARAM } from "./contract";

/** Largest session transfer token accepted, in bytes (Auth0's tokens are far smaller). */
export const MAX_TOKEN_BYTES = 2048;
/** Largest `returnTo` accepted, in characters. */
export const MAX_RETURN_TO_LENGTH = 1024;
/** Largest raw query string accepted on any route, in characters. */
export const MAX_QUERY_LENGTH = 8192;

/** A rejected input: a stable machine-readable code and a message safe to show to the user. */
export interface InputProblem {
  code: string;
  message: string;
}

/** The parsed and validated parameters of `GET /login`. */
export interface LoginRequest {
  /** The session transfer token from the query, if any. */
  sessionTransferToken?: string;
  /** A path on this app (starting with a single `/`) to land on after signing in. */
  returnTo: string;
}

// C0 controls, DEL and C1 controls: never legitimate in a URL parameter.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
// Opaque tokens are visible ASCII; anything else (spaces, quotes are allowed by this range) is not a token.
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

// The token's parameter name, also percent-encoded (`%5F` for `_`), anywhere in a text.
const TOKEN_PARAM_IN_TEXT = new RegExp(SESSION_TRANSFER_PARAM.replaceAll("_", "(?:_|%5f)"), "i");

/** The query parameters the app reads on some route: the only names a message ever shows. */
const KNOWN_PARAMETERS: ReadonlySet<string> = new Set([
  SESSION_TRANSFER_PARAM,
  "returnTo",
  "refused",
  "code",
  "state",
  "iss",
  "error",
  "error_description",
]);

/**
 * How a message names a parameter: by its name when the app knows it, otherwise generically. A
 * name is the requester's text, and an outsider could otherwise put words on the product's page.
 */
function describeName(name: string): string {
  return KNOWN_PARAMETERS.has(name)
    ? `The query parameter ${name}`
    : "A query parameter this page does not use";
}

/** A parsed query: a value is a string, or an array of strings when the parameter is repeated. */
export type ParsedQuery = Record<string, string | string[]>;

/**
 * Parses a raw query string (WHATWG `application/x-www-form-urlencoded`, as browsers encode it).
 * Every parameter is kept, however many there are: nothing can hide behind filler parameters.
 */
export function parseQuery(rawQuery: string): ParsedQuery {
  const query: ParsedQuery = Object.create(null) as ParsedQuery;
  if (rawQuery === "") return query;
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const seen = query[name];
    if (seen === undefined) query[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[name] = [seen, value];
  }
  return query;
}

/**
 * Whether a request's `Sec-Fetch-Site` (Fetch Metadata, sent by every current browser engine) says
 * another site started it, or does not say this one did. Only `none` (the user or the native app
 * opened the URL), `same-origin` and a missing header (older WebViews send none) vouch for the
 * request; any other value (another case, repeated headers joined by commas, an unknown token)
 * counts as another site's, so a mangled header fails closed.
 */
export function isFromAnotherSite(secFetchSite: string | undefined): boolean {
  return secFetchSite !== undefined && secFetchSite !== "none" && secFetchSite !== "same-origin";
}

/**
 * Checks the query of any request: bounded length, no repeated parameter, no control characters in
 * names or values. `query` is {@link parseQuery}'s result for `rawQuery`.
 */
export function checkQuery(rawQuery: string, query: ParsedQuery): InputProblem | undefined {
  if (rawQuery.length > MAX_QUERY_LENGTH) {
    return {
      code: "query_too_long",
      message: `The query string is longer than ${MAX_QUERY_LENGTH} characters.`,
    };
  }
  for (const [name, value] of Object.entries(query)) {
    if (CONTROL_CHARACTERS.test(name)) {
      return { code: "control_characters", message: "A query parameter name contains control characters." };
    }
    if (Array.isArray(value)) {
      return {
        code: "repeated_parameter",
        message: `${describeName(name)} is repeated; send it once.`,
      };
    }
    if (CONTROL_CHARACTERS.test(value)) {
      return {
        code: "control_characters",
        message: `${describeName(name)} contains control characters.`,
      };
    }
  }
  return undefined;
}

/**
 * Validates a `returnTo` and reduces it to a path on this app: an absolute URL is accepted only for
 * this app's own origin, protocol-relative (`//host`) and backslash tricks are rejected, and the
 * sign-in routes themselves are refused (they would loop).
 */
export function checkReturnTo(raw: string, baseURL: string): { path: string } | InputProblem {
  const invalid = (message: string): InputProblem => ({ code: "invalid_return_to", message });
  if (raw.length === 0) return invalid("returnTo is empty.");
  if (raw.length > MAX_RETURN_TO_LENGTH) {
    return invalid(`returnTo is longer than ${MAX_RETURN_TO_LENGTH} characters.`);
  }
  // Browsers treat "\" like "/", so "/\evil.test" would be protocol-relative.
  if (raw.includes("\\")) return invalid("returnTo must be a path on this site.");
  const base = new URL(baseURL);
  let target: URL;
  try {
    target = new URL(raw, base);
  } catch {
    return invalid("returnTo is not a valid URL.");
  }
  const isRelativePath = raw.startsWith("/") && !raw.startsWith("//");
  if (target.origin !== base.origin || (!isRelativePath && !raw.startsWith(base.origin + "/"))) {
    return invalid("returnTo must be a path on this site.");
  }
  // The check above reads the raw string, but the path returned is the parsed one: "/..//evil.test"
  // parses to "//evil.test", which a browser follows to another host. Judge what is returned.
  if (target.pathname.startsWith("//")) return invalid("returnTo must be a path on this site.");
  // The fragment too: it stays in the address bar after sign-in (also inside a "#/route?..." hash).
  if (target.searchParams.has(SESSION_TRANSFER_PARAM) || TOKEN_PARAM_IN_TEXT.test(target.hash)) {
    return invalid("returnTo must not carry a session transfer token.");
  }
  // Compared as the router sees the path, percent-decoded: "/%6Cogout" is the logout route.
  const routed = routedPath(target.pathname);
  if (routed === ROUTES.login || routed === ROUTES.callback || routed === ROUTES.logout) {
    return invalid("returnTo must not point at a sign-in or sign-out route.");
  }
  return { path: target.pathname + target.search + target.hash };
}

/** A path as Hono's router matches it: percent-decoded by Hono's own `getPath`. */
function routedPath(path: string): string {
  return getPath(new Request(new URL(path, "https://path.invalid")));
}

/** Validates the query of `GET /login` (after {@link checkQuery} passed). */
export function parseLoginQuery(query: ParsedQuery, baseURL: string): LoginRequest | InputProblem {
  const token = query[SESSION_TRANSFER_PARAM];
  const returnTo = query.returnTo;
  let sessionTransferToken: string | undefined;
  if (token !== undefined) {
    if (typeof token !== "string") {
      return { code: "invalid_session_transfer_token", message: "session_transfer_token is malformed." };
    }
    if (token.length === 0) {
      return { code: "invalid_session_transfer_token", message: "session_transfer_token is empty." };
    }
    if (Buffer.byteLength(token, "utf8") > MAX_TOKEN_BYTES) {
      return {
        code: "invalid_session_transfer_token",
        message: `session_transfer_token is longer than ${MAX_TOKEN_BYTES} bytes.`,
      };
    }
    if (!TOKEN_CHARACTERS.test(token)) {
      return {
        code: "invalid_session_transfer_token",
        message: "session_transfer_token contains characters a token cannot have.",
      };
    }
    sessionTransferToken = token;
  }
  let path = "/";
  if (returnTo !== undefined) {
    if (typeof returnTo !== "string") return { code: "invalid_return_to", message: "returnTo is malformed." };
    const checked = checkReturnTo(returnTo, baseURL);
    if ("code" in checked) return checked;
    path = checked.path;
  }
  return { sessionTransferToken, returnTo: path };
}

/** Narrows a validation result to a problem. */
export function isProblem(value: object): value is InputProblem {
  return "code" in value && "message" in value;
}
