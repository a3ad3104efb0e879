/**
 * The CloudWatch metrics of the SSO funnel and of the endpoint, named once for the alarms and the
 * dashboard.
 *
 * - Rule matches: `AWS/Events` `MatchedEvents` by `RuleName` (AWS's metric metadata as the CDK
 *   generates it: aws-cdk `packages/@aws-cdk/aws-events/lib/events-canned-metrics.generated.ts`,
 *   `matchedEventsSum({ RuleName })`), with `EventBusName` too for a rule on a custom or partner bus
 *   ("Metrics that specify both the EventBusName and RuleName dimensions refer to a custom event
 *   bus", docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html). Every rule also has
 *   a target (the archive log group), so its `Invocations` and `TriggeredRules` exist as well. Sent
 *   only while non-zero: alarms treat missing data as zero.
 * - The HTTP API: `AWS/ApiGateway` `Count`, `4xx`, `5xx`, `Latency` by `ApiId` + `Stage`
 *   ("Monitoring HTTP API metrics", docs.aws.amazon.com/apigateway/latest/developerguide/
 *   http-api-metrics.html). A 429 is one of the 4xx; the access log says which (see log-filters).
 * - The function: `AWS/Lambda` `Errors`, `Throttles`, `ConcurrentExecutions` by `FunctionName`.
 * - Log metrics ({@link LOG_METRICS}): the stack's own namespace.
 */

import type * as pulumi from "@pulumi/pulumi";
import type { SsoOutcome } from "../../model/sso-event-patterns";
import type { LogMetricName } from "./log-filters";
import { LOG_METRICS } from "./log-filters";

/** A metric as CloudWatch names it. */
export interface MetricId {
  /** e.g. `AWS/Events`, or the stack's own for log metrics. */
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name to value (values may be known only after deployment). */
  readonly dimensions: Readonly<Record<string, pulumi.Input<string>>>;
}

/** The rules that count outcomes, by outcome (rule names are assigned by the cloud). */
export interface OutcomeRules {
  /** The partner event bus the rules are on. */
  readonly eventBusName: pulumi.Input<string>;
  /** Each outcome's rule name. */
  readonly ruleNames: Readonly<Record<SsoOutcome, pulumi.Input<string>>>;
}

/** The parts of the web endpoint that are measured. */
export interface MonitoredEndpoint {
  /** The HTTP API's ID. */
  readonly apiId: pulumi.Input<string>;
  /** The stage that serves it (`$default`). */
  readonly stage: string;
  /** The function's name (all versions and aliases). */
  readonly functionName: pulumi.Input<string>;
  /** The function's log group (the app's JSON lines). */
  readonly functionLogGroupName: pulumi.Input<string>;
  /** The stage's access log group (JSON, one line per request). */
  readonly accessLogGroupName: pulumi.Input<string>;
}

/** How many events matched an outcome's rule. */
export function outcomeMetric(rules: OutcomeRules, outcome: SsoOutcome): MetricId {
  return {
    namespace: "AWS/Events",
    metricName: "MatchedEvents",
    dimensions: { EventBusName: rules.eventBusName, RuleName: rules.ruleNames[outcome] },
  };
}

/** One of the HTTP API's metrics. */
export function apiMetric(
  endpoint: MonitoredEndpoint,
  metricName: "Count" | "4xx" | "5xx" | "Latency",
): MetricId {
  return {
    namespace: "AWS/ApiGateway",
    metricName,
    dimensions: { ApiId: endpoint.apiId, Stage: endpoint.stage },
  };
}

/** One of the function's metrics. */
export function functionMetric(
  endpoint: MonitoredEndpoint,
  metricName: "Errors" | "Throttles" | "ConcurrentExecutions",
): MetricId {
  return { namespace: "AWS/Lambda", metricName, dimensions: { FunctionName: endpoint.functionName } };
}

/** A metric counted from the endpoint's logs, in the stack's namespace. */
export function logMetric(namespace: string, name: LogMetricName): MetricId {
  return { namespace, metricName: LOG_METRICS[name].metricName, dimensions: {} };
}

/** The namespace of a stack's log metrics, e.g. `NativeWebSso/prod`. */
export function logMetricNamespace(stack: string): string {
  return `NativeWebSso/${stack}`;
}
