/**
 * The whole program with several apps: web apps that run elsewhere (server-side and single-page),
 * a stack without the hosted web app, and one native client per platform. What a stack that does
 * not ask for them declares stays exactly as it was.
 */

import { beforeAll, describe, expect, it, vi } from "vitest";
import { isSecret, resourcesOf, reveal, type ModelResource, type StackModel } from "../model/rendered";
import { renderStack } from "../offline/render";
import { onlyResource } from "../testkit/model";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};
const render = (stack: "dev" | "prod", overrides: Record<string, string | undefined> = {}) =>
  renderStack({ stack, preview: false, configOverrides: overrides, loadProgram: load });

const SHOP_SPA = {
  name: "shop",
  type: "spa",
  loginUri: "https://shop.acme.com/login",
  callbackUrls: ["https://shop.acme.com/callback"],
  logoutUrls: ["https://shop.acme.com/"],
  webOrigins: ["https://shop.acme.com"],
};
const PORTAL = {
  name: "portal",
  type: "regular_web",
  loginUri: "https://portal.acme.com/auth/login",
  callbackUrls: ["https://portal.acme.com/auth/callback"],
  logoutUrls: ["https://portal.acme.com/"],
  allowedAuthenticationMethods: ["cookie"],
};
const EXTERNAL = { "native-web-sso:externalWebApps": JSON.stringify([SHOP_SPA, PORTAL]) };

/** The outputs a stack had before several apps per stack: their names and values stay. */
const TODAYS_OUTPUTS = [
  "auth0Domain",
  "nativeClientId",
  "webClientId",
  "webUrl",
  "webLoginUri",
  "sessionTransferCookie",
  "sessionTransferAudience",
  "sessionTransferMethods",
  "nativeRedirectUrls",
  "iosAuth0Plist",
  "android",
  "webSettingsPath",
  "webClientSecret",
];

function shortUrn(urn: string): string {
  return urn.split("::").slice(2).join("::");
}

function client(model: StackModel, name: string): ModelResource {
  return onlyResource(model, "auth0:index/client:Client", `${name}-client`);
}

function credentials(model: StackModel, name: string): ModelResource {
  return onlyResource(model, "auth0:index/clientCredentials:ClientCredentials", `${name}-credentials`);
}

describe.each(["dev", "prod"] as const)(
  "%s with web apps that run elsewhere, next to the hosted one",
  (stack) => {
    let plain: StackModel;
    let model: StackModel;
    beforeAll(async () => {
      plain = await render(stack);
      model = await render(stack, EXTERNAL);
    });

    it("keeps every resource of the stack as it was, and adds one web app component per app", () => {
      const before = new Map(plain.resources.map((r) => [r.urn, r]));
      const externalIds = ["shop", "portal"].map((name) =>
        String(reveal(credentials(model, name).inputs.clientId)),
      );
      for (const [urn, r] of before) {
        const after = model.resources.find((x) => x.urn === urn);
        expect(after, urn).toBeDefined();
        expect(after?.protect, urn).toBe(r.protect);
        if (
          r.type === "aws:cloudwatch/eventRule:EventRule" &&
          String(r.inputs.eventPattern).includes("client_id")
        ) {
          // Monitoring watches every web client: its client-scoped rules now name the new ones too.
          for (const id of externalIds) expect(String(after?.inputs.eventPattern), urn).toContain(id);
          continue;
        }
        expect(after?.inputs, urn).toEqual(r.inputs);
      }
      const added = model.resources.filter((r) => !before.has(r.urn)).map((r) => shortUrn(r.urn));
      expect(added.sort()).toEqual(
        [
          "native-web-sso:auth0:WebApp::portal",
          "native-web-sso:auth0:WebApp$auth0:index/client:Client::portal-client",
          "native-web-sso:auth0:WebApp$auth0:index/clientCredentials:ClientCredentials::portal-credentials",
          "native-web-sso:auth0:WebApp::shop",
          "native-web-sso:auth0:WebApp$auth0:index/client:Client::shop-client",
          "native-web-sso:auth0:WebApp$auth0:index/clientCredentials:ClientCredentials::shop-credentials",
        ].sort(),
      );
    });

    it("declares the single-page app as a public client with its origins and the web client's session transfer rules", () => {
      const spa = client(model, "shop");
      const web = client(model, "web");
      expect(spa.inputs).toMatchObject({
        name: `Acme shop (${stack})`,
        appType: "spa",
        initiateLoginUri: SHOP_SPA.loginUri,
        callbacks: SHOP_SPA.callbackUrls,
        allowedLogoutUrls: SHOP_SPA.logoutUrls,
        webOrigins: SHOP_SPA.webOrigins,
        allowedOrigins: SHOP_SPA.webOrigins,
        grantTypes: ["authorization_code"],
        crossOriginAuth: false,
      });
      // The same explicit settings, refresh token rules and session transfer block as the hosted client.
      for (const field of [
        "isFirstParty",
        "oidcConformant",
        "ssoDisabled",
        "jwtConfiguration",
        "refreshToken",
      ]) {
        expect(spa.inputs[field], field).toEqual(web.inputs[field]);
      }
      expect(spa.inputs.sessionTransfer).toEqual(web.inputs.sessionTransfer);
      expect(credentials(model, "shop").inputs.authenticationMethod).toBe("none");
      expect(spa.protect).toBe(stack === "prod");
      expect(credentials(model, "shop").protect).toBe(stack === "prod");
    });

    it("declares the external regular web app like the hosted one, with its own URLs and methods, and no SSM settings", () => {
      const portal = client(model, "portal");
      const web = client(model, "web");
      expect(portal.inputs).toMatchObject({
        appType: "regular_web",
        initiateLoginUri: PORTAL.loginUri,
        callbacks: PORTAL.callbackUrls,
        allowedLogoutUrls: PORTAL.logoutUrls,
        webOrigins: [],
        allowedOrigins: [],
      });
      expect(portal.inputs.sessionTransfer).toEqual({
        ...(web.inputs.sessionTransfer as object),
        allowedAuthenticationMethods: ["cookie"],
      });
      expect(credentials(model, "portal").inputs.authenticationMethod).toBe("client_secret_basic");
      expect(credentials(model, "portal").additionalSecretOutputs).toContain("clientSecret");
      const parameters = resourcesOf(model, "aws:ssm/parameter:Parameter").map((p) => p.name);
      expect(parameters.some((n) => n.startsWith("portal") || n.startsWith("shop"))).toBe(false);
    });

    it("outputs every web app by name, the external secrets as one secret, and keeps today's outputs", () => {
      const o = model.outputs;
      expect(reveal(o.webApps)).toEqual({
        web: {
          type: "regular_web",
          clientId: o.webClientId,
          loginUri: o.webLoginUri,
          sessionTransferMethods: ["cookie", "query"],
        },
        shop: {
          type: "spa",
          clientId: reveal(credentials(model, "shop").inputs.clientId),
          loginUri: SHOP_SPA.loginUri,
          sessionTransferMethods: ["cookie", "query"],
        },
        portal: {
          type: "regular_web",
          clientId: reveal(credentials(model, "portal").inputs.clientId),
          loginUri: PORTAL.loginUri,
          sessionTransferMethods: ["cookie"],
        },
      });
      expect(isSecret(o.externalWebAppClientSecrets)).toBe(true);
      const secrets = reveal(o.externalWebAppClientSecrets) as Record<string, string>;
      expect(Object.keys(secrets)).toEqual(["portal"]);
      expect(secrets.portal).toMatch(/^mock-secret-/);
      for (const key of TODAYS_OUTPUTS) expect(model.outputs[key], key).toEqual(plain.outputs[key]);
    });
  },
);

describe("a stack of external web apps only (hostedWebApp false)", () => {
  let model: StackModel;
  beforeAll(async () => {
    model = await render("dev", { ...EXTERNAL, "native-web-sso:hostedWebApp": "false" });
  });

  it("declares no endpoint at all: no function, API, role or settings parameter", () => {
    const endpointTypes = /^aws:(lambda|apigatewayv2|iam|ssm|acm|route53)\/|^random:/;
    expect(model.resources.filter((r) => endpointTypes.test(r.type)).map((r) => r.urn)).toEqual([]);
    expect(model.resources.filter((r) => r.name === "endpoint" || r.name === "web")).toEqual([]);
    // Monitoring stays (the Auth0 log stream and its rules), without the endpoint's metrics.
    expect(resourcesOf(model, "native-web-sso:monitoring:EndpointLogMetrics")).toEqual([]);
    expect(resourcesOf(model, "native-web-sso:monitoring:SsoEventRules")).toHaveLength(1);
  });

  it("declares the shared native client and the external web apps, under their pinned or configured names", () => {
    const auth0Apps = model.resources.filter((r) =>
      /^native-web-sso:auth0:(NativeApp|WebApp)(\$|::)/.test(shortUrn(r.urn)),
    );
    expect(auth0Apps.map((r) => shortUrn(r.urn)).sort()).toEqual(
      [
        "native-web-sso:auth0:NativeApp::native",
        "native-web-sso:auth0:NativeApp$auth0:index/client:Client::native-client",
        "native-web-sso:auth0:NativeApp$auth0:index/clientCredentials:ClientCredentials::native-credentials",
        "native-web-sso:auth0:WebApp::portal",
        "native-web-sso:auth0:WebApp$auth0:index/client:Client::portal-client",
        "native-web-sso:auth0:WebApp$auth0:index/clientCredentials:ClientCredentials::portal-credentials",
        "native-web-sso:auth0:WebApp::shop",
        "native-web-sso:auth0:WebApp$auth0:index/client:Client::shop-client",
        "native-web-sso:auth0:WebApp$auth0:index/clientCredentials:ClientCredentials::shop-credentials",
      ].sort(),
    );
  });

  it("has no hosted web app outputs, and everything the mobile teams need", () => {
    const o = model.outputs;
    // An undefined output is not exported (the model shows it as null).
    for (const key of ["webClientId", "webUrl", "webLoginUri", "webSettingsPath", "webClientSecret"]) {
      expect(o[key] ?? null, key).toBeNull();
    }
    expect(Object.keys(reveal(o.webApps) as object).sort()).toEqual(["portal", "shop"]);
    expect(o.nativeClientId).toMatch(/^mock-/);
    expect(o.sessionTransferAudience).toBe("urn:acme-dev.eu.auth0.com:session_transfer");
  });
});

describe("one native client per platform (nativeClients per-platform)", () => {
  let shared: StackModel;
  let model: StackModel;
  beforeAll(async () => {
    shared = await render("prod");
    model = await render("prod", { "native-web-sso:nativeClients": "per-platform" });
  });

  it("keeps the shared client exactly as it was: apps already shipped carry its client ID", () => {
    for (const name of ["native", "native-client", "native-credentials"]) {
      const before = shared.resources.find((r) => r.name === name);
      const after = model.resources.find((r) => r.name === name);
      expect(after?.urn, name).toBe(before?.urn);
      expect(after?.inputs, name).toEqual(before?.inputs);
    }
    expect(model.outputs.nativeClientId).toBe(shared.outputs.nativeClientId);
  });

  it("gives each platform a client with only its own identity and callbacks, allowed to create tokens", () => {
    const ios = client(model, "native-ios");
    const android = client(model, "native-android");
    const sharedClient = client(model, "native");
    const sharedMobile = sharedClient.inputs.mobile as { ios: unknown; android: unknown };
    expect(ios.inputs.mobile).toEqual({ ios: sharedMobile.ios });
    expect(android.inputs.mobile).toEqual({ android: sharedMobile.android });
    expect(ios.inputs.callbacks).toEqual([
      "https://login.acme.com/ios/com.acme.shop/callback",
      "com.acme.shop://login.acme.com/ios/com.acme.shop/callback",
    ]);
    expect(android.inputs.callbacks).toEqual(["https://login.acme.com/android/com.acme.shop/callback"]);
    for (const c of [ios, android]) {
      expect(c.inputs.appType).toBe("native");
      expect(c.inputs.sessionTransfer).toEqual(sharedClient.inputs.sessionTransfer);
      expect(c.inputs.refreshToken).toEqual(sharedClient.inputs.refreshToken);
      expect(c.protect).toBe(true);
    }
    // Monitoring watches each platform's client as it watches the shared one.
    const exchangeRule = onlyResource(
      model,
      "aws:cloudwatch/eventRule:EventRule",
      "monitoring-rules-exchange-failed",
    );
    for (const name of ["native", "native-ios", "native-android"]) {
      expect(String(exchangeRule.inputs.eventPattern)).toContain(
        String(reveal(credentials(model, name).inputs.clientId)),
      );
    }
    expect(credentials(model, "native-ios").inputs.authenticationMethod).toBe("none");
    expect(credentials(model, "native-android").inputs.authenticationMethod).toBe("none");
  });

  it("outputs each native client's ID and SDK configuration for its own platform only", () => {
    const o = reveal(model.outputs.nativeClients) as Record<
      string,
      { clientId: string; redirectUrls: string[]; iosAuth0Plist?: string; android?: { stringsXml: string } }
    >;
    expect(Object.keys(o).sort()).toEqual(["android", "ios", "shared"]);
    expect(o.shared.clientId).toBe(model.outputs.nativeClientId);
    expect(o.ios.clientId).toBe(reveal(credentials(model, "native-ios").inputs.clientId));
    expect(o.ios.iosAuth0Plist).toContain(`<string>${o.ios.clientId}</string>`);
    expect(o.ios.android).toBeUndefined();
    expect(o.android.android?.stringsXml).toContain(
      `<string name="com_auth0_client_id">${o.android.clientId}</string>`,
    );
    expect(o.android.iosAuth0Plist).toBeUndefined();
    expect(o.ios.redirectUrls).toEqual(client(model, "native-ios").inputs.callbacks);
    expect(new Set([o.shared.clientId, o.ios.clientId, o.android.clientId]).size).toBe(3);
  });

  it("declares only the platforms the stack configures", async () => {
    const iosOnly = await render("dev", {
      "native-web-sso:nativeClients": "per-platform",
      "native-web-sso:androidPackageName": undefined,
      "native-web-sso:androidSha256CertFingerprints": undefined,
    });
    const natives = resourcesOf(iosOnly, "auth0:index/client:Client")
      .filter((c) => c.inputs.appType === "native")
      .map((c) => c.name);
    expect(natives.sort()).toEqual(["native-client", "native-ios-client"]);

    const androidOnly = await render("dev", {
      "native-web-sso:nativeClients": "per-platform",
      "native-web-sso:iosTeamId": undefined,
      "native-web-sso:iosBundleId": undefined,
    });
    const android = resourcesOf(androidOnly, "auth0:index/client:Client").filter(
      (c) => c.inputs.appType === "native",
    );
    expect(android.map((c) => c.name).sort()).toEqual(["native-android-client", "native-client"]);
    const own = android.find((c) => c.name === "native-android-client");
    expect(Object.keys(own?.inputs.mobile as object)).toEqual(["android"]);
  });
});

describe("a bad external web app", () => {
  it("stops the program before any resource is declared, naming the field", async () => {
    await expect(
      render("dev", {
        "native-web-sso:externalWebApps": JSON.stringify([
          { ...SHOP_SPA, webOrigins: ["http://shop.acme.com"] },
        ]),
      }),
    ).rejects.toThrow(
      /native-web-sso:externalWebApps\[0\]\.webOrigins\[0\]: got "http:\/\/shop\.acme\.com"; expected https/,
    );
  });
});
