/**
 * The monitoring components, constructed directly under the Pulumi runtime's mocks: what each
 * declares and how the parts are wired (stream → bus → rules → archive; metrics → alarms → topic;
 * metrics → dashboard), with and without a hosted web endpoint.
 */

import { beforeAll, describe, expect, it } from "vitest";
import { SSO_OUTCOMES, ssoEventPatterns, type SsoPatternScope } from "../model/sso-event-patterns";
import type { SsoAlarmThresholds } from "../components/monitoring/sso-alarms";
import { resourcesOf, type ModelResource, type StackModel } from "../model/rendered";
import { renderStack } from "../offline/render";
import { onlyResource } from "../testkit/model";
import { stackAwsNames } from "../model/aws-names";

const NAMES = stackAwsNames("native-web-sso", "test");

const SCOPE: SsoPatternScope = {
  sessionTransferAudience: "urn:login.acme.test:session_transfer",
  nativeClientIds: ["ios-client", "android-client"],
  webClientIds: ["web-client", "spa-client"],
};
const THRESHOLDS: SsoAlarmThresholds = {
  exchangeFailurePercent: 10,
  exchangeFailureMinCount: 5,
  bindingMismatchCount: 5,
  endpoint5xxPercent: 5,
  endpoint4xxPercent: 25,
  endpointMinRequests: 20,
  throttledRequestCount: 10,
  functionErrorCount: 1,
  settingsLoadFailureCount: 1,
  loginLatencyP99Ms: 3000,
};
const NAMESPACE = "NativeWebSso/test";

async function renderMonitoring(options: { endpoint: boolean; alarmEmail?: string }): Promise<StackModel> {
  return renderStack({
    stack: "dev",
    preview: false,
    loadProgram: async () => {
      const { Auth0LogStream } = await import("../components/monitoring/auth0-log-stream");
      const { SsoEventRules } = await import("../components/monitoring/sso-event-rules");
      const { EndpointLogMetrics } = await import("../components/monitoring/endpoint-log-metrics");
      const { SsoAlarms } = await import("../components/monitoring/sso-alarms");
      const { SsoDashboard } = await import("../components/monitoring/sso-dashboard");
      const endpoint = options.endpoint
        ? {
            apiId: "api-123",
            stage: "$default",
            functionName: "fn-web",
            functionLogGroupName: "/aws/lambda/fn-web",
            accessLogGroupName: "/aws/apigateway/api-123",
          }
        : undefined;
      const stream = new Auth0LogStream("sso-log-stream", {
        streamName: "Native to Web SSO (test)",
        awsAccountId: "123456789012",
        awsRegion: "eu-west-1",
        tags: NAMES.tags,
      });
      const rules = new SsoEventRules("sso-rules", {
        eventBusName: stream.bus.name,
        scope: SCOPE,
        archiveLogGroupName: NAMES.archiveLogGroup,
        archivePolicyName: NAMES.archivePolicyName,
        ruleName: NAMES.flat,
        logRetentionDays: 30,
      });
      if (endpoint) new EndpointLogMetrics("sso-log-metrics", { endpoint, namespace: NAMESPACE });
      const alarms = new SsoAlarms("sso-alarms", {
        names: NAMES,
        outcomeRules: rules.outcomeRules,
        endpoint,
        logMetricNamespace: NAMESPACE,
        alarmEmail: options.alarmEmail ?? "",
        thresholds: THRESHOLDS,
      });
      new SsoDashboard("sso-dashboard", {
        dashboardName: "native-web-sso-test",
        region: "eu-west-1",
        outcomeRules: rules.outcomeRules,
        endpoint,
        logMetricNamespace: NAMESPACE,
        alarmArns: Object.values(alarms.alarms).map((a) => a.arn),
      });
      return { topic: alarms.topic.arn };
    },
  });
}

interface Query {
  id: string;
  expression?: string;
  returnData?: boolean;
  metric?: { namespace: string; metricName: string; dimensions?: Record<string, string>; stat: string };
}

function queries(alarm: ModelResource): Query[] {
  return alarm.inputs.metricQueries as unknown as Query[];
}

describe("monitoring components with a hosted web endpoint", () => {
  let model: StackModel;
  beforeAll(async () => {
    model = await renderMonitoring({ endpoint: true, alarmEmail: "sso-oncall@acme.test" });
  });

  it("streams the tenant's session transfer log categories to the stack's AWS account and region", () => {
    const stream = onlyResource(model, "auth0:index/logStream:LogStream");
    expect(stream.inputs).toMatchObject({
      type: "eventbridge",
      status: "active",
      sink: { awsAccountId: "123456789012", awsRegion: "eu-west-1" },
    });
    expect((stream.inputs.filters as { name: string }[]).map((f) => f.name)).toEqual([
      "auth.token_exchange.success",
      "auth.token_exchange.fail",
      "auth.login.notification",
      "auth.login.success",
    ]);
  });

  it("creates the partner bus under the stream's event source name, which associates the two", () => {
    const bus = onlyResource(model, "aws:cloudwatch/eventBus:EventBus");
    expect(bus.inputs.name).toMatch(/^aws\.partner\/auth0\.com\/.+\/auth0\.logs$/);
    expect(bus.inputs.eventSourceName).toBe(bus.inputs.name);
  });

  it("puts one rule per outcome on that bus, with the shared patterns, each delivering to the archive", () => {
    const bus = onlyResource(model, "aws:cloudwatch/eventBus:EventBus");
    const rules = resourcesOf(model, "aws:cloudwatch/eventRule:EventRule");
    expect(rules).toHaveLength(SSO_OUTCOMES.length);
    const expected = ssoEventPatterns(SCOPE);
    const patterns = rules.map((r) => String(r.inputs.eventPattern)).sort();
    expect(patterns).toEqual(SSO_OUTCOMES.map((o) => JSON.stringify(expected[o])).sort());
    for (const rule of rules) expect(rule.inputs.eventBusName, rule.name).toBe(bus.inputs.name);

    const archive = onlyResource(model, "aws:cloudwatch/logGroup:LogGroup");
    expect(archive.inputs).toMatchObject({ name: "/aws/events/native-web-sso/test", retentionInDays: 30 });
    const targets = resourcesOf(model, "aws:cloudwatch/eventTarget:EventTarget");
    expect(targets.map((t) => t.inputs.rule).sort()).toEqual(rules.map((r) => String(r.inputs.name)).sort());
    for (const target of targets) {
      expect(target.inputs.arn).toBe(
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/native-web-sso/test",
      );
      expect(target.inputs.eventBusName).toBe(bus.inputs.name);
    }
    const policyResource = onlyResource(model, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
    expect(policyResource.inputs.policyName).toBe("aws-events-native-web-sso-test");
    const policy = JSON.parse(String(policyResource.inputs.policyDocument)) as {
      Statement: { Principal: { Service: string[] }; Resource: string }[];
    };
    expect(policy.Statement[0].Principal.Service).toContain("events.amazonaws.com");
    expect(policy.Statement[0].Resource).toBe(`${String(targets[0].inputs.arn)}:*`);
  });

  it("counts settings-load failures, 429s and completed sign-ins from the endpoint's logs", () => {
    const filters = resourcesOf(model, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
    const byMetric = Object.fromEntries(
      filters.map((f) => [(f.inputs.metricTransformation as { name: string }).name, f.inputs]),
    );
    expect(byMetric.SettingsLoadFailures).toMatchObject({
      logGroupName: "/aws/lambda/fn-web",
      pattern: '{ ($.msg = "settings_load_failed") }',
      metricTransformation: { namespace: NAMESPACE, value: "1", defaultValue: "0" },
    });
    expect(byMetric.ThrottledRequests).toMatchObject({ logGroupName: "/aws/apigateway/api-123" });
    expect(byMetric.LoginsCompleted).toMatchObject({ logGroupName: "/aws/apigateway/api-123" });
  });

  it("alarms on every signal, each notifying the topic when it fires and when it clears", () => {
    const topic = onlyResource(model, "aws:sns/topic:Topic");
    const topicArn = "arn:aws:sns:eu-west-1:123456789012:native-web-sso-test_alarms";
    expect(topic.inputs.name).toBe("native-web-sso-test_alarms");
    const alarms = resourcesOf(model, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.inputs.name).sort()).toEqual(
      [
        "binding-mismatch",
        "endpoint-4xx",
        "endpoint-5xx",
        "exchange-failures",
        "function-errors",
        "function-throttles",
        "login-latency-p99",
        "settings-load-failures",
        "throttled-requests",
      ].map((n) => `native-web-sso-test_${n}`),
    );
    for (const alarm of alarms) {
      expect(alarm.inputs.alarmActions, alarm.name).toEqual([topicArn]);
      expect(alarm.inputs.okActions, alarm.name).toEqual([topicArn]);
      expect(alarm.inputs.treatMissingData).toBe("notBreaching");
      expect(
        queries(alarm).filter((q) => q.returnData),
        alarm.name,
      ).toHaveLength(1);
    }
    expect(onlyResource(model, "aws:sns/topicSubscription:TopicSubscription").inputs).toMatchObject({
      topic: topicArn,
      protocol: "email",
      endpoint: "sso-oncall@acme.test",
    });
  });

  it("judges failed exchanges as a share of all exchanges, from the rules' matched events", () => {
    const alarm = onlyResource(
      model,
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "sso-alarms-exchange-failures",
    );
    expect(alarm.inputs.threshold).toBe(10);
    const q = Object.fromEntries(queries(alarm).map((x) => [x.id, x]));
    expect(q.failed.metric).toMatchObject({
      namespace: "AWS/Events",
      metricName: "MatchedEvents",
      stat: "Sum",
      dimensions: {
        RuleName: String(
          onlyResource(model, "aws:cloudwatch/eventRule:EventRule", "sso-rules-exchange-failed").inputs.name,
        ),
      },
    });
    expect(q.failed.metric?.dimensions?.EventBusName).toMatch(/^aws\.partner\/auth0\.com\//);
    expect(q.succeeded.metric?.dimensions?.RuleName).toBe(
      String(
        onlyResource(model, "aws:cloudwatch/eventRule:EventRule", "sso-rules-exchange-succeeded").inputs.name,
      ),
    );
    expect(q.ratio).toMatchObject({
      returnData: true,
      expression: "IF(FILL(failed, 0) >= 5, 100 * FILL(failed, 0) / FILL(all, 1), 0)",
    });
  });

  it("watches the API by ApiId and Stage, the function by name, and the log metrics in the stack's namespace", () => {
    const alarm = (n: string) =>
      onlyResource(model, "aws:cloudwatch/metricAlarm:MetricAlarm", `sso-alarms-${n}`);
    const latency = queries(alarm("login-latency-p99"))[0].metric;
    expect(latency).toMatchObject({
      namespace: "AWS/ApiGateway",
      metricName: "Latency",
      stat: "p99",
      dimensions: { ApiId: "api-123", Stage: "$default" },
    });
    expect(alarm("login-latency-p99").inputs).toMatchObject({
      threshold: 3000,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    expect(queries(alarm("function-errors"))[0].metric).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: "fn-web" },
    });
    expect(queries(alarm("settings-load-failures"))[0].metric).toMatchObject({
      namespace: NAMESPACE,
      metricName: "SettingsLoadFailures",
    });
    expect(queries(alarm("endpoint-5xx")).map((x) => x.metric?.metricName ?? x.expression)).toEqual([
      "Count",
      "5xx",
      "IF(FILL(requests, 0) >= 20, 100 * FILL(errors, 0) / FILL(requests, 1), 0)",
    ]);
  });

  it("shows the funnel and the warnings next to the endpoint's health, and every alarm", () => {
    const dashboard = onlyResource(model, "aws:cloudwatch/dashboard:Dashboard");
    const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as {
      widgets: { type: string; properties: { title: string; metrics?: unknown[][]; alarms?: string[] } }[];
    };
    const titles = body.widgets.map((w) => w.properties.title);
    expect(titles).toEqual([
      "SSO funnel: exchanges, hand-overs, completed sign-ins",
      "Session transfer warnings at /authorize, by kind",
      "Endpoint: requests, 4xx, 5xx, 429",
      "Endpoint: latency (ms)",
      "Function: errors, throttles, settings-load failures, concurrency",
      "Alarms",
    ]);
    const funnel = body.widgets[0].properties.metrics ?? [];
    expect(funnel.map((row) => row[1])).toEqual([
      "MatchedEvents",
      "MatchedEvents",
      "MatchedEvents",
      "LoginsCompleted",
    ]);
    expect(funnel[2]).toContain(
      String(
        onlyResource(model, "aws:cloudwatch/eventRule:EventRule", "sso-rules-hand-over-redeemed").inputs.name,
      ),
    );
    expect(body.widgets[1].properties.metrics).toHaveLength(4);
    expect(body.widgets[5].properties.alarms).toHaveLength(9);
  });
});

describe("monitoring components for a stack without a hosted web app", () => {
  let model: StackModel;
  beforeAll(async () => {
    model = await renderMonitoring({ endpoint: false });
  });

  it("still streams, counts and alarms on the Auth0 side", () => {
    expect(resourcesOf(model, "auth0:index/logStream:LogStream")).toHaveLength(1);
    expect(resourcesOf(model, "aws:cloudwatch/eventRule:EventRule")).toHaveLength(SSO_OUTCOMES.length);
    expect(
      resourcesOf(model, "aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((a) => a.inputs.name)
        .sort(),
    ).toEqual(["native-web-sso-test_binding-mismatch", "native-web-sso-test_exchange-failures"]);
  });

  it("declares nothing about an endpoint, and no e-mail subscription without an address", () => {
    expect(resourcesOf(model, "aws:cloudwatch/logMetricFilter:LogMetricFilter")).toHaveLength(0);
    expect(resourcesOf(model, "aws:sns/topicSubscription:TopicSubscription")).toHaveLength(0);
    const body = JSON.parse(
      String(onlyResource(model, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody),
    ) as {
      widgets: { properties: { title: string } }[];
    };
    expect(body.widgets.map((w) => w.properties.title)).toEqual([
      "SSO funnel: exchanges, hand-overs, completed sign-ins",
      "Session transfer warnings at /authorize, by kind",
      "Alarms",
    ]);
  });

  it("parents every resource to its component, named after it", () => {
    for (const r of model.resources.filter((x) => x.custom)) {
      const parent = model.resources.find((p) => p.urn === r.parent);
      expect(parent?.custom, r.name).toBe(false);
      expect(r.name.startsWith(`${parent?.name ?? ""}-`), r.name).toBe(true);
      expect(parent?.type.startsWith("native-web-sso:monitoring:"), r.name).toBe(true);
    }
  });
});
