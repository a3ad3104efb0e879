import { beforeAll, describe, expect, it } from "vitest";
import type { AndroidSettings, IosSettings } from "../components/config";
import type { ModelResource, StackModel } from "../model/rendered";
import { renderStack } from "../offline/render";
import { onlyResource, resourceErrorOf } from "../testkit/model";

const ios: IosSettings = { teamId: "ABCDE12345", bundleId: "com.acme.shop", universalLinks: false };
const android: AndroidSettings = {
  packageName: "com.acme.shop",
  sha256CertFingerprints: [
    "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5",
  ],
  scheme: "https",
};

async function renderNative(args: { ios?: IosSettings; android?: AndroidSettings; protect?: boolean }) {
  return renderStack({
    stack: "dev",
    preview: false,
    loadProgram: async () => {
      const { NativeApp } = await import("../components/native-app");
      const app = new NativeApp("native", {
        clientName: "Acme Native (dev)",
        loginDomain: "login.acme.com",
        deviceBinding: "asn",
        refreshToken: { tokenLifetime: 604_800, idleTokenLifetime: 86_400, leeway: 5 },
        ios: args.ios,
        android: args.android,
        protect: args.protect ?? false,
      });
      return { clientId: app.clientId };
    },
  });
}

describe("NativeApp", () => {
  let model: StackModel;
  let client: ModelResource;
  beforeAll(async () => {
    model = await renderNative({ ios, android, protect: true });
    client = onlyResource(model, "auth0:index/client:Client");
  });

  it("is a component that parents its client and credentials", () => {
    const component = onlyResource(model, "native-web-sso:auth0:NativeApp");
    expect(component.name).toBe("native");
    expect(client.name).toBe("native-client");
    expect(client.parent).toBe(component.urn);
    const credentials = onlyResource(model, "auth0:index/clientCredentials:ClientCredentials");
    expect(credentials.name).toBe("native-credentials");
    expect(credentials.parent).toBe(component.urn);
    expect(credentials.inputs.authenticationMethod).toBe("none");
  });

  it("declares a first-party native client with an explicit, stable name", () => {
    expect(client.inputs).toMatchObject({
      name: "Acme Native (dev)",
      appType: "native",
      isFirstParty: true,
      oidcConformant: true,
      grantTypes: ["authorization_code", "refresh_token"],
      allowedOrigins: [],
      webOrigins: [],
    });
    expect(client.inputs.description).toContain("Managed by Pulumi");
    // Never set: the one field that forces a replacement (a new client ID).
    expect(JSON.stringify(client.inputs)).not.toContain("secretEncoded");
  });

  it("uses rotating, expiring refresh tokens with the configured lifetimes", () => {
    expect(client.inputs.refreshToken).toEqual({
      rotationType: "rotating",
      expirationType: "expiring",
      tokenLifetime: 604_800,
      idleTokenLifetime: 86_400,
      infiniteTokenLifetime: false,
      infiniteIdleTokenLifetime: false,
      leeway: 5,
    });
  });

  it("may create session transfer tokens, bound by ASN, with cascade revocation", () => {
    expect(client.inputs.sessionTransfer).toEqual({
      canCreateSessionTransferToken: true,
      enforceDeviceBinding: "asn",
      enforceCascadeRevocation: true,
      allowedAuthenticationMethods: [],
      allowRefreshToken: false,
      enforceOnlineRefreshTokens: true,
    });
  });

  it("registers the callback and logout URLs the Auth0 SDKs use", () => {
    const urls = [
      "com.acme.shop://login.acme.com/ios/com.acme.shop/callback",
      "https://login.acme.com/android/com.acme.shop/callback",
    ];
    expect(client.inputs.callbacks).toEqual(urls);
    expect(client.inputs.allowedLogoutUrls).toEqual(urls);
  });

  it("declares the iOS and Android identities for app links", () => {
    expect(client.inputs.mobile).toEqual({
      ios: { teamId: "ABCDE12345", appBundleIdentifier: "com.acme.shop" },
      android: { appPackageName: "com.acme.shop", sha256CertFingerprints: android.sha256CertFingerprints },
    });
  });

  it("protects the client and its credentials when asked", () => {
    expect(client.protect).toBe(true);
    expect(onlyResource(model, "auth0:index/clientCredentials:ClientCredentials").protect).toBe(true);
  });

  it("exposes the client ID", () => {
    expect(model.outputs.clientId).toMatch(/^mock-/);
  });

  it("leaves the client unprotected and iOS-only when so configured", async () => {
    const iosOnly = await renderNative({ ios: { ...ios, universalLinks: true } });
    const c = onlyResource(iosOnly, "auth0:index/client:Client");
    expect(c.protect).toBe(false);
    // Auth0.swift uses the universal link on iOS 17.4+ and the custom scheme before: both registered.
    expect(c.inputs.callbacks).toEqual([
      "https://login.acme.com/ios/com.acme.shop/callback",
      "com.acme.shop://login.acme.com/ios/com.acme.shop/callback",
    ]);
    expect(c.inputs.mobile).toEqual({ ios: { teamId: "ABCDE12345", appBundleIdentifier: "com.acme.shop" } });
  });

  it("refuses to exist without a mobile identity", async () => {
    await resourceErrorOf(renderNative({}), "needs an iOS or an Android identity");
  });
});
