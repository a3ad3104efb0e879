/**
 * The EventBridge event patterns that single out Native to Web SSO outcomes among the tenant's
 * logs, as data: the stack's rules (`components/monitoring/`), the local tenant's log stream
 * (`testkit/`) and the tests that prove them all import this module.
 *
 * The shape they match is what Auth0's log stream delivers to a partner event bus: an EventBridge
 * envelope (`source` = the partner event source `aws.partner/auth0.com/<tenant>-<id>/auth0.logs`,
 * `detail-type` = `"Auth0 log"`) whose `detail` holds `{ log_id, data: <the log event> }`. Seen in
 * events captured from real tenants, e.g. this-andy/thiscovery-core
 * `api/tests/test_data/auth0_test_events.py` (a `type: "s"` login) and the log stream preview quoted
 * in Auth0's EventBridge guide ("Stream Logs to Amazon EventBridge"). The fields of the log event
 * itself are Auth0's tenant log schema: auth0/docs-v2 `main/docs/oas/tenant-logs/logs-schema.json`.
 *
 * What tells a session transfer event apart (auth0/docs-v2
 * `main/docs/authenticate/single-sign-on/native-to-web/configure-implement-native-to-web.mdx`,
 * "Monitoring"):
 * - the exchange logs `sertft` (succeeded) or `fertft` (failed) with the root field
 *   `audience` = `urn:<domain>:session_transfer`; a replayed rotating refresh token logs `ferrt`
 *   ("reuse is detected", logs schema), with the same audience when it was a transfer exchange;
 * - `/authorize` logs `w` warnings whose `description` names the reason (the table below);
 * - a login that a session transfer token started logs `s` with
 *   `details.triggered_by_session_transfer_token: true` (logs schema, type `s`).
 *
 * Every pattern is limited to this stack's own clients (`client_id`), so ordinary logins and other
 * applications of the same tenant are not counted. Only exact values and `prefix` are used.
 */

/** `detail-type` of every event an Auth0 log stream puts on its partner bus. */
export const AUTH0_LOG_DETAIL_TYPE = "Auth0 log";

/** Every Auth0 partner event source name starts with this. */
export const AUTH0_PARTNER_SOURCE_PREFIX = "aws.partner/auth0.com/";

/** Auth0 log event types (auth0/docs-v2 `main/docs/deploy-monitor/logs/log-event-type-codes.mdx`). */
export const AUTH0_LOG_TYPES = {
  /** Successful exchange of a refresh token (a session transfer exchange when the audience says so). */
  exchangeSucceeded: "sertft",
  /** Failed exchange of a refresh token. */
  exchangeFailed: "fertft",
  /** Failed exchange of a rotating refresh token: reuse was detected. */
  rotatingExchangeFailed: "ferrt",
  /** Successful login. */
  login: "s",
  /** A warning during a login flow (`/authorize`). */
  warning: "w",
} as const;

/**
 * The descriptions of Auth0's session transfer warnings at `/authorize`, verbatim from the
 * "Session transfer validation warning logs" table of configure-implement-native-to-web.mdx.
 */
export const SESSION_TRANSFER_WARNINGS = {
  notFoundOrExpired:
    "Single Sign-On failed: Session Transfer Token not found or expired. This may indicate token reuse or expiration.",
  bindingMismatch:
    "Single Sign-On failed: Session Transfer Token device binding validation failed due to IP/ASN mismatch.",
  organizationMismatch: "Single Sign-On failed: Session Transfer Token organization mismatch detected.",
  userMismatch: "Single Sign-On failed: Session Transfer Token user mismatch detected.",
  parentRevoked:
    "Single Sign-On failed: Parent refresh token not found. Session Transfer Token won't be used for session establishment.",
} as const;

/** What each rule counts. Names are the rules' and the metrics' names. */
export const SSO_OUTCOMES = [
  "exchangeSucceeded",
  "exchangeFailed",
  "handOverRedeemed",
  "tokenNotFoundOrExpired",
  "bindingMismatch",
  "parentRefreshTokenRevoked",
  "organizationOrUserMismatch",
] as const;

/** One session transfer outcome that a rule counts. */
export type SsoOutcome = (typeof SSO_OUTCOMES)[number];

/** An outcome's part of resource names, e.g. `exchange-failed` for `exchangeFailed`. */
export function outcomeSlug(outcome: SsoOutcome): string {
  return outcome.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The `/authorize` warning kinds, in the order the dashboard shows them. */
export const WARNING_OUTCOMES = [
  "tokenNotFoundOrExpired",
  "bindingMismatch",
  "parentRefreshTokenRevoked",
  "organizationOrUserMismatch",
] as const satisfies readonly SsoOutcome[];

/** One sentence per outcome, for rule descriptions and the dashboard. */
export const OUTCOME_DESCRIPTIONS: Readonly<Record<SsoOutcome, string>> = {
  exchangeSucceeded: "Native app exchanged a refresh token for a session transfer token",
  exchangeFailed: "Auth0 refused a native app's exchange for a session transfer token",
  handOverRedeemed: "A session transfer token signed a user in to a web app",
  tokenNotFoundOrExpired: "/authorize: session transfer token not found, expired or already used",
  bindingMismatch: "/authorize: session transfer token presented from another IP address or network (ASN)",
  parentRefreshTokenRevoked: "/authorize: the refresh token the session transfer token came from was revoked",
  organizationOrUserMismatch: "/authorize: session transfer token for another organization or user",
};

/**
 * EventBridge's default quota on the size of one rule's event pattern, in characters (raised to
 * 4096 only on request; "Amazon EventBridge quotas", and `@pulumi/aws` `cloudwatch/eventRule.d.ts`).
 */
export const EVENT_PATTERN_MAX_CHARS = 2048;

/** An EventBridge pattern value: a list of exact values or `prefix` conditions (any may match). */
export type PatternCondition = string | boolean | { readonly prefix: string };

/** An EventBridge event pattern (nested objects, leaves are lists of conditions). */
export interface EventPattern {
  readonly [field: string]: readonly PatternCondition[] | EventPattern;
}

/** What the patterns need to know about the stack. */
export interface SsoPatternScope {
  /** `urn:<login domain>:session_transfer`, the audience of the exchange. */
  readonly sessionTransferAudience: string;
  /** Client IDs of the native apps that create session transfer tokens. */
  readonly nativeClientIds: readonly string[];
  /** Client IDs of the web apps that accept them. */
  readonly webClientIds: readonly string[];
}

function envelope(data: EventPattern): EventPattern {
  return {
    source: [{ prefix: AUTH0_PARTNER_SOURCE_PREFIX }],
    "detail-type": [AUTH0_LOG_DETAIL_TYPE],
    detail: { data },
  };
}

function nonEmpty(ids: readonly string[], what: string): string[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0 || unique.some((id) => id.length === 0)) {
    throw new Error(
      `The session transfer event patterns need at least one ${what} client ID, and no empty one.`,
    );
  }
  return unique.sort();
}

function warning(clientIds: string[], ...descriptions: string[]): EventPattern {
  // A prefix, not the whole sentence: Auth0 may add detail after it; the kinds never share a prefix.
  const prefixes = descriptions.map((d) => ({ prefix: d.slice(0, d.indexOf(".") + 1) }));
  return envelope({ type: [AUTH0_LOG_TYPES.warning], client_id: clientIds, description: prefixes });
}

/**
 * The pattern of each outcome for a stack. Exchanges are counted for every client of the stack
 * (a refresh token born of a transfer is presented by a web client), warnings and redeemed
 * hand-overs for the web clients (the ones `/authorize` runs for).
 */
export function ssoEventPatterns(scope: SsoPatternScope): Readonly<Record<SsoOutcome, EventPattern>> {
  const patterns = buildPatterns(scope);
  for (const outcome of SSO_OUTCOMES) {
    const size = JSON.stringify(patterns[outcome]).length;
    if (size > EVENT_PATTERN_MAX_CHARS) {
      throw new Error(
        `The ${outcome} event pattern is ${size} characters, over EventBridge's ${EVENT_PATTERN_MAX_CHARS}: ` +
          "too many client IDs for one rule. Ask AWS for the 4096-character quota, or split the clients over stacks.",
      );
    }
  }
  return patterns;
}

function buildPatterns(scope: SsoPatternScope): Record<SsoOutcome, EventPattern> {
  const web = nonEmpty(scope.webClientIds, "web");
  const all = [...new Set([...nonEmpty(scope.nativeClientIds, "native"), ...web])].sort();
  const audience = [scope.sessionTransferAudience];
  const w = SESSION_TRANSFER_WARNINGS;
  return {
    exchangeSucceeded: envelope({ type: [AUTH0_LOG_TYPES.exchangeSucceeded], audience, client_id: all }),
    exchangeFailed: envelope({
      type: [AUTH0_LOG_TYPES.exchangeFailed, AUTH0_LOG_TYPES.rotatingExchangeFailed],
      audience,
      client_id: all,
    }),
    handOverRedeemed: envelope({
      type: [AUTH0_LOG_TYPES.login],
      client_id: web,
      details: { triggered_by_session_transfer_token: [true] },
    }),
    tokenNotFoundOrExpired: warning(web, w.notFoundOrExpired),
    bindingMismatch: warning(web, w.bindingMismatch),
    parentRefreshTokenRevoked: warning(web, w.parentRevoked),
    organizationOrUserMismatch: warning(web, w.organizationMismatch, w.userMismatch),
  };
}
