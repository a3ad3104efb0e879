import * as pulumi from "@pulumi/pulumi";
import { buildLambdaBundle } from "./app/bundle";
import { SESSION_TRANSFER_COOKIE } from "./app/contract";
import { loadConfig, PROJECT } from "./components/config";
import { androidStrings, auth0Plist } from "./components/mobile";
import { NativeApp } from "./components/native-app";
import { WebApp } from "./components/web-app";
import { WebEndpoint } from "./components/web-endpoint";
import type { SessionTransferMethod } from "./model/session-transfer";

// Validate every value first: a bad one stops the run before anything is declared.
const cfg = loadConfig();

// Logical names ("native", "endpoint", "web") are pinned by a test: renaming one replaces the
// Auth0 client behind it, which gets a new client ID. Move things with `aliases` instead.
const native = new NativeApp("native", {
  clientName: `${cfg.displayName} Native (${cfg.stack})`,
  loginDomain: cfg.loginDomain,
  deviceBinding: cfg.deviceBinding,
  refreshToken: cfg.refreshToken,
  ios: cfg.ios,
  android: cfg.android,
  protect: cfg.protectClients,
});

// The endpoint exists before the web client: the client needs its URLs, and the function reads the
// client's settings from SSM at cold start, so there is no cycle and no hard-coded URL.
const endpoint = new WebEndpoint("endpoint", {
  code: buildLambdaBundle().code,
  issuerBaseUrl: `https://${cfg.loginDomain}`,
  settingsPath: `/${PROJECT}/${cfg.stack}/web`,
  customDomain: cfg.webCustomDomain,
  logRetentionDays: cfg.logRetentionDays,
  memoryMb: cfg.lambdaMemoryMb,
  throttleBurstLimit: cfg.apiThrottleBurstLimit,
  throttleRateLimit: cfg.apiThrottleRateLimit,
});

const web = new WebApp("web", {
  clientName: `${cfg.displayName} Web (${cfg.stack})`,
  loginUri: endpoint.loginUri,
  callbackUrl: endpoint.callbackUrl,
  logoutUrl: endpoint.logoutUrl,
  allowedAuthenticationMethods: cfg.allowedAuthenticationMethods,
  deviceBinding: cfg.deviceBinding,
  allowRefreshToken: cfg.webAllowRefreshToken,
  enforceOnlineRefreshTokens: cfg.webEnforceOnlineRefreshTokens,
  refreshToken: cfg.refreshToken,
  // The endpoint owns the settings path: the web client writes its parameters where the function reads.
  settingsPath: endpoint.settingsPath,
  protect: cfg.protectClients,
});

/** The domain the mobile SDKs and `/authorize` use (the tenant's custom domain if set). */
export const auth0Domain = cfg.loginDomain;
/** Client ID the iOS and Android apps ship with. */
export const nativeClientId = native.clientId;
/** Client ID of the web application. */
export const webClientId = web.clientId;
/** Base URL of the web application. */
export const webUrl = endpoint.url;
/** The Application Login URI the native app opens (with `?session_transfer_token=` for the query method). */
export const webLoginUri = endpoint.loginUri;
/** The cookie the native app sets for the cookie method, and the domain it must be set on. */
export const sessionTransferCookie = { name: SESSION_TRANSFER_COOKIE, domain: cfg.loginDomain };
/** The audience of the refresh-token exchange that yields a session transfer token. */
export const sessionTransferAudience = `urn:${cfg.loginDomain}:session_transfer`;
/** The session transfer methods the web client accepts. */
export const sessionTransferMethods: readonly SessionTransferMethod[] = cfg.allowedAuthenticationMethods;
/** Callback and logout URLs registered for the mobile SDKs. */
export const nativeRedirectUrls = native.redirectUrls;
/** Ready-to-paste `Auth0.plist` for the iOS app (absent when the stack has no iOS identity). */
export const iosAuth0Plist = cfg.ios
  ? native.clientId.apply((id) => auth0Plist(id, cfg.loginDomain))
  : undefined;
/** Ready-to-paste `res/values/auth0.xml` for the Android app, plus its manifest placeholders. */
export const android = cfg.android
  ? {
      stringsXml: native.clientId.apply((id) => androidStrings(id, cfg.loginDomain)),
      manifestPlaceholders: { auth0Domain: cfg.loginDomain, auth0Scheme: cfg.android.scheme },
    }
  : undefined;
/** SSM path of the web application's settings. */
export const webSettingsPath = endpoint.settingsPath;
/** The web client's secret, for operators only (`pulumi stack output --show-secrets`). */
export const webClientSecret = pulumi.secret(web.clientSecret);
