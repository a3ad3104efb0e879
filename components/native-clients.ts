/**
 * The stack's native clients: the shared one (`native`, for iOS and Android, as every stack always
 * had) and, with `nativeClients: per-platform`, one more per configured platform (`native-ios`,
 * `native-android`), each with only its own identity and callback URLs. The shared client stays in
 * both layouts: apps already shipped carry its client ID, and a replaced client would strand them.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import { androidStrings, auth0Plist } from "./mobile";
import { NativeApp } from "./native-app";
import type { AndroidSettings, IosSettings } from "./config";

/** The platforms a native client may be dedicated to. */
export type Platform = "ios" | "android";

/** The native clients of a stack, by role. */
export interface NativeClients {
  /** `native`: the client for both platforms; its URN and client ID never change. */
  readonly shared: NativeApp;
  /** `native-ios` (per-platform layout with an iOS identity). */
  readonly ios?: NativeApp;
  /** `native-android` (per-platform layout with an Android identity). */
  readonly android?: NativeApp;
}

/** Declares the shared native client and, per platform, the dedicated ones the layout asks for. */
export function declareNativeClients(cfg: StackConfig): NativeClients {
  const common = {
    loginDomain: cfg.loginDomain,
    deviceBinding: cfg.deviceBinding,
    refreshToken: cfg.refreshToken,
    protect: cfg.protectClients,
  };
  // Logical names are pinned by a test: renaming one replaces the Auth0 client behind it.
  const shared = new NativeApp("native", {
    ...common,
    clientName: `${cfg.displayName} Native (${cfg.stack})`,
    ios: cfg.ios,
    android: cfg.android,
  });
  if (cfg.nativeClients !== "per-platform") return { shared };
  return {
    shared,
    ios: cfg.ios
      ? new NativeApp("native-ios", {
          ...common,
          clientName: `${cfg.displayName} iOS (${cfg.stack})`,
          ios: cfg.ios,
        })
      : undefined,
    android: cfg.android
      ? new NativeApp("native-android", {
          ...common,
          clientName: `${cfg.displayName} Android (${cfg.stack})`,
          android: cfg.android,
        })
      : undefined,
  };
}

/** What a mobile team needs of one native client: its ID, its redirect URLs and ready-to-paste SDK files. */
export interface NativeClientOutput {
  readonly clientId: pulumi.Output<string>;
  readonly redirectUrls: readonly string[];
  /** `Auth0.plist` for Auth0.swift (when the client has an iOS identity). */
  readonly iosAuth0Plist?: pulumi.Output<string>;
  /** `res/values/auth0.xml` for Auth0.Android and its manifest placeholders (when it has an Android identity). */
  readonly android?: {
    readonly stringsXml: pulumi.Output<string>;
    readonly manifestPlaceholders: { readonly auth0Domain: string; readonly auth0Scheme: string };
  };
}

/** The output of one native client, for the platforms it serves. */
export function nativeClientOutput(
  app: NativeApp,
  domain: string,
  ios: IosSettings | undefined,
  android: AndroidSettings | undefined,
): NativeClientOutput {
  return {
    clientId: app.clientId,
    redirectUrls: app.redirectUrls,
    iosAuth0Plist: ios ? app.clientId.apply((id) => auth0Plist(id, domain)) : undefined,
    android: android
      ? {
          stringsXml: app.clientId.apply((id) => androidStrings(id, domain)),
          manifestPlaceholders: { auth0Domain: domain, auth0Scheme: android.scheme },
        }
      : undefined,
  };
}

/** Every native client's output, keyed `shared`, `ios`, `android`. */
export function nativeClientOutputs(
  clients: NativeClients,
  cfg: StackConfig,
): Record<string, NativeClientOutput> {
  const out: Record<string, NativeClientOutput> = {
    shared: nativeClientOutput(clients.shared, cfg.loginDomain, cfg.ios, cfg.android),
  };
  if (clients.ios) out.ios = nativeClientOutput(clients.ios, cfg.loginDomain, cfg.ios, undefined);
  if (clients.android)
    out.android = nativeClientOutput(clients.android, cfg.loginDomain, undefined, cfg.android);
  return out;
}
