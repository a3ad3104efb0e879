import * as pulumi from "@pulumi/pulumi";

/** The project name, which is also the namespace of the stack's own config keys. */
export const PROJECT = "native-web-sso";

/** Device binding a session transfer token is checked against when it is redeemed. */
export type DeviceBinding = "asn" | "ip" | "none";
/** How a session transfer token reaches the web client's `/authorize`. */
export type AuthenticationMethod = "cookie" | "query";

/** iOS identity of the native app (drives callbacks and apple-app-site-association). */
export interface IosSettings {
  /** Apple Developer Team ID, ten upper-case letters or digits. */
  readonly teamId: string;
  /** The app's bundle identifier, reverse-DNS. */
  readonly bundleId: string;
  /** Use `https://` universal-link callbacks instead of the `{bundleId}://` custom scheme. */
  readonly universalLinks: boolean;
}

/** Android identity of the native app (drives callbacks and assetlinks.json). */
export interface AndroidSettings {
  /** The application ID (package name). */
  readonly packageName: string;
  /** SHA-256 fingerprints of the signing certificates, `AA:BB:...` (32 bytes). */
  readonly sha256CertFingerprints: readonly string[];
  /** The `auth0Scheme` manifest placeholder: `https` (App Links) or a custom lower-case scheme. */
  readonly scheme: string;
}

/** Refresh token lifetimes of the native client, in seconds. */
export interface RefreshTokenSettings {
  readonly tokenLifetime: number;
  readonly idleTokenLifetime: number;
  readonly leeway: number;
}

/** A custom domain for the web endpoint, served through API Gateway with a regional ACM certificate. */
export interface WebCustomDomain {
  /** Fully qualified host name, e.g. `sso.example.com`. */
  readonly name: string;
  /** The Route 53 hosted zone that holds the name. */
  readonly hostedZoneId: string;
}

/** The validated configuration of one stack. */
export interface StackConfig {
  readonly stack: string;
  /** The Auth0 tenant domain (`auth0:domain`), where the Management API is called. */
  readonly auth0Domain: string;
  /**
   * The domain users and SDKs talk to: the tenant's custom domain when one is set, else the tenant
   * domain. `/authorize` runs here, so the session transfer cookie must be set here.
   */
  readonly loginDomain: string;
  readonly production: boolean;
  readonly protectClients: boolean;
  readonly displayName: string;
  readonly deviceBinding: DeviceBinding;
  readonly allowedAuthenticationMethods: readonly AuthenticationMethod[];
  readonly webAllowRefreshToken: boolean;
  readonly webEnforceOnlineRefreshTokens: boolean;
  readonly refreshToken: RefreshTokenSettings;
  readonly ios?: IosSettings;
  readonly android?: AndroidSettings;
  readonly webCustomDomain?: WebCustomDomain;
  readonly logRetentionDays: number;
  readonly lambdaMemoryMb: number;
  readonly apiThrottleBurstLimit: number;
  readonly apiThrottleRateLimit: number;
}

/** Raw stack configuration: fully qualified key (`ns:key`) to the string Pulumi hands the program. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/**
 * Defaults of the stack's own keys, as the CLI would fill them from `Pulumi.yaml`.
 * A test checks that `Pulumi.yaml` declares exactly these, so documentation and code cannot drift.
 * An empty string or list means "not used".
 */
export const DEFAULTS = {
  production: true,
  protectClients: true,
  displayName: "Native Web SSO",
  auth0CustomDomain: "",
  deviceBinding: "asn",
  allowedAuthenticationMethods: ["cookie", "query"],
  webAllowRefreshToken: false,
  webEnforceOnlineRefreshTokens: true,
  refreshTokenLifetime: 2_592_000,
  refreshTokenIdleLifetime: 1_296_000,
  refreshTokenLeeway: 0,
  iosTeamId: "",
  iosBundleId: "",
  iosUniversalLinks: false,
  androidPackageName: "",
  androidSha256CertFingerprints: [],
  androidScheme: "https",
  webDomainName: "",
  webHostedZoneId: "",
  logRetentionDays: 30,
  lambdaMemoryMb: 256,
  apiThrottleBurstLimit: 100,
  apiThrottleRateLimit: 50,
} as const satisfies Record<string, string | number | boolean | readonly string[]>;

/** Every key of the stack's own namespace. */
export type ProjectKey = keyof typeof DEFAULTS;

/** Auth0's limits for refresh token lifetimes (seconds). */
export const REFRESH_TOKEN_LIMITS = {
  maxLifetime: 157_788_000, // five years
  maxLeeway: 60,
} as const;

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** One bad configuration value. */
export interface ConfigProblem {
  /** Fully qualified key, e.g. `native-web-sso:deviceBinding`. */
  readonly key: string;
  /** What was found (already quoted for display). */
  readonly found: string;
  /** What is expected, and how to fix it. */
  readonly expected: string;
}

/** Thrown before any resource is declared when the stack's configuration is invalid. */
export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid configuration for stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.key}: got ${p.found}; ${p.expected}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IOS_TEAM_ID = /^[A-Z0-9]{10}$/;
// Apple: alphanumerics, hyphens and periods; at least two components. It must also start with a
// letter, because Auth0.swift uses it as the URL scheme of the callback.
const IOS_BUNDLE_ID = /^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+$/;
// Android application ID: at least two segments, each starting with a letter.
const ANDROID_PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
const SHA256_FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const JAVA_KEYWORDS = new Set([
  "class",
  "package",
  "import",
  "new",
  "int",
  "void",
  "public",
  "static",
  "final",
]);

/** Collects problems while reading keys, so one run reports every bad value at once. */
class Reader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly raw: RawConfig) {}

  problem(key: string, found: unknown, expected: string): void {
    this.problems.push({ key, found: show(found), expected });
  }

  own(key: ProjectKey): string | undefined {
    return this.raw[`${PROJECT}:${key}`];
  }

  string(key: ProjectKey): string {
    const v = this.own(key);
    const d = DEFAULTS[key];
    return v === undefined ? String(d) : v.trim();
  }

  boolean(key: ProjectKey): boolean {
    const v = this.own(key);
    if (v === undefined) return DEFAULTS[key] as boolean;
    if (v === "true") return true;
    if (v === "false") return false;
    this.problem(
      `${PROJECT}:${key}`,
      v,
      `expected true or false. Fix: pulumi config set ${PROJECT}:${key} true`,
    );
    return DEFAULTS[key] as boolean;
  }

  integer(key: ProjectKey, min: number, max: number): number {
    const v = this.own(key);
    const d = DEFAULTS[key] as number;
    if (v === undefined) return d;
    const n = /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.problem(
        `${PROJECT}:${key}`,
        v,
        `expected a whole number from ${min} to ${max}. Fix: pulumi config set ${PROJECT}:${key} ${d}`,
      );
      return d;
    }
    return n;
  }

  stringList(key: ProjectKey): string[] | undefined {
    const v = this.own(key);
    if (v === undefined) return [...(DEFAULTS[key] as readonly string[])];
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((x): x is string => typeof x === "string")) {
      this.problem(
        `${PROJECT}:${key}`,
        v,
        `expected a list of strings. Fix: pulumi config set --path '${PROJECT}:${key}[0]' <value>`,
      );
      return undefined;
    }
    return parsed.map((s) => s.trim());
  }
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** Checks a bare host name: no scheme, no port, no path, not localhost, not an IP address. */
export function hostProblem(host: string): string | undefined {
  if (host.length === 0) return "expected a host name";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host))
    return "expected a bare host name without a scheme (drop https://)";
  if (/[/:?#@\s]/.test(host)) return "expected a bare host name without port, path, credentials or spaces";
  if (host !== host.toLowerCase()) return "expected a lower-case host name";
  if (host.length > 253) return "expected at most 253 characters";
  const labels = host.split(".");
  if (labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l)))
    return "expected a fully qualified host name such as login.example.com";
  if (host === "localhost" || host.endsWith(".localhost")) return "localhost is not reachable from phones";
  if (/^\d+(\.\d+){3}$/.test(host)) return "expected a host name, not an IP address";
  return undefined;
}

/**
 * Parses and validates a stack's raw configuration. Pure: no Pulumi runtime needed.
 * @throws ConfigError listing every bad value, each with its key, the value and the fix.
 */
export function parseConfig(stack: string, raw: RawConfig): StackConfig {
  const r = new Reader(raw);

  const auth0Domain = (raw["auth0:domain"] ?? "").trim();
  if (auth0Domain === "") {
    r.problem(
      "auth0:domain",
      undefined,
      "the Auth0 tenant domain is required. Fix: pulumi config set auth0:domain <tenant>.<region>.auth0.com",
    );
  } else {
    const p = hostProblem(auth0Domain);
    if (p)
      r.problem(
        "auth0:domain",
        auth0Domain,
        `${p}. Fix: pulumi config set auth0:domain <tenant>.<region>.auth0.com`,
      );
  }

  const customDomain = r.string("auth0CustomDomain");
  if (customDomain !== "") {
    const p = hostProblem(customDomain);
    if (p)
      r.problem(`${PROJECT}:auth0CustomDomain`, customDomain, `${p}, or leave it unset to use auth0:domain`);
  }

  const production = r.boolean("production");
  const protectClients = r.boolean("protectClients");
  if (production && !protectClients) {
    r.problem(
      `${PROJECT}:protectClients`,
      false,
      `production stacks keep their Auth0 clients protected (a deleted client takes its client ID with it); set it to true, or mark the stack non-production with ${PROJECT}:production false`,
    );
  }

  const displayName = r.string("displayName");
  if (displayName.length === 0 || displayName.length > 100 || /[<>]/.test(displayName)) {
    r.problem(
      `${PROJECT}:displayName`,
      displayName,
      "expected 1 to 100 characters without < or > (Auth0 rejects them in client names)",
    );
  }

  const bindingRaw = r.string("deviceBinding");
  let deviceBinding: DeviceBinding = "asn";
  if (bindingRaw === "asn" || bindingRaw === "ip") {
    deviceBinding = bindingRaw;
  } else if (bindingRaw === "none") {
    if (production) {
      r.problem(
        `${PROJECT}:deviceBinding`,
        bindingRaw,
        `"none" lets a stolen token be redeemed from anywhere and is refused in production; use "asn" or "ip", or mark the stack non-production with ${PROJECT}:production false`,
      );
    } else {
      deviceBinding = "none";
    }
  } else {
    r.problem(
      `${PROJECT}:deviceBinding`,
      bindingRaw,
      `expected one of "asn", "ip", "none" ("none" only when ${PROJECT}:production is false). Fix: pulumi config set ${PROJECT}:deviceBinding asn`,
    );
  }

  const methodsRaw = r.stringList("allowedAuthenticationMethods");
  let allowedAuthenticationMethods: AuthenticationMethod[] = ["cookie", "query"];
  if (methodsRaw) {
    const key = `${PROJECT}:allowedAuthenticationMethods`;
    const bad = methodsRaw.filter((m) => m !== "cookie" && m !== "query");
    if (methodsRaw.length === 0) {
      r.problem(
        key,
        methodsRaw,
        'expected at least one of "cookie", "query" (an empty list turns Native to Web SSO off)',
      );
    } else if (bad.length > 0) {
      r.problem(
        key,
        methodsRaw,
        `unknown method ${bad.map(show).join(", ")}; expected only "cookie" and/or "query"`,
      );
    } else if (new Set(methodsRaw).size !== methodsRaw.length) {
      r.problem(key, methodsRaw, "expected each method once");
    } else {
      // A stable order keeps previews quiet when someone reorders the list by hand.
      allowedAuthenticationMethods = (["cookie", "query"] as const).filter((m) => methodsRaw.includes(m));
    }
  }

  const webAllowRefreshToken = r.boolean("webAllowRefreshToken");
  const webEnforceOnlineRefreshTokens = r.boolean("webEnforceOnlineRefreshTokens");

  const tokenLifetime = r.integer("refreshTokenLifetime", 60, REFRESH_TOKEN_LIMITS.maxLifetime);
  const idleTokenLifetime = r.integer("refreshTokenIdleLifetime", 60, REFRESH_TOKEN_LIMITS.maxLifetime);
  const leeway = r.integer("refreshTokenLeeway", 0, REFRESH_TOKEN_LIMITS.maxLeeway);
  if (idleTokenLifetime > tokenLifetime) {
    r.problem(
      `${PROJECT}:refreshTokenIdleLifetime`,
      idleTokenLifetime,
      `expected at most refreshTokenLifetime (${tokenLifetime}): Auth0 rejects an idle lifetime longer than the absolute one`,
    );
  }

  // iOS: both keys or neither.
  let ios: IosSettings | undefined;
  const teamId = r.string("iosTeamId");
  const bundleId = r.string("iosBundleId");
  const universalLinks = r.boolean("iosUniversalLinks");
  if (teamId !== "" || bundleId !== "") {
    let ok = true;
    if (!IOS_TEAM_ID.test(teamId)) {
      ok = false;
      r.problem(
        `${PROJECT}:iosTeamId`,
        teamId,
        "expected the 10-character Apple Team ID, e.g. ABCDE12345 (upper-case letters and digits)",
      );
    }
    if (!IOS_BUNDLE_ID.test(bundleId) || bundleId.length > 155) {
      ok = false;
      r.problem(
        `${PROJECT}:iosBundleId`,
        bundleId,
        "expected a reverse-DNS bundle identifier such as com.example.app (letters, digits, hyphens, dots; starting with a letter, as it is also the callback URL scheme)",
      );
    }
    if (ok) ios = { teamId, bundleId, universalLinks };
  }

  let android: AndroidSettings | undefined;
  const packageName = r.string("androidPackageName");
  const fingerprints = r.stringList("androidSha256CertFingerprints");
  const scheme = r.string("androidScheme");
  if (packageName !== "" || (fingerprints && fingerprints.length > 0)) {
    let ok = true;
    if (!ANDROID_PACKAGE.test(packageName) || packageName.split(".").some((s) => JAVA_KEYWORDS.has(s))) {
      ok = false;
      r.problem(
        `${PROJECT}:androidPackageName`,
        packageName,
        "expected an Android application ID such as com.example.app (segments start with a letter; letters, digits, underscores)",
      );
    }
    const normalized = (fingerprints ?? []).map((f) => f.toUpperCase());
    if (normalized.length === 0) {
      ok = false;
      r.problem(
        `${PROJECT}:androidSha256CertFingerprints`,
        fingerprints ?? [],
        "expected at least one SHA-256 signing certificate fingerprint (keytool -list -v prints it)",
      );
    }
    for (const f of normalized) {
      if (!SHA256_FINGERPRINT.test(f)) {
        ok = false;
        r.problem(
          `${PROJECT}:androidSha256CertFingerprints`,
          f,
          "expected 32 colon-separated hex bytes, e.g. 14:6D:E9:...:B5 (95 characters)",
        );
      }
    }
    if (!URL_SCHEME.test(scheme) || scheme === "http") {
      ok = false;
      r.problem(
        `${PROJECT}:androidScheme`,
        scheme,
        'expected "https" (App Links) or a lower-case custom scheme; "http" is never allowed',
      );
    }
    if (ok) android = { packageName, sha256CertFingerprints: [...new Set(normalized)], scheme };
  }
  if (teamId === "" && bundleId === "" && packageName === "" && (fingerprints ?? []).length === 0) {
    r.problem(
      `${PROJECT}:iosBundleId`,
      undefined,
      `the native app needs an iOS identity (${PROJECT}:iosTeamId + ${PROJECT}:iosBundleId), an Android identity (${PROJECT}:androidPackageName + ${PROJECT}:androidSha256CertFingerprints), or both`,
    );
  }

  let webCustomDomain: WebCustomDomain | undefined;
  const webDomainName = r.string("webDomainName");
  const webHostedZoneId = r.string("webHostedZoneId");
  if (webDomainName !== "" || webHostedZoneId !== "") {
    let ok = true;
    const p = hostProblem(webDomainName);
    if (p) {
      ok = false;
      r.problem(
        `${PROJECT}:webDomainName`,
        webDomainName,
        `${p} (set it together with ${PROJECT}:webHostedZoneId, or leave both unset)`,
      );
    }
    if (!HOSTED_ZONE_ID.test(webHostedZoneId)) {
      ok = false;
      r.problem(
        `${PROJECT}:webHostedZoneId`,
        webHostedZoneId,
        `expected a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ (set it together with ${PROJECT}:webDomainName)`,
      );
    }
    if (ok) webCustomDomain = { name: webDomainName, hostedZoneId: webHostedZoneId };
  }

  const logRetentionDays = r.integer("logRetentionDays", 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    r.problem(
      `${PROJECT}:logRetentionDays`,
      logRetentionDays,
      `expected one of CloudWatch's periods: ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
  const lambdaMemoryMb = r.integer("lambdaMemoryMb", 128, 10_240);
  const apiThrottleBurstLimit = r.integer("apiThrottleBurstLimit", 1, 5_000);
  // Zero would throttle every request (pulumi-aws #2363): at least one per second.
  const apiThrottleRateLimit = r.integer("apiThrottleRateLimit", 1, 10_000);

  for (const key of Object.keys(raw)) {
    if (key.startsWith(`${PROJECT}:`) && !(key.slice(PROJECT.length + 1) in DEFAULTS)) {
      r.problem(
        key,
        raw[key],
        `unknown key; expected one of ${Object.keys(DEFAULTS).join(", ")} (a typo here would be silently ignored)`,
      );
    }
  }

  if (r.problems.length > 0) throw new ConfigError(stack, r.problems);

  return {
    stack,
    auth0Domain,
    loginDomain: customDomain !== "" ? customDomain : auth0Domain,
    production,
    protectClients,
    displayName,
    deviceBinding,
    allowedAuthenticationMethods,
    webAllowRefreshToken,
    webEnforceOnlineRefreshTokens,
    refreshToken: { tokenLifetime, idleTokenLifetime, leeway },
    ios,
    android,
    webCustomDomain,
    logRetentionDays,
    lambdaMemoryMb,
    apiThrottleBurstLimit,
    apiThrottleRateLimit,
  };
}

/** Reads and validates the running stack's configuration through the Pulumi runtime. */
export function loadConfig(): StackConfig {
  const raw: Record<string, string | undefined> = {};
  const own = new pulumi.Config(PROJECT);
  for (const key of Object.keys(DEFAULTS)) raw[`${PROJECT}:${key}`] = own.get(key);
  raw["auth0:domain"] = new pulumi.Config("auth0").get("domain");
  // Unknown keys of our namespace are reported too, so a typo cannot silently fall back to a default.
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(`${PROJECT}:`) && !(key in raw)) raw[key] = value;
  }
  return parseConfig(pulumi.getStack(), raw);
}
