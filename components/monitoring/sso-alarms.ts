import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackAwsNames } from "../../model/aws-names";
import {
  apiMetric,
  functionMetric,
  logMetric,
  outcomeMetric,
  type MetricId,
  type MonitoredEndpoint,
  type OutcomeRules,
} from "./metrics";

/** When the alarms go off. Every period is five minutes. */
export interface SsoAlarmThresholds {
  /** Failed session transfer exchanges, in % of all exchanges, at or above which the alarm fires. */
  readonly exchangeFailurePercent: number;
  /** The failure ratio is judged only once this many exchanges failed in a period (quiet hours stay quiet). */
  readonly exchangeFailureMinCount: number;
  /** `/authorize` binding-mismatch warnings (IP or ASN) per period. */
  readonly bindingMismatchCount: number;
  /** Endpoint 5xx responses, in % of requests. */
  readonly endpoint5xxPercent: number;
  /** Endpoint 4xx responses (429 included), in % of requests. */
  readonly endpoint4xxPercent: number;
  /** The 4xx and 5xx ratios are judged only once the endpoint served this many requests in a period. */
  readonly endpointMinRequests: number;
  /** Requests the API refused with 429 per period. */
  readonly throttledRequestCount: number;
  /** Function errors (and, separately, function throttles) per period. */
  readonly functionErrorCount: number;
  /** Settings-load failures of the function per period. */
  readonly settingsLoadFailureCount: number;
  /** p99 of the endpoint's latency, in milliseconds, in two of three periods. */
  readonly loginLatencyP99Ms: number;
}

/** Arguments of {@link SsoAlarms}. */
export interface SsoAlarmsArgs {
  /** The stack's physical AWS names: the topic's, and every alarm's (`native-web-sso-prod_<alarm>`). */
  readonly names: StackAwsNames;
  /** The rules that count session transfer outcomes. */
  readonly outcomeRules: OutcomeRules;
  /** The web endpoint, when the stack hosts one; without it only the Auth0 side is alarmed. */
  readonly endpoint?: MonitoredEndpoint;
  /** Namespace of the endpoint's log metrics (see `EndpointLogMetrics`). */
  readonly logMetricNamespace: string;
  /** An e-mail address the topic notifies (confirmation required); none when empty. */
  readonly alarmEmail: string;
  /** When each alarm fires. */
  readonly thresholds: SsoAlarmThresholds;
}

const PERIOD_S = 300;

/** The alarms of a stack, by what they watch. */
export type SsoAlarmName =
  | "exchange-failures"
  | "binding-mismatch"
  | "endpoint-5xx"
  | "endpoint-4xx"
  | "throttled-requests"
  | "function-errors"
  | "function-throttles"
  | "settings-load-failures"
  | "login-latency-p99";

type Query = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

function metricQuery(id: string, metric: MetricId, stat: string, returnData = false): Query {
  return {
    id,
    returnData,
    metric: {
      namespace: metric.namespace,
      metricName: metric.metricName,
      dimensions: metric.dimensions,
      period: PERIOD_S,
      stat,
    },
  };
}

function expression(id: string, expr: string, label: string, returnData = true): Query {
  return { id, expression: expr, label, returnData };
}

/** `100 * part / whole`, judged only once `gate` reaches `min` (else 0). Missing data counts as 0. */
function gatedPercent(part: string, whole: string, gate: string, min: number): string {
  return `IF(FILL(${gate}, 0) >= ${min}, 100 * FILL(${part}, 0) / FILL(${whole}, 1), 0)`;
}

/**
 * An SNS topic, an optional e-mail subscription, and the CloudWatch alarms of Native to Web SSO:
 * failed exchanges (ratio to all exchanges), binding-mismatch warnings, and, with an endpoint, its
 * 5xx and 4xx ratios, throttled requests, function errors and throttles, settings-load failures
 * and p99 latency. Every alarm notifies the topic when it fires and when it clears.
 */
export class SsoAlarms extends pulumi.ComponentResource {
  /** The topic every alarm notifies; subscribe chat or paging to it. */
  readonly topic: aws.sns.Topic;
  /** The alarms by name. */
  readonly alarms: Readonly<Partial<Record<SsoAlarmName, aws.cloudwatch.MetricAlarm>>>;

  constructor(name: string, args: SsoAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:monitoring:SsoAlarms", name, {}, opts);
    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: args.names.alarmTopicName, displayName: "Native to Web SSO alarms" },
      { parent: this },
    );
    if (args.alarmEmail !== "") {
      new aws.sns.TopicSubscription(
        `${name}-email`,
        { topic: this.topic.arn, protocol: "email", endpoint: args.alarmEmail },
        { parent: this },
      );
    }
    const t = args.thresholds;
    const alarms: Partial<Record<SsoAlarmName, aws.cloudwatch.MetricAlarm>> = {};
    const add = (
      alarm: SsoAlarmName,
      description: string,
      queries: Query[],
      threshold: number,
      of = 1,
    ): void => {
      alarms[alarm] = new aws.cloudwatch.MetricAlarm(
        `${name}-${alarm}`,
        {
          name: args.names.flat(alarm),
          alarmDescription: `${description} Runbook: README, "Alarms", ${alarm}.`,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold,
          evaluationPeriods: of === 1 ? 1 : 3,
          datapointsToAlarm: of,
          metricQueries: queries,
          treatMissingData: "notBreaching",
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
        },
        { parent: this },
      );
    };

    const rules = args.outcomeRules;
    add(
      "exchange-failures",
      "Native apps cannot get session transfer tokens: users open the web app signed out.",
      [
        metricQuery("failed", outcomeMetric(rules, "exchangeFailed"), "Sum"),
        metricQuery("succeeded", outcomeMetric(rules, "exchangeSucceeded"), "Sum"),
        expression("all", "FILL(failed, 0) + FILL(succeeded, 0)", "Exchanges", false),
        expression(
          "ratio",
          gatedPercent("failed", "all", "failed", t.exchangeFailureMinCount),
          "Failed exchanges (%)",
        ),
      ],
      t.exchangeFailurePercent,
    );
    add(
      "binding-mismatch",
      "Session transfer tokens are refused because the web request came from another IP or network.",
      [metricQuery("mismatch", outcomeMetric(rules, "bindingMismatch"), "Sum", true)],
      t.bindingMismatchCount,
    );

    const endpoint = args.endpoint;
    if (endpoint) {
      const requests = metricQuery("requests", apiMetric(endpoint, "Count"), "Sum");
      add(
        "endpoint-5xx",
        "The sign-in endpoint fails: users see an error page instead of the web app.",
        [
          requests,
          metricQuery("errors", apiMetric(endpoint, "5xx"), "Sum"),
          expression(
            "ratio",
            gatedPercent("errors", "requests", "requests", t.endpointMinRequests),
            "5xx (%)",
          ),
        ],
        t.endpoint5xxPercent,
      );
      add(
        "endpoint-4xx",
        "The sign-in endpoint refuses many requests: broken links, a bad app release, or throttling.",
        [
          requests,
          metricQuery("refused", apiMetric(endpoint, "4xx"), "Sum"),
          expression(
            "ratio",
            gatedPercent("refused", "requests", "requests", t.endpointMinRequests),
            "4xx (%)",
          ),
        ],
        t.endpoint4xxPercent,
      );
      add(
        "throttled-requests",
        "The API refuses requests with 429 (its burst or rate limit): users cannot sign in.",
        [metricQuery("throttled", logMetric(args.logMetricNamespace, "throttledRequests"), "Sum", true)],
        t.throttledRequestCount,
      );
      add(
        "function-errors",
        "The web app's function fails invocations.",
        [metricQuery("errors", functionMetric(endpoint, "Errors"), "Sum", true)],
        t.functionErrorCount,
      );
      add(
        "function-throttles",
        "Lambda throttles the web app's function (account or reserved concurrency exhausted).",
        [metricQuery("throttles", functionMetric(endpoint, "Throttles"), "Sum", true)],
        t.functionErrorCount,
      );
      add(
        "settings-load-failures",
        "The web app cannot load its settings from SSM or discover the issuer: every sign-in answers 503.",
        [metricQuery("failures", logMetric(args.logMetricNamespace, "settingsLoadFailures"), "Sum", true)],
        t.settingsLoadFailureCount,
      );
      add(
        "login-latency-p99",
        "Sign-in pages are slow (p99): cold starts, a slow tenant, or an overloaded function.",
        [metricQuery("latency", apiMetric(endpoint, "Latency"), "p99", true)],
        t.loginLatencyP99Ms,
        2,
      );
    }
    this.alarms = alarms;
    this.registerOutputs({ topic: this.topic, alarms: this.alarms });
  }
}
