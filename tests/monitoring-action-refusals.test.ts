/**
 * Monitoring counts the post-login Action's refusals: the pattern matches the failed login a
 * refusal leaves at one of the stack's web clients (as the log stream delivers it) and nothing
 * else; a stack whose Action refuses declares the rule and its alarm, and only such a stack.
 */
import { describe, expect, it, vi } from "vitest";
import { reveal, resourcesOf } from "../model/rendered";
import {
  actionRefusalPattern,
  unknownNativeClientReason,
  webAppNotListedReason,
} from "../model/transferred-sessions";
import { renderStack } from "../offline/render";
import { deliver, logData, type LogContext } from "../testkit/auth0-log-events";
import { matchesEventPattern } from "../testkit/event-pattern-matcher";
import { onlyResource } from "../testkit/model";

const SITE = { tenant: "acme-dev", account: "111122223333", region: "eu-west-1" };
const WEB = "wEbCLiEnTiD00000000000000000001";
const AT_WEB: LogContext = {
  tenant: "acme-dev",
  hostname: "acme-dev.eu.auth0.com",
  clientId: WEB,
  clientName: "Acme Web (dev)",
  ip: "203.0.113.7",
};
const failedLogin = (ctx: LogContext, description: string) => deliver(SITE, logData(ctx, "f", description));

describe("the Action refusal pattern", () => {
  const pattern = actionRefusalPattern([WEB, "sPaCLiEnTiD000000000000000000002"]);

  it("matches the failed login that each refusal leaves at a web client of the stack", () => {
    expect(matchesEventPattern(pattern, failedLogin(AT_WEB, unknownNativeClientReason("n1")))).toBe(true);
    expect(matchesEventPattern(pattern, failedLogin(AT_WEB, webAppNotListedReason("n1", WEB)))).toBe(true);
  });

  it("does not count a wrong password, another Action's denial, another app, or another log type", () => {
    expect(matchesEventPattern(pattern, failedLogin(AT_WEB, "Wrong email or password."))).toBe(false);
    expect(matchesEventPattern(pattern, failedLogin(AT_WEB, "Access denied: risk score too high"))).toBe(
      false,
    );
    const elsewhere = { ...AT_WEB, clientId: "someone-elses-app" };
    expect(matchesEventPattern(pattern, failedLogin(elsewhere, unknownNativeClientReason("n1")))).toBe(false);
    const warning = deliver(SITE, logData(AT_WEB, "w", unknownNativeClientReason("n1")));
    expect(matchesEventPattern(pattern, warning)).toBe(false);
  });

  it("refuses to count nothing: no web client, or an empty ID", () => {
    expect(() => actionRefusalPattern([])).toThrow(/at least one web client ID/);
    expect(() => actionRefusalPattern([""])).toThrow(/no empty one/);
  });
});

describe("the stack's monitoring of refusals", () => {
  const load = async () => {
    vi.resetModules();
    return (await import("../index")) as Record<string, unknown>;
  };
  const render = (overrides: Record<string, string>) =>
    renderStack({ stack: "prod", preview: false, configOverrides: overrides, loadProgram: load });
  const RULE = "aws:cloudwatch/eventRule:EventRule";
  const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

  it("declares a rule for the stack's web clients and an alarm on its matches when the Action refuses", async () => {
    const model = await render({ "native-web-sso:transferredSessionRefuseUndeclared": "true" });
    const rule = onlyResource(model, RULE, "monitoring-action-refusals-rule");
    const webId = String(
      reveal(
        onlyResource(model, "auth0:index/clientCredentials:ClientCredentials", "web-credentials").inputs
          .clientId,
      ),
    );
    expect(JSON.parse(String(reveal(rule.inputs.eventPattern)))).toEqual(actionRefusalPattern([webId]));
    // On the partner bus the funnel's rules read.
    const funnel = onlyResource(model, RULE, "monitoring-rules-exchange-failed");
    expect(reveal(rule.inputs.eventBusName)).toEqual(reveal(funnel.inputs.eventBusName));
    const alarm = onlyResource(model, ALARM, "monitoring-action-refusals-alarm");
    expect(alarm.inputs).toMatchObject({
      namespace: "AWS/Events",
      metricName: "MatchedEvents",
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    // Refusals are failed logins: the log stream must carry that category too.
    const stream = onlyResource(model, "auth0:index/logStream:LogStream");
    expect(reveal(stream.inputs.filters)).toContainEqual({ type: "category", name: "auth.login.fail" });
    expect(reveal(alarm.inputs.dimensions)).toMatchObject({
      RuleName: expect.any(String),
      EventBusName: expect.any(String),
    });
  }, 120_000);

  it("declares neither when the Action only time-boxes sessions, nor without the Action", async () => {
    for (const overrides of [{ "native-web-sso:transferredSessionLifetime": "3600" }, {}] as Record<
      string,
      string
    >[]) {
      const model = await render(overrides);
      expect(resourcesOf(model, RULE, "monitoring-action-refusals-rule")).toEqual([]);
      expect(resourcesOf(model, ALARM, "monitoring-action-refusals-alarm")).toEqual([]);
      const stream = onlyResource(model, "auth0:index/logStream:LogStream");
      expect(reveal(stream.inputs.filters)).not.toContainEqual({ type: "category", name: "auth.login.fail" });
    }
  }, 120_000);
});
