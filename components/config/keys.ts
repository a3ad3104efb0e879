/**
 * The stack's own configuration keys and their defaults, in one table.
 *
 * A new key goes here first (its default, as `Pulumi.yaml` documents it), then into `Pulumi.yaml`
 * (a test checks both agree), then into the section module that reads and checks it.
 */

/** The project name, which is also the namespace of the stack's own config keys. */
export const PROJECT = "native-web-sso";

/**
 * Defaults of the stack's own keys, as the CLI would fill them from `Pulumi.yaml`, grouped by the
 * section that reads them. An empty string or list means "not used".
 */
export const DEFAULTS = {
  // production.ts
  production: true,
  protectClients: true,
  // tenant.ts
  displayName: "Native Web SSO",
  auth0CustomDomain: "",
  // session-transfer.ts
  deviceBinding: "asn",
  allowedAuthenticationMethods: ["cookie", "query"],
  webAllowRefreshToken: false,
  webEnforceOnlineRefreshTokens: true,
  // refresh-tokens.ts
  refreshTokenLifetime: 2_592_000,
  refreshTokenIdleLifetime: 1_296_000,
  refreshTokenLeeway: 0,
  // ios.ts
  iosTeamId: "",
  iosBundleId: "",
  iosUniversalLinks: false,
  // android.ts
  androidPackageName: "",
  androidSha256CertFingerprints: [],
  androidScheme: "https",
  // endpoint.ts
  webDomainName: "",
  webHostedZoneId: "",
  logRetentionDays: 30,
  lambdaMemoryMb: 256,
  apiThrottleBurstLimit: 100,
  apiThrottleRateLimit: 50,
  provisionedConcurrency: 0,
  endpointPermissionsBoundary: "",
  // monitoring.ts
  monitoring: true,
  alarmEmail: "",
  alarmExchangeFailurePercent: 10,
  alarmExchangeFailureMinCount: 5,
  alarmBindingMismatchCount: 5,
  alarmEndpoint5xxPercent: 5,
  alarmEndpoint4xxPercent: 25,
  alarmThrottledRequestCount: 10,
  alarmFunctionErrorCount: 1,
  alarmLoginLatencyP99Ms: 3000,
  // web-apps.ts
  hostedWebApp: true,
  externalWebApps: [],
  // native-clients.ts
  nativeClients: "shared",
  // transferred-sessions.ts
  transferredSessionLifetime: 0,
  transferredSessionIdleLifetime: 0,
  transferredSessionRefuseUndeclared: false,
} as const satisfies Record<string, string | number | boolean | readonly string[]>;

/**
 * Keys whose values are lists of objects: a project file cannot declare their type (it types only
 * lists of strings, integers, booleans or lists), so `Pulumi.yaml` documents them in a comment.
 */
export const OBJECT_LIST_KEYS = ["externalWebApps"] as const satisfies readonly (keyof typeof DEFAULTS)[];

/** Every key of the stack's own namespace. */
export type ProjectKey = keyof typeof DEFAULTS;

/** Raw stack configuration: fully qualified key (`ns:key`) to the string Pulumi hands the program. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** The fully qualified name of one of the stack's own keys, e.g. `native-web-sso:deviceBinding`. */
export function configKey(key: ProjectKey): string {
  return `${PROJECT}:${key}`;
}

/** The command that sets one of the stack's own keys, for a problem's fix. */
export function setCommand(key: ProjectKey, value: string | number | boolean): string {
  return `pulumi config set ${configKey(key)} ${value}`;
}
