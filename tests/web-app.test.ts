import { beforeAll, describe, expect, it } from "vitest";
import type { SessionTransferMethod } from "../model/session-transfer";
import { isSecret, Secret, type ModelResource, type StackModel } from "../model/rendered";
import { renderStack } from "../offline/render";
import { onlyResource, resourceErrorOf } from "../testkit/model";

async function renderWeb(opts: {
  methods?: SessionTransferMethod[];
  allowRefreshToken?: boolean;
  protect?: boolean;
  appType?: "regular_web" | "spa";
  webOrigins?: string[];
  settingsPath?: string | null;
}) {
  return renderStack({
    stack: "dev",
    preview: false,
    loadProgram: async () => {
      const { WebApp } = await import("../components/web-app");
      const w = new WebApp("web", {
        clientName: "Acme Web (dev)",
        loginUri: "https://sso.acme.com/login",
        callbackUrls: ["https://sso.acme.com/callback"],
        logoutUrls: ["https://sso.acme.com"],
        allowedAuthenticationMethods: opts.methods ?? ["cookie", "query"],
        deviceBinding: "asn",
        allowRefreshToken: opts.allowRefreshToken ?? false,
        enforceOnlineRefreshTokens: true,
        refreshToken: { tokenLifetime: 604_800, idleTokenLifetime: 86_400, leeway: 0 },
        settingsPath:
          opts.settingsPath === null ? undefined : (opts.settingsPath ?? "/native-web-sso/dev/web"),
        protect: opts.protect ?? true,
        appType: opts.appType,
        webOrigins: opts.webOrigins,
      });
      return { clientId: w.clientId, clientSecret: w.clientSecret };
    },
  });
}

describe("WebApp", () => {
  let model: StackModel;
  let client: ModelResource;
  beforeAll(async () => {
    model = await renderWeb({});
    client = onlyResource(model, "auth0:index/client:Client");
  });

  it("declares a regular web client whose login URI is the endpoint's", () => {
    expect(client.name).toBe("web-client");
    expect(client.parent).toBe(onlyResource(model, "native-web-sso:auth0:WebApp").urn);
    expect(client.inputs).toMatchObject({
      name: "Acme Web (dev)",
      appType: "regular_web",
      initiateLoginUri: "https://sso.acme.com/login",
      callbacks: ["https://sso.acme.com/callback"],
      allowedLogoutUrls: ["https://sso.acme.com"],
      grantTypes: ["authorization_code"],
      oidcConformant: true,
      isFirstParty: true,
      webOrigins: [],
      allowedOrigins: [],
    });
  });

  it("accepts session transfer tokens by cookie and query, bound by ASN, without creating any", () => {
    expect(client.inputs.sessionTransfer).toEqual({
      canCreateSessionTransferToken: false,
      allowedAuthenticationMethods: ["cookie", "query"],
      enforceDeviceBinding: "asn",
      allowRefreshToken: false,
      enforceOnlineRefreshTokens: true,
      enforceCascadeRevocation: true,
    });
  });

  it("gets its secret from ClientCredentials, as a Pulumi secret, with the method the app uses", () => {
    const credentials = onlyResource(model, "auth0:index/clientCredentials:ClientCredentials");
    expect(credentials.inputs.authenticationMethod).toBe("client_secret_basic");
    expect(credentials.additionalSecretOutputs).toContain("clientSecret");
    expect(credentials.protect).toBe(true);
    expect(client.protect).toBe(true);
    expect(isSecret(model.outputs.clientSecret)).toBe(true);
  });

  it("writes the client ID and secret as SSM SecureStrings under the endpoint's settings path", () => {
    const id = onlyResource(model, "aws:ssm/parameter:Parameter", "web-client-id-parameter");
    expect(id.inputs).toMatchObject({ name: "/native-web-sso/dev/web/client-id", type: "SecureString" });
    // The AWS provider treats every parameter value as a secret, the client ID included.
    expect(id.inputs.value).toEqual(new Secret(model.outputs.clientId));
    const secret = onlyResource(model, "aws:ssm/parameter:Parameter", "web-client-secret-parameter");
    expect(secret.inputs).toMatchObject({
      name: "/native-web-sso/dev/web/client-secret",
      type: "SecureString",
    });
    expect(secret.inputs.value).toBeInstanceOf(Secret);
    expect((secret.inputs.value as Secret).value).toMatch(/^mock-secret-/);
  });

  it("takes the refresh_token grant only when web refresh tokens are allowed", async () => {
    const m = await renderWeb({ allowRefreshToken: true, methods: ["query"], protect: false });
    const c = onlyResource(m, "auth0:index/client:Client");
    expect(c.inputs.grantTypes).toEqual(["authorization_code", "refresh_token"]);
    expect(c.inputs.sessionTransfer).toMatchObject({
      allowedAuthenticationMethods: ["query"],
      allowRefreshToken: true,
    });
    expect(c.protect).toBe(false);
  });

  it("refuses a single-page app without web origins", async () => {
    await resourceErrorOf(
      renderWeb({ appType: "spa", settingsPath: null }),
      "A single-page WebApp needs the web origins its SDK runs on",
    );
  });

  it("refuses a single-page app with a secret to write to SSM", async () => {
    await resourceErrorOf(
      renderWeb({ appType: "spa", webOrigins: ["https://sso.acme.com"] }),
      "A single-page WebApp has no secret to write to SSM",
    );
  });

  it("refuses an empty method list", async () => {
    await resourceErrorOf(renderWeb({ methods: [] }), "at least one session transfer authentication method");
  });
});
