import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parse as parseYaml } from "yaml";
import { isUnknown, type ModelResource, type StackModel } from "../model/rendered";
import { listStacks, PROJECT_DIR, renderStack, type RenderOptions } from "../offline/render";
import { evaluatePolicies, loadPolicyConfig, POLICY_CONFIG_DIR, policyConfigPath } from "../policy/evaluate";
import { policyConfigFor } from "../policy/rules";
import { MANY_APPS_CONFIG } from "../testkit/many-apps";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};
const render = (opts: Omit<RenderOptions, "loadProgram">) => renderStack({ ...opts, loadProgram: load });

const STACKS = ["dev", "prod"] as const;

/** `native-web-sso:production` of a stack: its stack file's value, else the project's default. */
function productionOf(stack: string): boolean {
  const read = (file: string) => parseYaml(readFileSync(path.join(PROJECT_DIR, file), "utf8")) as unknown;
  const stackFile = read(`Pulumi.${stack}.yaml`) as { config?: Record<string, unknown> } | null;
  const value = stackFile?.config?.["native-web-sso:production"];
  if (value !== undefined) return value === true || value === "true";
  const project = read("Pulumi.yaml") as { config: { production: { default: boolean } } };
  return project.config.production.default;
}

function withResource(
  model: StackModel,
  name: string,
  change: (r: ModelResource) => ModelResource,
): StackModel {
  return { ...model, resources: model.resources.map((r) => (r.name === name ? change(r) : r)) };
}

describe("the pack against what the program declares", () => {
  for (const stack of STACKS) {
    for (const preview of [true, false]) {
      it(`passes ${stack} (${preview ? "preview" : "test values"}) with no violation at all`, async () => {
        const model = await render({ stack, preview });
        expect(await evaluatePolicies(model)).toEqual([]);
      });
    }
  }

  for (const stack of STACKS) {
    for (const hosted of ["true", "false"]) {
      it(`passes ${stack} with external web apps and per-platform native clients (hosted web app ${hosted})`, async () => {
        const model = await render({
          stack,
          preview: true,
          configOverrides: {
            ...MANY_APPS_CONFIG,
            "native-web-sso:hostedWebApp": hosted,
            // Only the hosted web app has a custom domain.
            ...(hosted === "false"
              ? {
                  "native-web-sso:webDomainName": undefined,
                  "native-web-sso:webHostedZoneId": undefined,
                  "native-web-sso:lambdaMemoryMb": undefined,
                  "native-web-sso:apiThrottleBurstLimit": undefined,
                  "native-web-sso:apiThrottleRateLimit": undefined,
                  "native-web-sso:provisionedConcurrency": undefined,
                }
              : {}),
          },
        });
        expect(await evaluatePolicies(model)).toEqual([]);
      });
    }
  }

  it("holds every client of its kind to the rules: an unprotected single-page client and per-platform native client in prod", async () => {
    const model = await render({ stack: "prod", preview: false, configOverrides: MANY_APPS_CONFIG });
    const unprotected = withResource(
      withResource(model, "shop-client", (r) => ({ ...r, protect: false })),
      "native-android-client",
      (r) => ({ ...r, protect: false }),
    );
    const verdicts = await evaluatePolicies(unprotected);
    expect(verdicts.map((v) => [v.policy, v.urn?.split("::").pop()])).toEqual([
      ["auth0-clients-protected", "native-android-client"],
      ["auth0-clients-protected", "shop-client"],
    ]);
  });

  it('reports device binding "none" in dev as advisory only, on both clients', async () => {
    const model = await render({ stack: "dev", configOverrides: { "native-web-sso:deviceBinding": "none" } });
    const verdicts = await evaluatePolicies(model);
    expect(verdicts.map((v) => [v.policy, v.enforcement, v.urn?.split("::").pop()])).toEqual([
      ["session-transfer-device-binding", "advisory", "native-client"],
      ["session-transfer-device-binding", "advisory", "web-client"],
    ]);
    expect(verdicts[0].message).toBe(
      'Native client "Acme Native (dev)" has sessionTransfer.enforceDeviceBinding "none": a stolen session transfer token could be redeemed from any network. Use "asn" or "ip".',
    );
  });

  it('makes device binding "none" mandatory without the non-production config (the default)', async () => {
    const model = await render({ stack: "dev", configOverrides: { "native-web-sso:deviceBinding": "none" } });
    const verdicts = await evaluatePolicies(model, {});
    const binding = verdicts.filter((v) => v.policy === "session-transfer-device-binding");
    expect(binding.map((v) => v.enforcement)).toEqual(["mandatory", "mandatory"]);
    // Strict everywhere: dev's unprotected clients are then reported too.
    expect(verdicts.filter((v) => v.policy === "auth0-clients-protected")).toHaveLength(4);
  });

  it("reports unprotected clients in prod as mandatory, and lets dev leave them unprotected", async () => {
    // The stack's own config refuses unprotected clients in production; the pack is the second line
    // when a prod stack file is marked non-production but reviewed with prod's policy config.
    const prod = await render({
      stack: "prod",
      configOverrides: { "native-web-sso:production": "false", "native-web-sso:protectClients": "false" },
    });
    const verdicts = await evaluatePolicies(prod);
    expect(verdicts.map((v) => [v.policy, v.enforcement, v.urn?.split("::").pop()])).toEqual([
      ["auth0-clients-protected", "mandatory", "native-client"],
      ["auth0-clients-protected", "mandatory", "native-credentials"],
      ["auth0-clients-protected", "mandatory", "web-client"],
      ["auth0-clients-protected", "mandatory", "web-credentials"],
    ]);
    const dev = await render({ stack: "dev" });
    expect(dev.resources.filter((r) => r.type === "auth0:index/client:Client" && !r.protect)).toHaveLength(2);
  });

  it("reports prod's function role without its permissions boundary as mandatory", async () => {
    const prod = await render({
      stack: "prod",
      configOverrides: { "native-web-sso:endpointPermissionsBoundary": "" },
    });
    const verdicts = await evaluatePolicies(prod);
    expect(verdicts.map((v) => [v.policy, v.enforcement, v.urn?.split("::").pop()])).toEqual([
      ["lambda-role-permissions-boundary", "mandatory", "endpoint-role"],
    ]);
    expect(await evaluatePolicies(await render({ stack: "prod" }))).toEqual([]);
  });

  it("reports a web client built with an http login URI as mandatory", async () => {
    const model = await renderStack({
      stack: "dev",
      loadProgram: async () => {
        vi.resetModules();
        const { WebApp } = await import("../components/web-app");
        new WebApp("web", {
          clientName: "Acme Web (dev)",
          loginUri: "http://sso.acme.com/login",
          callbackUrls: ["https://sso.acme.com/callback"],
          logoutUrls: ["https://sso.acme.com"],
          allowedAuthenticationMethods: ["cookie", "query"],
          deviceBinding: "asn",
          allowRefreshToken: false,
          enforceOnlineRefreshTokens: true,
          refreshToken: { tokenLifetime: 604_800, idleTokenLifetime: 86_400, leeway: 0 },
          settingsPath: "/native-web-sso/dev/web",
          protect: false,
        });
        return {};
      },
    });
    expect(await evaluatePolicies(model)).toEqual([
      {
        policy: "web-client-session-transfer",
        enforcement: "mandatory",
        urn: "urn:pulumi:dev::native-web-sso::native-web-sso:auth0:WebApp$auth0:index/client:Client::web-client",
        message:
          'Web client "Acme Web (dev)" has initiateLoginUri "http://sso.acme.com/login", which is not https.',
      },
    ]);
  });

  it("follows the real wiring from the function to its role policy (a foreign settings path is caught)", async () => {
    const model = await render({ stack: "dev", preview: false });
    const moved = withResource(model, "endpoint-function", (r) => {
      const environment = r.inputs.environment as { variables: Record<string, string> };
      return {
        ...r,
        inputs: {
          ...r.inputs,
          environment: { variables: { ...environment.variables, SETTINGS_PATH: "/other" } },
        },
      };
    });
    const verdicts = await evaluatePolicies(moved);
    // The two parameter paths it reads, and the parameters it decrypts (kms:EncryptionContext:PARAMETER_ARN).
    expect(verdicts.map((v) => [v.policy, v.urn?.split("::").pop()])).toEqual([
      ["lambda-role-own-resources", "endpoint-role-policy"],
      ["lambda-role-own-resources", "endpoint-role-policy"],
      ["lambda-role-own-resources", "endpoint-role-policy"],
    ]);
    expect(verdicts[0].message).toBe(
      'Lambda function "native-web-sso-dev_endpoint" can read SSM parameters outside its settings path "/other": role policy "endpoint-role-policy" names "arn:aws:ssm:eu-west-1:123456789012:parameter/native-web-sso/dev/web".',
    );
    expect(verdicts[2].message).toBe(
      'Lambda function "native-web-sso-dev_endpoint" can read SSM parameters outside its settings path "/other": role policy "endpoint-role-policy" names "arn:aws:ssm:eu-west-1:123456789012:parameter/native-web-sso/dev/web/*".',
    );
  });

  it("sees secrets in clear as a real run does: a secret copied into the environment is caught", async () => {
    const model = await render({ stack: "prod", preview: false });
    const secretParam = model.resources.find((r) => r.name === "endpoint-cookie-secret-parameter")!;
    const leaked = withResource(model, "endpoint-function", (r) => {
      const environment = r.inputs.environment as { variables: Record<string, unknown> };
      const variables = { ...environment.variables, OIDC_COOKIE: secretParam.inputs.value };
      return { ...r, inputs: { ...r.inputs, environment: { variables } } };
    });
    const verdicts = await evaluatePolicies(leaked);
    expect(verdicts.map((v) => v.message)).toEqual([
      'Lambda function "native-web-sso-prod_endpoint" has environment variable OIDC_COOKIE set to the value of the SecureString parameter "/native-web-sso/prod/web/cookie-secret": secrets reach the function only through SSM SecureString parameters, never its environment.',
    ]);
  });

  it("checks a preview whose login URI and role policy are still unknown without failing or skipping a policy", async () => {
    const model = await render({ stack: "dev" });
    const input = (name: string, key: string) => model.resources.find((r) => r.name === name)?.inputs[key];
    expect(isUnknown(input("web-client", "initiateLoginUri"))).toBe(true);
    expect(isUnknown(input("endpoint-role-policy", "policy"))).toBe(true);
    // No "can't run ... during preview" advisory: the known half of each resource is still checked.
    const broken = withResource(model, "web-client", (r) => ({
      ...r,
      inputs: {
        ...r.inputs,
        sessionTransfer: { ...(r.inputs.sessionTransfer as object), allowedAuthenticationMethods: [] },
      },
    }));
    expect((await evaluatePolicies(broken)).map((v) => [v.policy, v.enforcement])).toEqual([
      ["web-client-session-transfer", "mandatory"],
    ]);
  });
});

describe("per-stack policy configuration", () => {
  it("exists for every stack file, and only for those", () => {
    const stacks = listStacks();
    expect(stacks).toEqual(expect.arrayContaining([...STACKS]));
    for (const stack of stacks) expect(existsSync(policyConfigPath(stack)), stack).toBe(true);
    const files = readdirSync(POLICY_CONFIG_DIR).map((f) => f.replace(/\.json$/, ""));
    expect(files.sort()).toEqual(stacks);
  });

  it("agrees with each stack's native-web-sso:production", () => {
    expect(productionOf("dev")).toBe(false);
    expect(productionOf("prod")).toBe(true);
    for (const stack of listStacks()) {
      expect(loadPolicyConfig(stack), stack).toEqual(policyConfigFor(productionOf(stack)));
    }
  });

  it("is empty, that is strict, in production", () => {
    expect(policyConfigFor(true)).toEqual({});
    expect(loadPolicyConfig("a-stack-without-a-file")).toEqual({});
  });
});
