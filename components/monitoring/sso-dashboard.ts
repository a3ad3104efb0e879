import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OUTCOME_DESCRIPTIONS, WARNING_OUTCOMES } from "../../model/sso-event-patterns";
import {
  apiMetric,
  functionMetric,
  logMetric,
  outcomeMetric,
  type MetricId,
  type MonitoredEndpoint,
  type OutcomeRules,
} from "./metrics";

/** Arguments of {@link SsoDashboard}. */
export interface SsoDashboardArgs {
  /** The dashboard's name, e.g. `native-web-sso-prod`. */
  readonly dashboardName: string;
  /** The region the metrics live in (the stack's). */
  readonly region: pulumi.Input<string>;
  /** The rules whose matched events make the funnel and the warnings panels. */
  readonly outcomeRules: OutcomeRules;
  /** The web endpoint, when the stack hosts one. */
  readonly endpoint?: MonitoredEndpoint;
  /** Namespace of the endpoint's log metrics. */
  readonly logMetricNamespace: string;
  /** ARNs of the alarms to show in the status panel. */
  readonly alarmArns: pulumi.Input<string>[];
}

/** One line of a metric widget, as CloudWatch's dashboard body takes it. */
interface Line {
  readonly metric: MetricId;
  readonly label: string;
  readonly stat: string;
}

/** The titles of the dashboard's panels, which the runbook refers to. */
export const DASHBOARD_PANELS = {
  funnel: "SSO funnel: exchanges, hand-overs, completed sign-ins",
  warnings: "Session transfer warnings at /authorize, by kind",
  requests: "Endpoint: requests, 4xx, 5xx, 429",
  latency: "Endpoint: latency (ms)",
  function: "Function: errors, throttles, settings-load failures, concurrency",
  alarms: "Alarms",
} as const;

const line = (metric: MetricId, label: string, stat = "Sum"): Line => ({ metric, label, stat });

/** Resolves the lines' dimensions into the dashboard's `[namespace, name, dim, value, ..., {opts}]` rows. */
function rows(lines: Line[]): pulumi.Output<unknown[][]> {
  return pulumi.all(
    lines.map((l) =>
      pulumi
        .all(l.metric.dimensions)
        .apply((dims) => [
          l.metric.namespace,
          l.metric.metricName,
          ...Object.entries(dims).flat(),
          { stat: l.stat, label: l.label },
        ]),
    ),
  );
}

/**
 * A CloudWatch dashboard: the SSO funnel (exchanges succeeded and failed, hand-overs redeemed,
 * sign-ins completed at `/callback`) and the warnings by kind, next to the endpoint's health
 * (requests, 4xx, 5xx, 429, latency, function errors and throttles, settings-load failures) and
 * the alarms' state.
 */
export class SsoDashboard extends pulumi.ComponentResource {
  /** The dashboard (its name is `dashboardName`). */
  readonly dashboard: aws.cloudwatch.Dashboard;

  constructor(name: string, args: SsoDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:monitoring:SsoDashboard", name, {}, opts);
    const rules = args.outcomeRules;
    const ep = args.endpoint;
    const ns = args.logMetricNamespace;
    const funnel = [
      line(outcomeMetric(rules, "exchangeSucceeded"), "Exchanges succeeded"),
      line(outcomeMetric(rules, "exchangeFailed"), "Exchanges failed"),
      line(outcomeMetric(rules, "handOverRedeemed"), "Hand-overs redeemed"),
      ...(ep ? [line(logMetric(ns, "loginsCompleted"), "Sign-ins completed at /callback")] : []),
    ];
    const warnings = WARNING_OUTCOMES.map((o) => line(outcomeMetric(rules, o), OUTCOME_DESCRIPTIONS[o]));
    const panels: { title: string; lines: Line[] }[] = [
      { title: DASHBOARD_PANELS.funnel, lines: funnel },
      { title: DASHBOARD_PANELS.warnings, lines: warnings },
    ];
    if (ep) {
      panels.push(
        {
          title: DASHBOARD_PANELS.requests,
          lines: [
            line(apiMetric(ep, "Count"), "Requests"),
            line(apiMetric(ep, "4xx"), "4xx"),
            line(apiMetric(ep, "5xx"), "5xx"),
            line(logMetric(ns, "throttledRequests"), "429 (throttled)"),
          ],
        },
        {
          title: DASHBOARD_PANELS.latency,
          lines: [line(apiMetric(ep, "Latency"), "p50", "p50"), line(apiMetric(ep, "Latency"), "p99", "p99")],
        },
        {
          title: DASHBOARD_PANELS.function,
          lines: [
            line(functionMetric(ep, "Errors"), "Errors"),
            line(functionMetric(ep, "Throttles"), "Throttles"),
            line(logMetric(ns, "settingsLoadFailures"), "Settings-load failures"),
            line(functionMetric(ep, "ConcurrentExecutions"), "Concurrent executions", "Maximum"),
          ],
        },
      );
    }
    const body = pulumi
      .all([pulumi.all(panels.map((p) => rows(p.lines))), args.region, pulumi.all(args.alarmArns)])
      .apply(([metricRows, region, alarmArns]) => {
        const widgets: unknown[] = panels.map((panel, i) => ({
          type: "metric",
          x: (i % 2) * 12,
          y: Math.floor(i / 2) * 6,
          width: 12,
          height: 6,
          properties: {
            title: panel.title,
            region,
            view: "timeSeries",
            stacked: false,
            period: 300,
            metrics: metricRows[i],
          },
        }));
        widgets.push({
          type: "alarm",
          x: 0,
          y: Math.ceil(panels.length / 2) * 6,
          width: 24,
          height: 4,
          properties: { title: DASHBOARD_PANELS.alarms, alarms: [...alarmArns].sort() },
        });
        return JSON.stringify({ widgets });
      });
    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: args.dashboardName, dashboardBody: body },
      { parent: this },
    );
    this.registerOutputs({ dashboard: this.dashboard });
  }
}
