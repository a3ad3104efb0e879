/**
 * The whole program, per stack file: the monitoring is declared and wired end to end (stream →
 * bus → rules → archive, metrics → alarms → topic, dashboard), provisioned concurrency puts the API
 * on an alias, and a stack can opt out.
 */

import { beforeAll, describe, expect, it, vi } from "vitest";
import { outcomeSlug, SSO_OUTCOMES, ssoEventPatterns } from "../model/sso-event-patterns";
import { resourcesOf, type ModelResource, type StackModel } from "../model/rendered";
import { renderStack, type RenderOptions } from "../offline/render";
import { onlyResource } from "../testkit/model";
import { DEV_SHOP_SPA } from "../testkit/many-apps";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};
const render = (opts: Omit<RenderOptions, "loadProgram">) => renderStack({ ...opts, loadProgram: load });

const EXPECTED = {
  dev: {
    region: "eu-west-1",
    audience: "urn:acme-dev.eu.auth0.com:session_transfer",
    email: undefined,
    warm: 0,
  },
  prod: {
    region: "us-east-1",
    audience: "urn:login.acme.com:session_transfer",
    email: "sso-oncall@acme.com",
    warm: 2,
  },
} as const;

interface Query {
  metric?: { namespace: string; metricName: string; dimensions?: Record<string, string> };
}

describe.each(["dev", "prod"] as const)("monitoring of the %s stack", (stack) => {
  const expected = EXPECTED[stack];
  let model: StackModel;
  const one = (type: string, name?: string): ModelResource => onlyResource(model, type, name);
  // The names the program sets: the provider sends them back as the resources' names.
  const fnName = () => String(one("aws:lambda/function:Function", "endpoint-function").inputs.name);
  const ruleName = (logical: string) =>
    String(one("aws:cloudwatch/eventRule:EventRule", logical).inputs.name);
  beforeAll(async () => {
    model = await render({ stack, preview: false });
  });

  it("streams the tenant's logs to the stack's own AWS account and region, into the partner bus of that stream", () => {
    const stream = one("auth0:index/logStream:LogStream");
    expect(stream.inputs.sink).toEqual({ awsAccountId: "123456789012", awsRegion: expected.region });
    const bus = one("aws:cloudwatch/eventBus:EventBus");
    expect(bus.inputs.eventSourceName).toBe(bus.inputs.name);
    expect(String(bus.inputs.name)).toMatch(/^aws\.partner\/auth0\.com\/mock-tenant-[0-9a-f]+\/auth0\.logs$/);
    expect(model.outputs.monitoringOutputs).toMatchObject({ eventBusName: bus.inputs.name });
  });

  it("puts every rule on that bus, with the shared patterns for this stack's audience and client IDs", () => {
    const bus = one("aws:cloudwatch/eventBus:EventBus");
    const patterns = ssoEventPatterns({
      sessionTransferAudience: expected.audience,
      nativeClientIds: [String(model.outputs.nativeClientId)],
      webClientIds: [String(model.outputs.webClientId)],
    });
    expect(model.outputs.sessionTransferAudience).toBe(expected.audience);
    for (const outcome of SSO_OUTCOMES) {
      const kebab = outcomeSlug(outcome);
      const rule = one("aws:cloudwatch/eventRule:EventRule", `monitoring-rules-${kebab}`);
      expect(rule.inputs.eventBusName).toBe(bus.inputs.name);
      expect(JSON.parse(String(rule.inputs.eventPattern))).toEqual(patterns[outcome]);
      const target = one("aws:cloudwatch/eventTarget:EventTarget", `monitoring-rules-${kebab}-archive`);
      expect(target.inputs).toMatchObject({ rule: rule.inputs.name, eventBusName: bus.inputs.name });
      expect(target.inputs.arn).toBe(
        `arn:aws:logs:${expected.region}:123456789012:log-group:/aws/events/native-web-sso/${stack}`,
      );
    }
  });

  it("counts the endpoint's own log lines in its own log groups", () => {
    const logs = one("aws:cloudwatch/logGroup:LogGroup", "endpoint-logs").inputs;
    const filters = resourcesOf(model, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
    expect(filters).toHaveLength(3);
    const settings = one(
      "aws:cloudwatch/logMetricFilter:LogMetricFilter",
      "monitoring-log-metrics-settings-load-failures",
    );
    expect(settings.inputs.logGroupName).toBe(`/native-web-sso/${stack}/endpoint`);
    expect(logs.retentionInDays).toBe(stack === "prod" ? 365 : 7);
    for (const name of ["throttled-requests", "logins-completed"]) {
      const f = one("aws:cloudwatch/logMetricFilter:LogMetricFilter", `monitoring-log-metrics-${name}`);
      expect(f.inputs.logGroupName).toBe(`/native-web-sso/${stack}/endpoint-access`);
      expect(f.inputs.metricTransformation).toMatchObject({ namespace: `NativeWebSso/${stack}` });
    }
  });

  it("sends every alarm to the topic, and watches this stack's API, function and rules", () => {
    const topicArn = `arn:aws:sns:${expected.region}:123456789012:native-web-sso-${stack}_alarms`;
    const alarms = resourcesOf(model, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).toHaveLength(9);
    const dims = new Set<string>();
    for (const alarm of alarms) {
      expect(alarm.inputs.alarmActions, alarm.name).toEqual([topicArn]);
      expect(alarm.inputs.okActions, alarm.name).toEqual([topicArn]);
      for (const q of alarm.inputs.metricQueries as unknown as Query[]) {
        for (const [k, v] of Object.entries(q.metric?.dimensions ?? {})) dims.add(`${k}=${v}`);
      }
    }
    expect([...dims].sort()).toEqual(
      [
        "ApiId=mock-endpoint-api-id",
        "Stage=$default",
        `FunctionName=${fnName()}`,
        `EventBusName=${String(one("aws:cloudwatch/eventBus:EventBus").inputs.name)}`,
        `RuleName=${ruleName("monitoring-rules-binding-mismatch")}`,
        `RuleName=${ruleName("monitoring-rules-exchange-failed")}`,
        `RuleName=${ruleName("monitoring-rules-exchange-succeeded")}`,
      ].sort(),
    );
    expect(model.outputs.monitoringOutputs).toMatchObject({ alarmTopicArn: topicArn });
    const subscriptions = resourcesOf(model, "aws:sns/topicSubscription:TopicSubscription");
    if (expected.email) {
      expect(subscriptions.map((s) => s.inputs)).toEqual([
        { topic: topicArn, protocol: "email", endpoint: expected.email },
      ]);
    } else {
      expect(subscriptions).toHaveLength(0);
    }
  });

  it("shows every alarm on the dashboard", () => {
    const body = JSON.parse(String(one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody)) as {
      widgets: { type: string; properties: { alarms?: string[] } }[];
    };
    const shown = body.widgets.find((w) => w.type === "alarm")?.properties.alarms ?? [];
    const alarms = resourcesOf(model, "aws:cloudwatch/metricAlarm:MetricAlarm").map(
      (a) => `arn:aws:cloudwatch:${expected.region}:123456789012:alarm:${String(a.inputs.name)}`,
    );
    expect(shown).toEqual(alarms.sort());
  });

  it(expected.warm > 0 ? "serves the API from a warm alias" : "serves the API from $LATEST on demand", () => {
    const fn = one("aws:lambda/function:Function", "endpoint-function");
    const integration = one("aws:apigatewayv2/integration:Integration", "endpoint-integration");
    const permission = one("aws:lambda/permission:Permission", "endpoint-invoke-permission");
    if (expected.warm > 0) {
      expect(fn.inputs.publish).toBe(true);
      const alias = one("aws:lambda/alias:Alias", "endpoint-live");
      expect(alias.inputs).toMatchObject({
        name: "live",
        functionName: fnName(),
        functionVersion: "1",
      });
      const warm = one("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig");
      expect(warm.inputs).toEqual({
        functionName: fnName(),
        qualifier: "live",
        provisionedConcurrentExecutions: expected.warm,
      });
      expect(String(integration.inputs.integrationUri)).toContain(`:function:${fnName()}:live/invocations`);
      expect(permission.inputs).toMatchObject({ function: fnName(), qualifier: "live" });
    } else {
      expect(fn.inputs.publish).toBe(false);
      expect(resourcesOf(model, "aws:lambda/alias:Alias")).toHaveLength(0);
      expect(String(integration.inputs.integrationUri)).toContain(`:function:${fnName()}/invocations`);
      expect(permission.inputs.qualifier).toBeUndefined();
    }
  });
});

describe("a stack that opts out of monitoring", () => {
  it("declares none of it, and still the same clients and endpoint", async () => {
    const model = await render({
      stack: "dev",
      preview: false,
      configOverrides: { "native-web-sso:monitoring": "false" },
    });
    expect(model.resources.filter((r) => r.type.startsWith("native-web-sso:monitoring:"))).toHaveLength(0);
    expect(resourcesOf(model, "auth0:index/logStream:LogStream")).toHaveLength(0);
    expect(resourcesOf(model, "aws:cloudwatch/metricAlarm:MetricAlarm")).toHaveLength(0);
    expect(model.outputs.monitoringOutputs ?? null).toBeNull();
    expect(resourcesOf(model, "auth0:index/client:Client")).toHaveLength(2);
    expect(resourcesOf(model, "aws:lambda/function:Function")).toHaveLength(1);
  });

  it("provisions warm instances in any stack that asks, and refuses a negative count before declaring anything", async () => {
    const warm = await render({
      stack: "dev",
      preview: false,
      configOverrides: { "native-web-sso:provisionedConcurrency": "1" },
    });
    expect(
      onlyResource(warm, "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig").inputs,
    ).toMatchObject({ provisionedConcurrentExecutions: 1 });
    await expect(
      render({
        stack: "dev",
        preview: false,
        configOverrides: { "native-web-sso:provisionedConcurrency": "-2" },
      }),
    ).rejects.toThrow(
      /native-web-sso:provisionedConcurrency: got "-2"; expected a whole number from 0 to 1000/,
    );
  });
});

describe("monitoring of a stack with several apps", () => {
  /** Client IDs by app name, from the stack's outputs (`nativeClients`, `webApps`). */
  const idsOf = (model: StackModel, output: "nativeClients" | "webApps"): Record<string, string> =>
    Object.fromEntries(
      Object.entries(model.outputs[output] as Record<string, { clientId: string }>).map(([k, v]) => [
        k,
        v.clientId,
      ]),
    );
  const patternOf = (model: StackModel, outcome: string) =>
    JSON.parse(
      String(
        onlyResource(model, "aws:cloudwatch/eventRule:EventRule", `monitoring-rules-${outcome}`).inputs
          .eventPattern,
      ),
    ) as {
      detail: { data: { client_id: string[] } };
    };

  it("counts the exchanges of every native client and the hand-overs of every web app, hosted or not", async () => {
    const model = await render({
      stack: "dev",
      preview: false,
      configOverrides: {
        "native-web-sso:externalWebApps": JSON.stringify([DEV_SHOP_SPA]),
        "native-web-sso:nativeClients": "per-platform",
      },
    });
    const nativeIds = idsOf(model, "nativeClients");
    const webIds = idsOf(model, "webApps");
    expect(Object.keys(nativeIds).sort()).toEqual(["android", "ios", "shared"]);
    expect(Object.keys(webIds).sort()).toEqual(["shop", "web"]);
    const natives = Object.values(nativeIds);
    const webs = Object.values(webIds);
    expect(new Set([...natives, ...webs]).size).toBe(5);
    expect(patternOf(model, "exchange-succeeded").detail.data.client_id).toEqual(
      [...natives, ...webs].sort(),
    );
    expect(patternOf(model, "hand-over-redeemed").detail.data.client_id).toEqual([...webs].sort());
    expect(patternOf(model, "binding-mismatch").detail.data.client_id).toEqual([...webs].sort());
  });

  it("still watches the Auth0 side when the stack hosts no web app", async () => {
    const model = await render({
      stack: "dev",
      preview: false,
      configOverrides: {
        "native-web-sso:hostedWebApp": "false",
        "native-web-sso:externalWebApps": JSON.stringify([DEV_SHOP_SPA]),
      },
    });
    expect(resourcesOf(model, "aws:lambda/function:Function")).toHaveLength(0);
    expect(resourcesOf(model, "auth0:index/logStream:LogStream")).toHaveLength(1);
    expect(resourcesOf(model, "aws:cloudwatch/eventRule:EventRule")).toHaveLength(SSO_OUTCOMES.length);
    expect(patternOf(model, "hand-over-redeemed").detail.data.client_id).toEqual([
      idsOf(model, "webApps").shop,
    ]);
    expect(
      resourcesOf(model, "aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((a) => a.inputs.name)
        .sort(),
    ).toEqual(["native-web-sso-dev_binding-mismatch", "native-web-sso-dev_exchange-failures"]);
    expect(resourcesOf(model, "aws:cloudwatch/logMetricFilter:LogMetricFilter")).toHaveLength(0);
    expect(resourcesOf(model, "aws:sns/topic:Topic")).toHaveLength(1);
  });
});
