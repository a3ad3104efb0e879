/**
 * Every refusal the app answers with, each carrying its own HTTP status, and the one way a refusal
 * becomes an answer (status, headers, body): used by the routes, by the adapters' own error
 * answers (app/server.ts, app/lambda.ts) and by the Lambda's 503 before the app exists.
 */

import type { InputProblem } from "./input";
import { problemPage } from "./pages";

/** The statuses the app refuses with. */
export type ProblemStatus = 400 | 403 | 404 | 405 | 503;

/** A refusal: its status, the page's title, a stable machine-readable code and a message for the user. */
export interface Problem {
  readonly status: ProblemStatus;
  readonly title: string;
  readonly code: string;
  readonly message: string;
  /** For a 503: when to try again, in seconds (`Retry-After`). */
  readonly retryAfterS?: number;
  /** For a 405: the methods the route answers (`Allow`). */
  readonly allow?: string;
}

/** How long a client waits after a 503 that names no other time. */
export const DEFAULT_RETRY_AFTER_S = 5;

/** A malformed request (its query, its `returnTo`, its method or headers): 400. */
export function badRequest(p: InputProblem): Problem {
  return { status: 400, title: "Bad request", ...p };
}

const SIGN_IN_FAILED = "Sign-in did not complete";

/** The refusals of the routes, by name. */
export const PROBLEMS = {
  crossSiteToken: {
    status: 403,
    title: "Sign-in link refused",
    code: "cross_site_token",
    message:
      "This sign-in link was opened from another site, so its session transfer token was not used. " +
      "Open the web page from the app again.",
  },
  stateMismatch: {
    status: 400,
    title: SIGN_IN_FAILED,
    code: "state_mismatch",
    message:
      "This sign-in response does not belong to a sign-in started here (its state is missing, wrong or already used). " +
      "Start again from the app.",
  },
  transactionUsed: {
    status: 400,
    title: SIGN_IN_FAILED,
    code: "transaction_used",
    message: "This sign-in response was already used. Start again from the app.",
  },
  busy: {
    status: 503,
    title: "Sign-in is busy",
    code: "busy",
    message: "Too many sign-ins are completing at once. Please try again in a moment.",
  },
  callbackMethod: {
    status: 405,
    title: "Bad request",
    code: "method_not_allowed",
    message: "Use GET for the sign-in response.",
    allow: "GET",
  },
  crossOriginLogout: {
    status: 403,
    title: "Bad request",
    code: "cross_origin_logout",
    message: "Sign out from this site's own page.",
  },
  notFound: { status: 404, title: "Not found", code: "not_found", message: "There is no page here." },
  /** A request the adapter cannot hand to the app (a method or header no web Request may hold). */
  malformed: {
    status: 400,
    title: "Bad request",
    code: "malformed_request",
    message: "This request cannot be read.",
  },
} as const satisfies Record<string, Problem>;

/** Sign-in is unavailable (settings or the issuer): 503, try again after `retryAfterS`. */
export function unavailable(retryAfterS = DEFAULT_RETRY_AFTER_S, message?: string): Problem {
  return {
    status: 503,
    title: "Sign-in is unavailable",
    code: "unavailable",
    message: message ?? "Sign-in is temporarily unavailable. Please try again in a moment.",
    retryAfterS,
  };
}

/** An OAuth error code the app shows and logs as it is: a plain token, never free text. */
export function isPlainErrorCode(code: string): boolean {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(code);
}

/** The provider answered the callback with an error (its code shown only if it is a plain token). */
export function providerRefused(error: string, description: string | undefined): Problem {
  const code = isPlainErrorCode(error) ? error : "error";
  return {
    status: 400,
    title: SIGN_IN_FAILED,
    code,
    message:
      `The identity provider did not sign you in (${code})` +
      (description ? `: ${description.slice(0, 300)}` : ".") +
      " Go back to the app and try again.",
  };
}

/** The code exchange failed for this sign-in (`code` from app/oidc.ts). */
export function exchangeRefused(code: string): Problem {
  return {
    status: 400,
    title: SIGN_IN_FAILED,
    code,
    message: `The identity provider did not complete this sign-in (${code}). Start again from the app.`,
  };
}

/** What a refusal is sent as. */
export interface ProblemAnswer {
  readonly status: ProblemStatus;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A refusal as an answer: the security headers, JSON when the client asked for it, else the
 * problem page, which replaces its history entry when the URL had a query (it may hold a token).
 */
export function problemAnswer(
  problem: Problem,
  options: {
    securityHeaders: ReadonlyArray<readonly [string, string]>;
    json: boolean;
    cleanAddress: boolean;
  },
): ProblemAnswer {
  const headers: Record<string, string> = Object.fromEntries(
    options.securityHeaders.map(([name, value]) => [name.toLowerCase(), value]),
  );
  if (problem.status === 503) headers["retry-after"] = String(problem.retryAfterS ?? DEFAULT_RETRY_AFTER_S);
  if (problem.allow) headers.allow = problem.allow;
  if (options.json) {
    headers["content-type"] = "application/json";
    return {
      status: problem.status,
      headers,
      body: JSON.stringify({ error: problem.code, message: problem.message }),
    };
  }
  headers["content-type"] = "text/html; charset=utf-8";
  const body = problemPage(
    problem.status,
    problem.title,
    problem.code,
    problem.message,
    options.cleanAddress,
  );
  return { status: problem.status, headers, body };
}
