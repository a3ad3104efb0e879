import { beforeAll, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../components/config";
import {
  isSecret,
  isUnknown,
  resourcesOf,
  reveal,
  Secret,
  secretTexts,
  type ModelResource,
  type ModelValue,
  type StackModel,
} from "../model/rendered";
import { listStacks, renderStack, type RenderOptions } from "../offline/render";
import { onlyResource } from "../testkit/model";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};
const render = (opts: Omit<RenderOptions, "loadProgram">) => renderStack({ ...opts, loadProgram: load });

/** Logical names and type chains, pinned: a change here replaces resources (and Auth0 client IDs). */
const CORE_URNS = [
  "native-web-sso:auth0:NativeApp::native",
  "native-web-sso:auth0:NativeApp$auth0:index/client:Client::native-client",
  "native-web-sso:auth0:NativeApp$auth0:index/clientCredentials:ClientCredentials::native-credentials",
  "native-web-sso:auth0:WebApp::web",
  "native-web-sso:auth0:WebApp$auth0:index/client:Client::web-client",
  "native-web-sso:auth0:WebApp$auth0:index/clientCredentials:ClientCredentials::web-credentials",
  "native-web-sso:auth0:WebApp$aws:ssm/parameter:Parameter::web-client-id-parameter",
  "native-web-sso:auth0:WebApp$aws:ssm/parameter:Parameter::web-client-secret-parameter",
  "native-web-sso:aws:WebEndpoint::endpoint",
  "native-web-sso:aws:WebEndpoint$aws:apigatewayv2/api:Api::endpoint-api",
  "native-web-sso:aws:WebEndpoint$aws:apigatewayv2/integration:Integration::endpoint-integration",
  "native-web-sso:aws:WebEndpoint$aws:apigatewayv2/route:Route::endpoint-route",
  "native-web-sso:aws:WebEndpoint$aws:apigatewayv2/stage:Stage::endpoint-stage",
  "native-web-sso:aws:WebEndpoint$aws:cloudwatch/logGroup:LogGroup::endpoint-access-logs",
  "native-web-sso:aws:WebEndpoint$aws:cloudwatch/logGroup:LogGroup::endpoint-logs",
  "native-web-sso:aws:WebEndpoint$aws:iam/role:Role::endpoint-role",
  "native-web-sso:aws:WebEndpoint$aws:iam/rolePolicy:RolePolicy::endpoint-role-policy",
  "native-web-sso:aws:WebEndpoint$aws:lambda/function:Function::endpoint-function",
  "native-web-sso:aws:WebEndpoint$aws:lambda/permission:Permission::endpoint-invoke-permission",
  "native-web-sso:aws:WebEndpoint$aws:ssm/parameter:Parameter::endpoint-cookie-secret-parameter",
  // Added with cookie-secret rotation (new, not renamed).
  "native-web-sso:aws:WebEndpoint$aws:ssm/parameter:Parameter::endpoint-previous-cookie-secret-parameter",
  "native-web-sso:aws:WebEndpoint$random:index/randomPassword:RandomPassword::endpoint-cookie-secret",
  "native-web-sso:aws:WebEndpoint$random:index/randomPassword:RandomPassword::endpoint-previous-cookie-secret",
];
const CUSTOM_DOMAIN_URNS = [
  "native-web-sso:aws:WebEndpoint$aws:acm/certificate:Certificate::endpoint-certificate",
  "native-web-sso:aws:WebEndpoint$aws:acm/certificateValidation:CertificateValidation::endpoint-certificate-validation",
  "native-web-sso:aws:WebEndpoint$aws:apigatewayv2/apiMapping:ApiMapping::endpoint-api-mapping",
  "native-web-sso:aws:WebEndpoint$aws:apigatewayv2/domainName:DomainName::endpoint-domain",
  "native-web-sso:aws:WebEndpoint$aws:route53/record:Record::endpoint-alias-a",
  "native-web-sso:aws:WebEndpoint$aws:route53/record:Record::endpoint-alias-aaaa",
  "native-web-sso:aws:WebEndpoint$aws:route53/record:Record::endpoint-certificate-validation-record",
];

/** The monitoring of every stack that does not opt out (new resources; pinned from now on too). */
const MONITORING_URNS = [
  "native-web-sso:monitoring:Auth0LogStream::monitoring-log-stream",
  "native-web-sso:monitoring:Auth0LogStream$auth0:index/logStream:LogStream::monitoring-log-stream-stream",
  "native-web-sso:monitoring:Auth0LogStream$aws:cloudwatch/eventBus:EventBus::monitoring-log-stream-bus",
  "native-web-sso:monitoring:SsoEventRules::monitoring-rules",
  "native-web-sso:monitoring:SsoEventRules$aws:cloudwatch/logGroup:LogGroup::monitoring-rules-archive",
  "native-web-sso:monitoring:SsoEventRules$aws:cloudwatch/logResourcePolicy:LogResourcePolicy::monitoring-rules-archive-policy",
  ...[
    "exchange-succeeded",
    "exchange-failed",
    "hand-over-redeemed",
    "token-not-found-or-expired",
    "binding-mismatch",
    "parent-refresh-token-revoked",
    "organization-or-user-mismatch",
  ].flatMap((rule) => [
    `native-web-sso:monitoring:SsoEventRules$aws:cloudwatch/eventRule:EventRule::monitoring-rules-${rule}`,
    `native-web-sso:monitoring:SsoEventRules$aws:cloudwatch/eventTarget:EventTarget::monitoring-rules-${rule}-archive`,
  ]),
  "native-web-sso:monitoring:EndpointLogMetrics::monitoring-log-metrics",
  ...["settings-load-failures", "throttled-requests", "logins-completed"].map(
    (m) =>
      `native-web-sso:monitoring:EndpointLogMetrics$aws:cloudwatch/logMetricFilter:LogMetricFilter::monitoring-log-metrics-${m}`,
  ),
  "native-web-sso:monitoring:SsoAlarms::monitoring-alarms",
  "native-web-sso:monitoring:SsoAlarms$aws:sns/topic:Topic::monitoring-alarms-topic",
  ...[
    "exchange-failures",
    "binding-mismatch",
    "endpoint-5xx",
    "endpoint-4xx",
    "throttled-requests",
    "function-errors",
    "function-throttles",
    "settings-load-failures",
    "login-latency-p99",
  ].map(
    (a) =>
      `native-web-sso:monitoring:SsoAlarms$aws:cloudwatch/metricAlarm:MetricAlarm::monitoring-alarms-${a}`,
  ),
  "native-web-sso:monitoring:SsoDashboard::monitoring-dashboard",
  "native-web-sso:monitoring:SsoDashboard$aws:cloudwatch/dashboard:Dashboard::monitoring-dashboard-dashboard",
];
/** prod: an alarm address, and warm instances behind an alias. */
const PROD_URNS = [
  "native-web-sso:monitoring:SsoAlarms$aws:sns/topicSubscription:TopicSubscription::monitoring-alarms-email",
  "native-web-sso:aws:WebEndpoint$aws:lambda/alias:Alias::endpoint-live",
  "native-web-sso:aws:WebEndpoint$aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig::endpoint-warm-instances",
];

function shortUrn(urn: string): string {
  return urn.split("::").slice(2).join("::");
}

function clientOf(model: StackModel, appType: string): ModelResource {
  const found = resourcesOf(model, "auth0:index/client:Client").filter((c) => c.inputs.appType === appType);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Every string in a value outside secrets: what a reader of the preview or the state sees in clear. */
function clearTexts(v: ModelValue, out: string[] = []): string[] {
  if (v instanceof Secret || v === null) return out;
  if (Array.isArray(v)) v.forEach((x) => clearTexts(x, out));
  else if (typeof v === "object") Object.values(v).forEach((x) => clearTexts(x as ModelValue, out));
  else out.push(String(v));
  return out;
}

const EXPECTED = {
  dev: {
    loginDomain: "acme-dev.eu.auth0.com",
    url: "https://mock-endpoint-api.execute-api.eu-west-1.amazonaws.com",
    protect: false,
    urns: [...CORE_URNS, ...MONITORING_URNS],
  },
  prod: {
    loginDomain: "login.acme.com",
    url: "https://sso.acme.com",
    protect: true,
    urns: [...CORE_URNS, ...CUSTOM_DOMAIN_URNS, ...MONITORING_URNS, ...PROD_URNS],
  },
} as const;

describe("the stack files", () => {
  it("include dev and prod, the stacks the whole-program checks below describe", () => {
    // Any other Pulumi.<name>.yaml is welcome: the renderings, the policy checks and the
    // workflows cover every stack file; only these two are described resource by resource here.
    for (const stack of Object.keys(EXPECTED)) {
      expect(
        listStacks(),
        `Pulumi.${stack}.yaml is gone: drop "${stack}" from EXPECTED in tests/stack.test.ts`,
      ).toContain(stack);
    }
  });
});

describe.each(["dev", "prod"] as const)("the whole program for %s", (stack) => {
  const expected = EXPECTED[stack];
  let model: StackModel;
  beforeAll(async () => {
    model = await render({ stack, preview: false });
  });

  it("declares the full set of resources under pinned logical names", () => {
    expect(model.resources.map((r) => shortUrn(r.urn)).sort()).toEqual([...expected.urns].sort());
  });

  it("parents the components to the stack and everything else to a component", () => {
    const components = model.resources.filter((r) => !r.custom);
    expect(components.map((c) => c.name).sort()).toEqual([
      "endpoint",
      "monitoring-alarms",
      "monitoring-dashboard",
      "monitoring-log-metrics",
      "monitoring-log-stream",
      "monitoring-rules",
      "native",
      "web",
    ]);
    for (const c of components) expect(c.parent, c.name).toBe(model.stackUrn);
    const componentUrns = new Set(components.map((c) => c.urn));
    for (const r of model.resources.filter((x) => x.custom))
      expect(componentUrns.has(r.parent), r.urn).toBe(true);
  });

  it("points the web client's login URI, callback and logout URL at the endpoint", () => {
    const web = clientOf(model, "regular_web");
    expect(web.inputs.initiateLoginUri).toBe(`${expected.url}/login`);
    expect(web.inputs.callbacks).toEqual([`${expected.url}/callback`]);
    expect(web.inputs.allowedLogoutUrls).toEqual([expected.url]);
    expect(model.outputs.webLoginUri).toBe(`${expected.url}/login`);
    const fn = onlyResource(model, "aws:lambda/function:Function", "endpoint-function");
    expect(fn.inputs.environment).toMatchObject({
      variables: { BASE_URL: expected.url, ISSUER_BASE_URL: `https://${expected.loginDomain}` },
    });
  });

  it("makes the function read exactly the parameters the web client and endpoint wrote", () => {
    const fn = onlyResource(model, "aws:lambda/function:Function", "endpoint-function");
    const path = (fn.inputs.environment as { variables: { SETTINGS_PATH: string } }).variables.SETTINGS_PATH;
    expect(path).toBe(`/native-web-sso/${stack}/web`);
    const names = resourcesOf(model, "aws:ssm/parameter:Parameter").map((p) => p.inputs.name);
    expect(names.sort()).toEqual([
      `${path}/client-id`,
      `${path}/client-secret`,
      `${path}/cookie-secret`,
      `${path}/cookie-secret-previous`,
    ]);
    const policy = String(
      onlyResource(model, "aws:iam/rolePolicy:RolePolicy", "endpoint-role-policy").inputs.policy,
    );
    expect(policy).toContain(`parameter${path}/*`);
    const clientIdParam = onlyResource(model, "aws:ssm/parameter:Parameter", "web-client-id-parameter");
    expect(reveal(clientIdParam.inputs.value)).toBe(model.outputs.webClientId);
  });

  it("binds both clients by ASN and accepts cookie and query on the web client", () => {
    expect(clientOf(model, "native").inputs.sessionTransfer).toMatchObject({
      canCreateSessionTransferToken: true,
      enforceDeviceBinding: "asn",
    });
    expect(clientOf(model, "regular_web").inputs.sessionTransfer).toMatchObject({
      allowedAuthenticationMethods: ["cookie", "query"],
      enforceDeviceBinding: "asn",
    });
  });

  it("protects the Auth0 clients as the stack says", () => {
    const clientTypes = ["auth0:index/client:Client", "auth0:index/clientCredentials:ClientCredentials"];
    const clients = model.resources.filter((x) => clientTypes.includes(x.type));
    expect(clients).toHaveLength(4);
    for (const r of clients) expect(r.protect, r.urn).toBe(expected.protect);
    // The log stream holds no client ID: opting out of monitoring must be able to delete it.
    expect(onlyResource(model, "auth0:index/logStream:LogStream").protect).toBe(false);
  });

  it("gives mobile and web teams what they need as outputs", () => {
    const o = model.outputs;
    expect(o.auth0Domain).toBe(expected.loginDomain);
    expect(o.sessionTransferCookie).toEqual({
      name: "auth0_session_transfer_token",
      domain: expected.loginDomain,
    });
    expect(o.sessionTransferAudience).toBe(`urn:${expected.loginDomain}:session_transfer`);
    expect(o.webUrl).toBe(expected.url);
    const nativeId = String(o.nativeClientId);
    expect(nativeId).toMatch(/^mock-/);
    expect(o.webClientId).not.toBe(nativeId);
    expect(String(o.iosAuth0Plist)).toContain(`<key>ClientId</key>\n    <string>${nativeId}</string>`);
    expect(String(o.iosAuth0Plist)).toContain(`<string>${expected.loginDomain}</string>`);
    const android = o.android as { stringsXml: string; manifestPlaceholders: Record<string, string> };
    expect(android.stringsXml).toContain(`<string name="com_auth0_client_id">${nativeId}</string>`);
    expect(android.manifestPlaceholders).toEqual({ auth0Domain: expected.loginDomain, auth0Scheme: "https" });
    expect(o.nativeRedirectUrls).toEqual(clientOf(model, "native").inputs.callbacks);
    expect(isSecret(o.webClientSecret)).toBe(true);
  });

  it("never shows a secret value in clear in any output or input", () => {
    const all: ModelValue[] = [model.outputs, ...model.resources.map((r) => r.inputs)];
    const secrets = all.flatMap((v) => secretTexts(v));
    // The client secret and the cookie secret at least.
    expect(secrets.some((s) => s.startsWith("mock-secret-"))).toBe(true);
    expect(secrets.some((s) => s.startsWith("mock-password-"))).toBe(true);
    const clear = all.flatMap((v) => clearTexts(v)).join("\n");
    for (const s of secrets.filter((x) => x.startsWith("mock-secret-") || x.startsWith("mock-password-"))) {
      expect(clear).not.toContain(s);
    }
  });
});

describe("the program as a preview", () => {
  it("leaves what only the cloud knows unknown instead of inventing it", async () => {
    const model = await render({ stack: "dev" });
    expect(isUnknown(model.outputs.nativeClientId)).toBe(true);
    expect(isUnknown(model.outputs.webLoginUri)).toBe(true);
    expect(JSON.stringify(reveal(model.outputs))).not.toContain("mock-");
    // What the config decides is known.
    expect(model.outputs.auth0Domain).toBe("acme-dev.eu.auth0.com");
  });
});

describe("a bad config value", () => {
  it("stops the program before any resource is declared, naming the key", async () => {
    let error: unknown;
    const model = await renderStack({
      stack: "prod",
      configOverrides: { "native-web-sso:deviceBinding": "none" },
      loadProgram: async () => {
        try {
          return await load();
        } catch (e) {
          error = e;
          return {};
        }
      },
    });
    // The program's ConfigError comes from a fresh module copy (vi.resetModules), so compare by name.
    expect((error as Error).name).toBe(ConfigError.name);
    expect((error as Error).message).toContain('native-web-sso:deviceBinding: got "none"');
    expect(model.resources).toEqual([]);
  });

  it("fails the render with the program's own message", async () => {
    await expect(
      render({ stack: "dev", configOverrides: { "native-web-sso:iosTeamId": "nope" } }),
    ).rejects.toThrow(/native-web-sso:iosTeamId: got "nope"; expected the 10-character Apple Team ID/);
  });
});
