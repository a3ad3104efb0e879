import * as pulumi from "@pulumi/pulumi";
import { buildLambdaBundle } from "./app/bundle";
import { buildPostLoginActionCode } from "./actions/bundle";
import { SESSION_TRANSFER_COOKIE, SESSION_TRANSFER_PARAM } from "./app/contract";
import { loadConfig, PROJECT } from "./components/config";
import { declareExternalWebApps, externalClientSecrets } from "./components/external-web-apps";
import { monitorSso } from "./components/monitoring";
import { mobileKits, type MobileKitWebApp } from "./components/mobile-kit";
import { declareNativeClients, nativeClientOutputs } from "./components/native-clients";
import { TransferredSessionAction } from "./components/transferred-session-action";
import { WebApp } from "./components/web-app";
import { WebEndpoint } from "./components/web-endpoint";
import { stackAwsNames } from "./model/aws-names";
import type { SessionTransferMethod } from "./model/session-transfer";
import { transferredSessionPolicy } from "./model/transferred-sessions";

// Validate every value first: a bad one stops the run before anything is declared.
const cfg = loadConfig();

// Logical names ("native", "endpoint", "web") are pinned by a test: renaming one replaces the
// Auth0 client behind it, which gets a new client ID. Move things with `aliases` instead.
const natives = declareNativeClients(cfg);
// The physical AWS names of this stack: per project and stack, so stacks sharing an account stay apart.
const awsNames = stackAwsNames(PROJECT, cfg.stack);
const native = natives.shared;

/** The web app this stack serves on AWS: the endpoint, then its Auth0 client. */
function declareHostedWebApp(): { endpoint: WebEndpoint; web: WebApp } {
  // The endpoint exists before the web client: the client needs its URLs, and the function reads
  // the client's settings from SSM at cold start, so there is no cycle and no hard-coded URL.
  const endpoint = new WebEndpoint("endpoint", {
    code: buildLambdaBundle().code,
    issuerBaseUrl: `https://${cfg.loginDomain}`,
    settingsPath: `/${PROJECT}/${cfg.stack}/web`,
    names: awsNames,
    customDomain: cfg.webCustomDomain,
    logRetentionDays: cfg.logRetentionDays,
    memoryMb: cfg.lambdaMemoryMb,
    throttleBurstLimit: cfg.apiThrottleBurstLimit,
    throttleRateLimit: cfg.apiThrottleRateLimit,
    provisionedConcurrency: cfg.provisionedConcurrency,
    permissionsBoundary: cfg.endpointPermissionsBoundary,
  });
  const web = new WebApp("web", {
    clientName: `${cfg.displayName} Web (${cfg.stack})`,
    loginUri: endpoint.loginUri,
    callbackUrls: [endpoint.callbackUrl],
    logoutUrls: [endpoint.logoutUrl],
    allowedAuthenticationMethods: cfg.allowedAuthenticationMethods,
    deviceBinding: cfg.deviceBinding,
    allowRefreshToken: cfg.webAllowRefreshToken,
    enforceOnlineRefreshTokens: cfg.webEnforceOnlineRefreshTokens,
    refreshToken: cfg.refreshToken,
    // The endpoint owns the settings path: the web client writes its parameters where the function reads.
    settingsPath: endpoint.settingsPath,
    protect: cfg.protectClients,
  });
  return { endpoint, web };
}
const hosted = cfg.hostedWebApp ? declareHostedWebApp() : undefined;
const external = declareExternalWebApps(cfg);

const audience = `urn:${cfg.loginDomain}:session_transfer`;
const nativeIds = [natives.shared, natives.ios, natives.android].flatMap((n) => (n ? [n.clientId] : []));
const webIds = [...(hosted ? [hosted.web.clientId] : []), ...external.map((a) => a.component.clientId)];

// Opt in with transferredSessionLifetime / transferredSessionIdleLifetime /
// transferredSessionRefuseUndeclared: a stack that sets none of them declares no Action.
const wishes = cfg.transferredSessions;
if (wishes) {
  new TransferredSessionAction("transferred-sessions", {
    actionName: `${cfg.displayName} transferred sessions (${cfg.stack})`,
    code: pulumi
      .all([pulumi.all(nativeIds), pulumi.all(webIds)])
      .apply(([n, w]) => buildPostLoginActionCode(transferredSessionPolicy(wishes, n, w))),
  });
}

// Opt out with `pulumi config set native-web-sso:monitoring false`. Every native and web client is
// in scope; the endpoint's metrics and alarms exist only with the hosted web app.
const monitoring = cfg.monitoring
  ? monitorSso({
      names: awsNames,
      streamName: `${cfg.displayName} Native to Web SSO (${cfg.stack})`,
      scope: pulumi.all([pulumi.all(nativeIds), pulumi.all(webIds)]).apply(([n, w]) => ({
        sessionTransferAudience: audience,
        nativeClientIds: n,
        webClientIds: w,
      })),
      endpoint: hosted
        ? {
            apiId: hosted.endpoint.api.id,
            stage: hosted.endpoint.stageName,
            functionName: hosted.endpoint.function.name,
            functionLogGroupName: hosted.endpoint.functionLogGroup.name,
            accessLogGroupName: hosted.endpoint.accessLogGroup.name,
          }
        : undefined,
      logRetentionDays: cfg.logRetentionDays,
      alarmEmail: cfg.alarmEmail,
      thresholds: cfg.alarmThresholds,
      actionRefusals: cfg.transferredSessions?.refuseUndeclared === true,
    })
  : undefined;

/** The domain the mobile SDKs and `/authorize` use (the tenant's custom domain if set). */
export const auth0Domain = cfg.loginDomain;
/** The cookie the native app sets for the cookie method, and the domain it must be set on. */
export const sessionTransferCookie = { name: SESSION_TRANSFER_COOKIE, domain: cfg.loginDomain };
/** The audience of the refresh-token exchange that yields a session transfer token. */
export const sessionTransferAudience = audience;

/**
 * Every web app by name (`web` for the hosted one): its kind, client ID, the Application Login URI
 * the native app opens, and the session transfer methods it accepts.
 */
export const webApps = Object.fromEntries([
  ...(hosted
    ? [
        [
          "web",
          {
            type: "regular_web",
            clientId: hosted.web.clientId,
            loginUri: hosted.endpoint.loginUri,
            sessionTransferMethods: cfg.allowedAuthenticationMethods,
          },
        ] as const,
      ]
    : []),
  ...external.map(
    ({ config, component }) =>
      [
        config.name,
        {
          type: config.type,
          clientId: component.clientId,
          loginUri: config.loginUri,
          sessionTransferMethods: config.allowedAuthenticationMethods,
        },
      ] as const,
  ),
]);
/**
 * The client secrets of the external regular web apps, by name, for their teams' secret stores;
 * `{}` without any (an `undefined` output is dropped by the engine with a warning on every run).
 */
export const externalWebAppClientSecrets = pulumi.secret(externalClientSecrets(external));
/**
 * Every native client (`shared`, and `ios` / `android` with per-platform clients): its client ID,
 * its redirect URLs and its SDK configuration (`iosAuth0Plist`, `android.stringsXml`).
 */
export const nativeClients = nativeClientOutputs(natives, cfg);
// The web apps the mobile kit opens: the hosted one first, as in `webApps`.
const kitWebApps = external.map(({ config }): [string, MobileKitWebApp] => [
  config.name,
  { loginUri: config.loginUri, methods: config.allowedAuthenticationMethods },
]);
if (hosted) {
  kitWebApps.unshift([
    "web",
    { loginUri: hosted.endpoint.loginUri, methods: cfg.allowedAuthenticationMethods },
  ]);
}
/**
 * The mobile integration kit, per native client (`shared`, `ios`, `android`): what a mobile team
 * pastes to open the web apps signed in (README, "Mobile integration kit").
 */
export const mobileKit = mobileKits(nativeClients, {
  domain: cfg.loginDomain,
  cookieName: SESSION_TRANSFER_COOKIE,
  queryParameter: SESSION_TRANSFER_PARAM,
  webApps: Object.fromEntries(kitWebApps),
  ios: cfg.ios,
  android: cfg.android,
});

// What a stack without the hosted app, an iOS or Android identity or monitoring exports in their
// place: `null` shows as such in `pulumi stack output`, where an `undefined` output is dropped with
// a warning on every run (`@pulumi/pulumi` `runtime/stack.js`).
const ABSENT = null;

// The outputs below predate several apps per stack; they keep their names and meanings for the
// default layout (the shared native client, the hosted web app).

/** Client ID the iOS and Android apps ship with (the shared native client). */
export const nativeClientId = native.clientId;
/** Callback and logout URLs registered for the mobile SDKs on the shared native client. */
export const nativeRedirectUrls = native.redirectUrls;
/** Ready-to-paste `Auth0.plist` for the iOS app (`null` when the stack has no iOS identity). */
export const iosAuth0Plist = nativeClients.shared.iosAuth0Plist ?? ABSENT;
/** Ready-to-paste `res/values/auth0.xml` for the Android app, plus its manifest placeholders. */
export const android = nativeClients.shared.android ?? ABSENT;
/** The session transfer methods the hosted web client accepts (the stack's default for every web app). */
export const sessionTransferMethods: readonly SessionTransferMethod[] = cfg.allowedAuthenticationMethods;
/** Client ID of the hosted web application. */
export const webClientId = hosted?.web.clientId ?? ABSENT;
/** Base URL of the hosted web application. */
export const webUrl = hosted?.endpoint.url ?? ABSENT;
/** The hosted app's Application Login URI (with `?session_transfer_token=` for the query method). */
export const webLoginUri = hosted?.endpoint.loginUri ?? ABSENT;
/** SSM path of the hosted web application's settings. */
export const webSettingsPath = hosted?.endpoint.settingsPath ?? ABSENT;
/** The hosted web client's secret, for operators only (`pulumi stack output --show-secrets`). */
export const webClientSecret = hosted ? pulumi.secret(hosted.web.clientSecret) : ABSENT;
/** Where to look when Native to Web SSO misbehaves (`null` when the stack opted out of monitoring). */
export const monitoringOutputs = monitoring ?? ABSENT;
