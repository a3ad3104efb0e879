/**
 * CloudWatch Logs metric filters over the web endpoint's own logs, as data: the metric filters of
 * the stack and the tests that run them against real log lines both import this module.
 *
 * Each filter is a conjunction of JSON selectors, `{ ($.field = "value") && ... }` (CloudWatch's
 * "Using filter patterns to match terms in JSON log events": a string value in double quotes is
 * an exact string comparison). No library on the npm registry evaluates CloudWatch filter
 * patterns, so the patterns stay in this one unambiguous form, rendered from the data below, and
 * the tests evaluate the same data against the parsed log line.
 */

import { LOG_MESSAGES, ROUTES } from "../../app/contract";

/** `$.field = "value"` on a JSON log event. */
export interface JsonEquals {
  /** A top-level field of the JSON log event, e.g. `msg`. */
  readonly field: string;
  /** Its exact value (JSON string). */
  readonly equals: string;
}

/** Which of the endpoint's log groups a filter reads. */
export type EndpointLogGroup = "function" | "access";

/** One metric counted from log lines. */
export interface LogMetric {
  readonly logGroup: EndpointLogGroup;
  /** CloudWatch metric name (in the stack's namespace). */
  readonly metricName: string;
  /** All must hold. */
  readonly match: readonly JsonEquals[];
}

/**
 * The metrics counted from log lines. The function logs are the app's JSON lines (`app/log.ts`);
 * the access logs are the API stage's JSON access log (`components/web-endpoint.ts`), whose
 * `status` and `path` fields are strings.
 */
export const LOG_METRICS = {
  /** The function could not load its settings or discover the issuer (it answered 503). */
  settingsLoadFailures: {
    logGroup: "function",
    metricName: "SettingsLoadFailures",
    match: [{ field: "msg", equals: LOG_MESSAGES.settingsLoadFailed }],
  },
  /** Requests the API stage refused with 429 (its throttling limits). */
  throttledRequests: {
    logGroup: "access",
    metricName: "ThrottledRequests",
    match: [{ field: "status", equals: "429" }],
  },
  /** Sign-ins that completed: `/callback` redirected the user into the app. */
  loginsCompleted: {
    logGroup: "access",
    metricName: "LoginsCompleted",
    match: [
      { field: "path", equals: ROUTES.callback },
      { field: "status", equals: "302" },
    ],
  },
} as const satisfies Record<string, LogMetric>;

/** Name of one of {@link LOG_METRICS}. */
export type LogMetricName = keyof typeof LOG_METRICS;

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The CloudWatch Logs filter pattern of a metric: `{ ($.a = "x") && ($.b = "y") }`. */
export function filterPattern(metric: LogMetric): string {
  const terms = metric.match.map(({ field, equals }) => {
    if (!FIELD.test(field)) throw new Error(`Not a plain JSON field name: ${field}`);
    if (/["\\]/.test(equals))
      throw new Error(`A filter value may not contain quotes or backslashes: ${equals}`);
    return `($.${field} = "${equals}")`;
  });
  return `{ ${terms.join(" && ")} }`;
}

/** Whether a log line (one JSON object) is counted by the metric, per the metric's selectors. */
export function lineMatches(metric: LogMetric, line: string): boolean {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return false; // A JSON selector never matches a line that is not JSON.
  }
  if (event === null || typeof event !== "object" || Array.isArray(event)) return false;
  const fields = event as Record<string, unknown>;
  return metric.match.every(({ field, equals }) => fields[field] === equals);
}
