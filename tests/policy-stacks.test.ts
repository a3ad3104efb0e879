import { existsSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { isUnknown, type ModelResource, type StackModel } from "../model/rendered";
import { isProductionStack, listStacks } from "../model/stacks";
import { PROJECT_DIR, renderStack, type RenderOptions } from "../offline/render";
import { evaluatePolicies } from "../policy/evaluate";
import { isProductionUrn } from "../policy/rules";
import { MANY_APPS_CONFIG } from "../testkit/many-apps";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};
const render = (opts: Omit<RenderOptions, "loadProgram">) => renderStack({ ...opts, loadProgram: load });

const STACKS = listStacks();

/** The same model as if it were another stack's: every URN moved to `stack`. */
function asStack(model: StackModel, stack: string): StackModel {
  const move = (urn: string) => urn.replace(`urn:pulumi:${model.stack}::`, `urn:pulumi:${stack}::`);
  return {
    ...model,
    stack,
    stackUrn: move(model.stackUrn),
    resources: model.resources.map((r) => ({
      ...r,
      urn: move(r.urn),
      parent: move(r.parent),
      dependsOn: r.dependsOn.map(move),
    })),
  };
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
      ["session-transfer-device-binding-outside-production", "advisory", "native-client"],
      ["session-transfer-device-binding-outside-production", "advisory", "web-client"],
    ]);
    expect(verdicts[0].message).toBe(
      'Native client "Acme Native (dev)" has sessionTransfer.enforceDeviceBinding "none": a stolen session transfer token could be redeemed from any network. Use "asn" or "ip".',
    );
  });

  it('keeps prod strict whatever its program is told: device binding "none" and unprotected clients are mandatory', async () => {
    // The program's own check is passed by marking the run non-production; the pack still reads
    // prod's stack file, which says production, and no policy configuration is needed for that.
    const prod = await render({
      stack: "prod",
      configOverrides: {
        "native-web-sso:production": "false",
        "native-web-sso:protectClients": "false",
        "native-web-sso:deviceBinding": "none",
      },
    });
    const verdicts = await evaluatePolicies(prod);
    expect(verdicts.map((v) => [v.policy, v.enforcement, v.urn?.split("::").pop()])).toEqual([
      ["session-transfer-device-binding", "mandatory", "native-client"],
      ["session-transfer-device-binding", "mandatory", "web-client"],
      ["auth0-clients-protected", "mandatory", "native-client"],
      ["auth0-clients-protected", "mandatory", "native-credentials"],
      ["auth0-clients-protected", "mandatory", "web-client"],
      ["auth0-clients-protected", "mandatory", "web-credentials"],
    ]);
    const dev = await render({ stack: "dev" });
    expect(dev.resources.filter((r) => r.type === "auth0:index/client:Client" && !r.protect)).toHaveLength(2);
    expect(await evaluatePolicies(dev)).toEqual([]);
  });

  it("judges a stack without a stack file as production: dev's resources under another stack's name are held strictly", async () => {
    const dev = await render({ stack: "dev" });
    const verdicts = await evaluatePolicies(asStack(dev, "no-such-stack"));
    expect(verdicts.map((v) => [v.policy, v.enforcement, v.urn?.split("::").pop()])).toEqual([
      ["auth0-clients-protected", "mandatory", "native-client"],
      ["auth0-clients-protected", "mandatory", "native-credentials"],
      ["auth0-clients-protected", "mandatory", "web-client"],
      ["auth0-clients-protected", "mandatory", "web-credentials"],
    ]);
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
          'Web client "Acme Web (dev)" has initiateLoginUri "http://sso.acme.com/login": expected https (Auth0 accepts no other scheme for a web app).',
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

describe("enforcement by the production flag", () => {
  it("follows each stack file's native-web-sso:production, with no policy configuration per stack", () => {
    for (const stack of STACKS) {
      expect(
        isProductionUrn(`urn:pulumi:${stack}::native-web-sso::auth0:index/client:Client::x`),
        stack,
      ).toBe(isProductionStack(stack));
    }
    expect(isProductionStack("dev")).toBe(false);
    expect(isProductionStack("prod")).toBe(true);
    expect(
      existsSync(path.join(PROJECT_DIR, "policy", "config")),
      "policy/config/ is gone: the pack reads each stack's production flag; delete the folder",
    ).toBe(false);
  });

  it("refuses a policy configuration that relaxes a production stack, naming each entry and the fix", async () => {
    const prod = await render({ stack: "prod" });
    await expect(
      evaluatePolicies(prod, {
        "auth0-clients-protected": "disabled",
        "session-transfer-device-binding": { enforcementLevel: "advisory" },
      }),
    ).rejects.toThrow(
      [
        "The policy configuration for stack prod is refused:",
        '  - "auth0-clients-protected" is lowered to "disabled" (it is "mandatory"), which stack prod may not do: it is a production stack (native-web-sso:production); remove the entry, or mark the stack non-production with pulumi config set native-web-sso:production false --stack prod',
        '  - "session-transfer-device-binding" is lowered to "advisory" (it is "mandatory"), which stack prod may not do: it is a production stack (native-web-sso:production); remove the entry, or mark the stack non-production with pulumi config set native-web-sso:production false --stack prod',
      ].join("\n"),
    );
    // What the old per-stack file for dev said, given to prod by mistake: refused, not obeyed.
    await expect(
      evaluatePolicies(prod, { "web-client-redirect-urls": { production: false } }),
    ).rejects.toThrow('"web-client-redirect-urls" sets "production", which the pack no longer reads');
    await expect(evaluatePolicies(prod, { "no-such-policy": "advisory" })).rejects.toThrow(
      '"no-such-policy" is no policy of the pack',
    );
  });

  it("lets a non-production stack lower a policy", async () => {
    const dev = await render({ stack: "dev", configOverrides: { "native-web-sso:deviceBinding": "none" } });
    expect(
      await evaluatePolicies(dev, { "session-transfer-device-binding-outside-production": "disabled" }),
    ).toEqual([]);
  });
});
