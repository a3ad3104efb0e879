import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { filterPattern, LOG_METRICS, type LogMetricName } from "./log-filters";
import type { MonitoredEndpoint } from "./metrics";

/** Arguments of {@link EndpointLogMetrics}. */
export interface EndpointLogMetricsArgs {
  /** The endpoint whose function and access logs are read. */
  readonly endpoint: MonitoredEndpoint;
  /** The CloudWatch namespace of the metrics (one per stack, e.g. `NativeWebSso/prod`). */
  readonly namespace: string;
}

/** kebab-case logical name part of a log metric. */
function kebab(name: LogMetricName): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Metric filters that count what only the web endpoint's logs tell: settings-load failures (the
 * app's own structured line), throttled requests (429 in the access log) and completed sign-ins
 * (`/callback` redirecting into the app). Patterns from `./log-filters`.
 */
export class EndpointLogMetrics extends pulumi.ComponentResource {
  /** The metric filters, by metric. */
  readonly filters: Readonly<Record<LogMetricName, aws.cloudwatch.LogMetricFilter>>;

  constructor(name: string, args: EndpointLogMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:monitoring:EndpointLogMetrics", name, {}, opts);
    const filters = {} as Record<LogMetricName, aws.cloudwatch.LogMetricFilter>;
    for (const metric of Object.keys(LOG_METRICS) as LogMetricName[]) {
      const definition = LOG_METRICS[metric];
      filters[metric] = new aws.cloudwatch.LogMetricFilter(
        `${name}-${kebab(metric)}`,
        {
          logGroupName:
            definition.logGroup === "function"
              ? args.endpoint.functionLogGroupName
              : args.endpoint.accessLogGroupName,
          pattern: filterPattern(definition),
          metricTransformation: {
            namespace: args.namespace,
            name: definition.metricName,
            value: "1",
            // Periods with log lines but no match report 0 instead of nothing.
            defaultValue: "0",
            unit: "Count",
          },
        },
        { parent: this },
      );
    }
    this.filters = filters;
    this.registerOutputs({ filters: this.filters });
  }
}
