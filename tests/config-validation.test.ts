import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  ConfigError,
  ConfigReader,
  DEFAULTS,
  OBJECT_LIST_KEYS,
  parseConfig,
  type RawConfig,
} from "../components/config";
import { readRefreshTokens } from "../components/config/refresh-tokens";
import { readSessionTransfer } from "../components/config/session-transfer";

const FP = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5";

/** A minimal valid configuration; each case below breaks one thing. */
const BASE: RawConfig = {
  "auth0:domain": "acme-dev.eu.auth0.com",
  "aws:region": "eu-west-1",
  "native-web-sso:iosTeamId": "ABCDE12345",
  "native-web-sso:iosBundleId": "com.acme.shop",
};

/** A good external web app (`regular_web`), one field changed per override; the JSON Pulumi hands the program. */
const SHOP = {
  name: "shop",
  type: "regular_web",
  loginUri: "https://shop.acme.com/login",
  callbackUrls: ["https://shop.acme.com/callback"],
  logoutUrls: ["https://shop.acme.com/"],
};
function apps(...changes: Record<string, unknown>[]): string {
  return JSON.stringify(changes.map((change) => ({ ...SHOP, ...change })));
}

function problemsOf(raw: RawConfig): ConfigError {
  try {
    parseConfig("test", raw);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

// [what, overrides, key named in the message, text of the expectation]
const BAD: [string, RawConfig, string, string][] = [
  ["missing tenant domain", { "auth0:domain": undefined }, "auth0:domain", "tenant domain is required"],
  [
    "tenant domain with a scheme",
    { "auth0:domain": "https://acme.auth0.com" },
    "auth0:domain",
    "without a scheme",
  ],
  ["tenant domain localhost", { "auth0:domain": "localhost" }, "auth0:domain", "not reachable from phones"],
  ["tenant domain single label", { "auth0:domain": "acme" }, "auth0:domain", "fully qualified"],
  [
    "tenant domain *.localhost",
    { "auth0:domain": "tenant.localhost" },
    "auth0:domain",
    "not reachable from phones",
  ],
  ["tenant domain with a path", { "auth0:domain": "acme.auth0.com/x" }, "auth0:domain", "without port, path"],
  ["tenant domain an IP address", { "auth0:domain": "10.0.0.1" }, "auth0:domain", "not an IP address"],
  [
    "custom domain with a port",
    { "native-web-sso:auth0CustomDomain": "login.acme.com:443" },
    "native-web-sso:auth0CustomDomain",
    "without port",
  ],
  [
    "unknown device binding",
    { "native-web-sso:deviceBinding": "mac" },
    "native-web-sso:deviceBinding",
    'expected one of "asn", "ip", "none"',
  ],
  [
    "device binding none in production",
    { "native-web-sso:deviceBinding": "none" },
    "native-web-sso:deviceBinding",
    "refused in production",
  ],
  [
    "device binding in upper case",
    { "native-web-sso:deviceBinding": "ASN" },
    "native-web-sso:deviceBinding",
    "expected one of",
  ],
  [
    "empty method list",
    { "native-web-sso:allowedAuthenticationMethods": "[]" },
    "native-web-sso:allowedAuthenticationMethods",
    "at least one",
  ],
  [
    "unknown method",
    { "native-web-sso:allowedAuthenticationMethods": '["cookie","header"]' },
    "native-web-sso:allowedAuthenticationMethods",
    'unknown method "header"',
  ],
  [
    "duplicate method",
    { "native-web-sso:allowedAuthenticationMethods": '["query","query"]' },
    "native-web-sso:allowedAuthenticationMethods",
    "each method once",
  ],
  [
    "method list not a list",
    { "native-web-sso:allowedAuthenticationMethods": "cookie" },
    "native-web-sso:allowedAuthenticationMethods",
    "list of strings",
  ],
  [
    "no iOS and no Android identity",
    { "native-web-sso:iosTeamId": undefined, "native-web-sso:iosBundleId": undefined },
    "native-web-sso:iosBundleId",
    "needs an iOS identity",
  ],
  [
    "iOS team ID too short",
    { "native-web-sso:iosTeamId": "ABC123" },
    "native-web-sso:iosTeamId",
    "10-character Apple Team ID",
  ],
  [
    "iOS team ID lower case",
    { "native-web-sso:iosTeamId": "abcde12345" },
    "native-web-sso:iosTeamId",
    "10-character",
  ],
  [
    "bundle ID with one component",
    { "native-web-sso:iosBundleId": "shop" },
    "native-web-sso:iosBundleId",
    "reverse-DNS",
  ],
  [
    "bundle ID with underscore",
    { "native-web-sso:iosBundleId": "com.acme.my_shop" },
    "native-web-sso:iosBundleId",
    "reverse-DNS",
  ],
  [
    "iOS bundle ID without team ID",
    { "native-web-sso:iosTeamId": undefined },
    "native-web-sso:iosTeamId",
    "10-character",
  ],
  [
    "Android package starting with a digit",
    {
      "native-web-sso:androidPackageName": "com.1acme.shop",
      "native-web-sso:androidSha256CertFingerprints": JSON.stringify([FP]),
    },
    "native-web-sso:androidPackageName",
    "Android application ID",
  ],
  [
    "Android package with a Java keyword",
    {
      "native-web-sso:androidPackageName": "com.acme.class",
      "native-web-sso:androidSha256CertFingerprints": JSON.stringify([FP]),
    },
    "native-web-sso:androidPackageName",
    "Android application ID",
  ],
  [
    "Android package without fingerprints",
    { "native-web-sso:androidPackageName": "com.acme.shop" },
    "native-web-sso:androidSha256CertFingerprints",
    "at least one SHA-256",
  ],
  [
    "fingerprint of SHA-1 length",
    {
      "native-web-sso:androidPackageName": "com.acme.shop",
      "native-web-sso:androidSha256CertFingerprints": JSON.stringify([FP.slice(0, 59)]),
    },
    "native-web-sso:androidSha256CertFingerprints",
    "32 colon-separated hex bytes",
  ],
  [
    "fingerprint without colons",
    {
      "native-web-sso:androidPackageName": "com.acme.shop",
      "native-web-sso:androidSha256CertFingerprints": JSON.stringify([FP.replace(/:/g, "")]),
    },
    "native-web-sso:androidSha256CertFingerprints",
    "32 colon-separated",
  ],
  [
    "Android scheme http",
    {
      "native-web-sso:androidPackageName": "com.acme.shop",
      "native-web-sso:androidSha256CertFingerprints": JSON.stringify([FP]),
      "native-web-sso:androidScheme": "http",
    },
    "native-web-sso:androidScheme",
    '"http" is never allowed',
  ],
  [
    "refresh token lifetime zero",
    { "native-web-sso:refreshTokenLifetime": "0" },
    "native-web-sso:refreshTokenLifetime",
    "from 60 to 157788000",
  ],
  [
    "refresh token lifetime over five years",
    { "native-web-sso:refreshTokenLifetime": "157788001" },
    "native-web-sso:refreshTokenLifetime",
    "from 60 to 157788000",
  ],
  [
    "refresh token lifetime not a number",
    { "native-web-sso:refreshTokenLifetime": "30d" },
    "native-web-sso:refreshTokenLifetime",
    "whole number",
  ],
  [
    "idle lifetime longer than absolute",
    { "native-web-sso:refreshTokenLifetime": "3600", "native-web-sso:refreshTokenIdleLifetime": "7200" },
    "native-web-sso:refreshTokenIdleLifetime",
    "at most refreshTokenLifetime (3600)",
  ],
  [
    "leeway over a minute",
    { "native-web-sso:refreshTokenLeeway": "120" },
    "native-web-sso:refreshTokenLeeway",
    "from 0 to 60",
  ],
  [
    "production not a boolean",
    { "native-web-sso:production": "yes" },
    "native-web-sso:production",
    "true or false",
  ],
  [
    "web domain without zone",
    { "native-web-sso:webDomainName": "sso.acme.com" },
    "native-web-sso:webHostedZoneId",
    "hosted zone ID",
  ],
  [
    "web domain localhost",
    { "native-web-sso:webDomainName": "localhost", "native-web-sso:webHostedZoneId": "Z0123456789ABC" },
    "native-web-sso:webDomainName",
    "not reachable from phones",
  ],
  [
    "web domain as a URL",
    {
      "native-web-sso:webDomainName": "https://sso.acme.com",
      "native-web-sso:webHostedZoneId": "Z0123456789ABC",
    },
    "native-web-sso:webDomainName",
    "without a scheme",
  ],
  [
    "log retention not a CloudWatch period",
    { "native-web-sso:logRetentionDays": "10" },
    "native-web-sso:logRetentionDays",
    "CloudWatch's periods",
  ],
  [
    "zero throttle rate",
    { "native-web-sso:apiThrottleRateLimit": "0" },
    "native-web-sso:apiThrottleRateLimit",
    "from 1 to 10000",
  ],
  [
    "Lambda memory too small",
    { "native-web-sso:lambdaMemoryMb": "64" },
    "native-web-sso:lambdaMemoryMb",
    "from 128 to 10240",
  ],
  [
    "negative provisioned concurrency",
    { "native-web-sso:provisionedConcurrency": "-1" },
    "native-web-sso:provisionedConcurrency",
    "from 0 to 1000",
  ],
  [
    "fractional provisioned concurrency",
    { "native-web-sso:provisionedConcurrency": "1.5" },
    "native-web-sso:provisionedConcurrency",
    "whole number",
  ],
  [
    "permissions boundary not a policy ARN (a role's)",
    { "native-web-sso:endpointPermissionsBoundary": "arn:aws:iam::222222222222:role/endpoint-boundary" },
    "native-web-sso:endpointPermissionsBoundary",
    "ARN of an IAM managed policy",
  ],
  [
    "permissions boundary with a short account ID",
    {
      "native-web-sso:endpointPermissionsBoundary":
        "arn:aws:iam::2222:policy/native-web-sso-prod-endpoint-boundary",
    },
    "native-web-sso:endpointPermissionsBoundary",
    "arn:aws:iam::<account>:policy/<name>",
  ],
  [
    "monitoring not a boolean",
    { "native-web-sso:monitoring": "off" },
    "native-web-sso:monitoring",
    "true or false",
  ],
  [
    "alarm e-mail without @",
    { "native-web-sso:alarmEmail": "oncall" },
    "native-web-sso:alarmEmail",
    "e-mail address",
  ],
  [
    "alarm e-mail with a display name",
    { "native-web-sso:alarmEmail": "On Call <oncall@acme.com>" },
    "native-web-sso:alarmEmail",
    "no spaces, quotes, commas or brackets",
  ],
  [
    "alarm e-mail at a bare host",
    { "native-web-sso:alarmEmail": "oncall@localhost" },
    "native-web-sso:alarmEmail",
    "at a real domain",
  ],
  [
    "two alarm e-mails in one value",
    { "native-web-sso:alarmEmail": "a@acme.com,b@acme.com" },
    "native-web-sso:alarmEmail",
    "e-mail address",
  ],
  [
    "exchange failure percent zero",
    { "native-web-sso:alarmExchangeFailurePercent": "0" },
    "native-web-sso:alarmExchangeFailurePercent",
    "from 1 to 100",
  ],
  [
    "5xx percent over 100",
    { "native-web-sso:alarmEndpoint5xxPercent": "101" },
    "native-web-sso:alarmEndpoint5xxPercent",
    "from 1 to 100",
  ],
  [
    "latency threshold beyond API Gateway's timeout",
    { "native-web-sso:alarmLoginLatencyP99Ms": "60000" },
    "native-web-sso:alarmLoginLatencyP99Ms",
    "from 100 to 30000",
  ],
  [
    "display name with markup",
    { "native-web-sso:displayName": "<Acme>" },
    "native-web-sso:displayName",
    "without < or >",
  ],
  ["misspelt key", { "native-web-sso:deviceBindings": "ip" }, "native-web-sso:deviceBindings", "unknown key"],
  [
    "hosted web app not a boolean",
    { "native-web-sso:hostedWebApp": "no" },
    "native-web-sso:hostedWebApp",
    "expected true or false",
  ],
  [
    "no web app left",
    { "native-web-sso:hostedWebApp": "false" },
    "native-web-sso:hostedWebApp",
    "at least one web app",
  ],
  [
    "no web app left, with an empty list",
    { "native-web-sso:hostedWebApp": "false", "native-web-sso:externalWebApps": "[]" },
    "native-web-sso:hostedWebApp",
    "at least one web app",
  ],
  [
    "a custom domain for a web app that is not hosted",
    {
      "native-web-sso:hostedWebApp": "false",
      "native-web-sso:externalWebApps": apps({}),
      "native-web-sso:webDomainName": "sso.acme.com",
      "native-web-sso:webHostedZoneId": "Z0123456789ABC",
    },
    "native-web-sso:webDomainName",
    "only the hosted web app uses it",
  ],
  [
    "provisioned concurrency for a web app that is not hosted",
    {
      "native-web-sso:hostedWebApp": "false",
      "native-web-sso:externalWebApps": apps({}),
      "native-web-sso:provisionedConcurrency": "2",
    },
    "native-web-sso:provisionedConcurrency",
    "only the hosted web app uses it",
  ],
  [
    "external web apps not a list",
    { "native-web-sso:externalWebApps": '{"name":"shop"}' },
    "native-web-sso:externalWebApps",
    "expected a list of web apps",
  ],
  [
    "an external web app that is not an object",
    { "native-web-sso:externalWebApps": '["shop"]' },
    "native-web-sso:externalWebApps[0]",
    "expected an object",
  ],
  [
    "an external web app named in upper case",
    { "native-web-sso:externalWebApps": apps({ name: "Shop" }) },
    "native-web-sso:externalWebApps[0].name",
    "lower-case letters, digits and hyphens",
  ],
  [
    "an external web app named web",
    { "native-web-sso:externalWebApps": apps({ name: "web" }) },
    "native-web-sso:externalWebApps[0].name",
    "the stack's own components do not use",
  ],
  [
    "two external web apps with one name",
    { "native-web-sso:externalWebApps": apps({}, {}) },
    "native-web-sso:externalWebApps[1].name",
    "expected a unique name",
  ],
  [
    "an external web app of an unknown type",
    { "native-web-sso:externalWebApps": apps({ type: "native" }) },
    "native-web-sso:externalWebApps[0].type",
    'expected "regular_web", "spa"',
  ],
  [
    "an external web app with an http login URI",
    { "native-web-sso:externalWebApps": apps({ loginUri: "http://shop.acme.com/login" }) },
    "native-web-sso:externalWebApps[0].loginUri",
    "expected https",
  ],
  [
    "an external web app with a login URI on localhost",
    { "native-web-sso:externalWebApps": apps({ loginUri: "https://localhost/login" }) },
    "native-web-sso:externalWebApps[0].loginUri",
    "not reachable from phones",
  ],
  [
    "an external web app with a login URI on an IP address",
    { "native-web-sso:externalWebApps": apps({ loginUri: "https://10.0.0.1/login" }) },
    "native-web-sso:externalWebApps[0].loginUri",
    "not an IP address",
  ],
  [
    "an external web app with credentials in its login URI",
    { "native-web-sso:externalWebApps": apps({ loginUri: "https://user:pw@shop.acme.com/login" }) },
    "native-web-sso:externalWebApps[0].loginUri",
    "without credentials",
  ],
  [
    "an external web app without callback URLs",
    { "native-web-sso:externalWebApps": apps({ callbackUrls: [] }) },
    "native-web-sso:externalWebApps[0].callbackUrls",
    "at least one https URL",
  ],
  [
    "an external web app with a callback URL that has a fragment",
    { "native-web-sso:externalWebApps": apps({ callbackUrls: ["https://shop.acme.com/callback#x"] }) },
    "native-web-sso:externalWebApps[0].callbackUrls[0]",
    "without a #fragment",
  ],
  [
    "an external web app with a wildcard callback in production",
    { "native-web-sso:externalWebApps": apps({ callbackUrls: ["https://*.acme.com/callback"] }) },
    "native-web-sso:externalWebApps[0].callbackUrls[0]",
    "production stacks allow no wildcards",
  ],
  [
    "an external web app with a repeated callback URL",
    {
      "native-web-sso:externalWebApps": apps({
        callbackUrls: ["https://shop.acme.com/callback", "https://shop.acme.com/callback"],
      }),
    },
    "native-web-sso:externalWebApps[0].callbackUrls",
    "expected each entry once",
  ],
  [
    "an external web app with an http logout URL",
    { "native-web-sso:externalWebApps": apps({ logoutUrls: ["http://shop.acme.com/"] }) },
    "native-web-sso:externalWebApps[0].logoutUrls[0]",
    "expected https",
  ],
  [
    "a single-page app without web origins",
    { "native-web-sso:externalWebApps": apps({ type: "spa" }) },
    "native-web-sso:externalWebApps[0].webOrigins",
    "at least one https origin",
  ],
  [
    "a single-page app with a path in a web origin",
    { "native-web-sso:externalWebApps": apps({ type: "spa", webOrigins: ["https://shop.acme.com/"] }) },
    "native-web-sso:externalWebApps[0].webOrigins[0]",
    "expected an origin only",
  ],
  [
    "a regular web app with web origins",
    { "native-web-sso:externalWebApps": apps({ webOrigins: ["https://shop.acme.com"] }) },
    "native-web-sso:externalWebApps[0].webOrigins",
    'only a "spa" app has web origins',
  ],
  [
    "an external web app with an unknown method",
    { "native-web-sso:externalWebApps": apps({ allowedAuthenticationMethods: ["header"] }) },
    "native-web-sso:externalWebApps[0].allowedAuthenticationMethods",
    'unknown method "header"',
  ],
  [
    "an external web app with no method",
    { "native-web-sso:externalWebApps": apps({ allowedAuthenticationMethods: [] }) },
    "native-web-sso:externalWebApps[0].allowedAuthenticationMethods",
    "at least one of",
  ],
  [
    "an external web app with a misspelt field",
    { "native-web-sso:externalWebApps": apps({ callbackUrl: "https://shop.acme.com/callback" }) },
    "native-web-sso:externalWebApps[0].callbackUrl",
    "unknown field",
  ],
  [
    "an external web app named by a number",
    { "native-web-sso:externalWebApps": apps({ name: 5 }) },
    "native-web-sso:externalWebApps[0].name",
    "lower-case letters, digits and hyphens",
  ],
  [
    "an external web app named after a native client",
    { "native-web-sso:externalWebApps": apps({ name: "native-ios" }) },
    "native-web-sso:externalWebApps[0].name",
    "the stack's own components do not use",
  ],
  [
    "an external web app whose name is too long",
    { "native-web-sso:externalWebApps": apps({ name: "a".repeat(41) }) },
    "native-web-sso:externalWebApps[0].name",
    "at most 40 characters",
  ],
  [
    "an external web app without a login URI",
    { "native-web-sso:externalWebApps": apps({ loginUri: undefined }) },
    "native-web-sso:externalWebApps[0].loginUri",
    "expected an https URL",
  ],
  [
    "an external web app with an http login URI on localhost",
    { "native-web-sso:externalWebApps": apps({ loginUri: "http://localhost:3000/login" }) },
    "native-web-sso:externalWebApps[0].loginUri",
    "expected https",
  ],
  [
    "an external web app with a login URI on the IPv6 loopback address",
    { "native-web-sso:externalWebApps": apps({ loginUri: "https://[::1]/login" }) },
    "native-web-sso:externalWebApps[0].loginUri",
    "not reachable from phones",
  ],
  [
    "an external web app with a login URI on an IPv6 address",
    { "native-web-sso:externalWebApps": apps({ loginUri: "https://[2001:db8::1]/login" }) },
    "native-web-sso:externalWebApps[0].loginUri",
    "not an IP address",
  ],
  [
    "an external web app with a login URI on a decimal IP address",
    { "native-web-sso:externalWebApps": apps({ loginUri: "https://2130706433/login" }) },
    "native-web-sso:externalWebApps[0].loginUri",
    "not reachable from phones",
  ],
  [
    "an external web app with a wildcard login URI outside production",
    {
      "native-web-sso:production": "false",
      "native-web-sso:externalWebApps": apps({ loginUri: "https://*.acme.com/login" }),
    },
    "native-web-sso:externalWebApps[0].loginUri",
    "a wildcard names no host",
  ],
  [
    "an external web app with an upper-case host in its login URI",
    { "native-web-sso:externalWebApps": apps({ loginUri: "https://SHOP.acme.com/login" }) },
    "native-web-sso:externalWebApps[0].loginUri",
    "expected a lower-case host name",
  ],
  [
    "an external web app with an upper-case host in a callback URL",
    { "native-web-sso:externalWebApps": apps({ callbackUrls: ["https://Shop.acme.com/callback"] }) },
    "native-web-sso:externalWebApps[0].callbackUrls[0]",
    "expected a lower-case host name",
  ],
  [
    "an external web app with callback URLs given as one string",
    { "native-web-sso:externalWebApps": apps({ callbackUrls: "https://shop.acme.com/callback" }) },
    "native-web-sso:externalWebApps[0].callbackUrls",
    "expected a list of at least one https URL",
  ],
  [
    "a bad callback URL at the end of a huge list, named by its index",
    {
      "native-web-sso:externalWebApps": apps({
        callbackUrls: [
          ...Array.from({ length: 5000 }, (_, i) => `https://shop.acme.com/callback/${i}`),
          "http://shop.acme.com/callback",
        ],
      }),
    },
    "native-web-sso:externalWebApps[0].callbackUrls[5000]",
    "expected https",
  ],
  [
    "a single-page app with an empty list of web origins",
    { "native-web-sso:externalWebApps": apps({ type: "spa", webOrigins: [] }) },
    "native-web-sso:externalWebApps[0].webOrigins",
    "at least one https origin",
  ],
  [
    "a single-page app with web origins given as one string",
    { "native-web-sso:externalWebApps": apps({ type: "spa", webOrigins: "https://shop.acme.com" }) },
    "native-web-sso:externalWebApps[0].webOrigins",
    "expected a list of at least one https origin",
  ],
  [
    "a single-page app with an upper-case web origin",
    { "native-web-sso:externalWebApps": apps({ type: "spa", webOrigins: ["https://Shop.acme.com"] }) },
    "native-web-sso:externalWebApps[0].webOrigins[0]",
    "expected a lower-case host name",
  ],
  [
    "a single-page app with the default port in a web origin",
    { "native-web-sso:externalWebApps": apps({ type: "spa", webOrigins: ["https://shop.acme.com:443"] }) },
    "native-web-sso:externalWebApps[0].webOrigins[0]",
    "expected an origin only",
  ],
  [
    "an external web app with methods given as one string",
    { "native-web-sso:externalWebApps": apps({ allowedAuthenticationMethods: "cookie" }) },
    "native-web-sso:externalWebApps[0].allowedAuthenticationMethods",
    'expected a list of "cookie", "query"',
  ],
  [
    "external web apps given as null",
    { "native-web-sso:externalWebApps": "null" },
    "native-web-sso:externalWebApps",
    "expected a list of web apps",
  ],
  [
    "an external web app given as a list",
    { "native-web-sso:externalWebApps": "[[]]" },
    "native-web-sso:externalWebApps[0]",
    "expected an object",
  ],
  [
    "a native client layout in upper case",
    { "native-web-sso:nativeClients": "Per-Platform" },
    "native-web-sso:nativeClients",
    'expected "shared"',
  ],
  [
    "an unknown native client layout",
    { "native-web-sso:nativeClients": "per-device" },
    "native-web-sso:nativeClients",
    'expected "shared"',
  ],
];

describe("configuration validation", () => {
  it.each(BAD)("rejects %s, naming the key, the value and the fix", (_what, overrides, key, expected) => {
    const error = problemsOf({ ...BASE, ...overrides });
    const problem = error.problems.find((p) => p.key === key);
    expect(problem, error.message).toBeDefined();
    expect(problem?.expected).toContain(expected);
    // The message a user sees names the key and what was found.
    expect(error.message).toContain(`${key}: got ${problem?.found}`);
    expect(error.message).toMatch(/^Invalid configuration for stack "test"/);
  });

  it.each(BAD)("tells how to fix %s", (_what, overrides, key) => {
    const error = problemsOf({ ...BASE, ...overrides });
    const problem = error.problems.find((p) => p.key === key);
    expect(problem?.fix, error.message).toMatch(/pulumi config (set|rm) /);
    const line = error.message.split("\n").find((l) => l.startsWith(`  - ${key}: got `));
    expect(line).toBe(`  - ${key}: got ${problem?.found}; ${problem?.expected}. Fix: ${problem?.fix}`);
  });

  it("reads one section on its own, with the other sections' keys untouched", () => {
    const r = new ConfigReader({
      "native-web-sso:refreshTokenLifetime": "3600",
      "native-web-sso:refreshTokenIdleLifetime": "7200",
    });
    expect(readRefreshTokens(r)).toEqual({ tokenLifetime: 3600, idleTokenLifetime: 7200, leeway: 0 });
    expect(r.problems.map((p) => [p.key, p.fix])).toEqual([
      [
        "native-web-sso:refreshTokenIdleLifetime",
        "pulumi config set native-web-sso:refreshTokenIdleLifetime 3600",
      ],
    ]);

    const web = new ConfigReader({ "native-web-sso:deviceBinding": "none" });
    expect(readSessionTransfer(web, false).deviceBinding).toBe("none");
    expect(web.problems).toEqual([]);
    const prod = new ConfigReader({ "native-web-sso:deviceBinding": "none" });
    expect(readSessionTransfer(prod, true).deviceBinding).toBe("asn");
    expect(prod.problems.map((p) => p.fix)).toEqual([
      "pulumi config set native-web-sso:deviceBinding asn, or mark the stack non-production with pulumi config set native-web-sso:production false",
    ]);
  });

  it("reports every bad value of a run at once", () => {
    const error = problemsOf({
      ...BASE,
      "native-web-sso:deviceBinding": "mac",
      "native-web-sso:allowedAuthenticationMethods": "[]",
      "native-web-sso:iosTeamId": "x",
    });
    expect(error.problems.map((p) => p.key).sort()).toEqual([
      "native-web-sso:allowedAuthenticationMethods",
      "native-web-sso:deviceBinding",
      "native-web-sso:iosTeamId",
    ]);
  });

  it("applies the documented defaults to a minimal stack", () => {
    const cfg = parseConfig("test", BASE);
    expect(cfg).toMatchObject({
      production: true,
      protectClients: true,
      deviceBinding: "asn",
      allowedAuthenticationMethods: ["cookie", "query"],
      webAllowRefreshToken: false,
      webEnforceOnlineRefreshTokens: true,
      refreshToken: { tokenLifetime: 2_592_000, idleTokenLifetime: 1_296_000, leeway: 0 },
      loginDomain: "acme-dev.eu.auth0.com",
      logRetentionDays: 30,
      ios: { teamId: "ABCDE12345", bundleId: "com.acme.shop", universalLinks: false },
    });
    expect(cfg.android).toBeUndefined();
    expect(cfg.webCustomDomain).toBeUndefined();
  });

  it("monitors every stack by default, with no e-mail, no provisioned concurrency and the documented thresholds", () => {
    const cfg = parseConfig("test", BASE);
    expect(cfg).toMatchObject({ monitoring: true, alarmEmail: "", provisionedConcurrency: 0 });
    expect(cfg.alarmThresholds).toEqual({
      exchangeFailurePercent: 10,
      exchangeFailureMinCount: 5,
      bindingMismatchCount: 5,
      endpoint5xxPercent: 5,
      endpoint4xxPercent: 25,
      endpointMinRequests: 20,
      throttledRequestCount: 10,
      functionErrorCount: 1,
      settingsLoadFailureCount: 1,
      loginLatencyP99Ms: 3000,
    });
  });

  it("takes the monitoring opt-out, an alarm address and provisioned concurrency", () => {
    const cfg = parseConfig("test", {
      ...BASE,
      "native-web-sso:monitoring": "false",
      "native-web-sso:alarmEmail": "sso-oncall+prod@acme.co.uk",
      "native-web-sso:provisionedConcurrency": "3",
    });
    expect(cfg).toMatchObject({
      monitoring: false,
      alarmEmail: "sso-oncall+prod@acme.co.uk",
      provisionedConcurrency: 3,
    });
  });

  it("sets no permissions boundary by default, and takes a managed policy's ARN", () => {
    expect(parseConfig("test", BASE).endpointPermissionsBoundary).toBeUndefined();
    const arn = "arn:aws:iam::222222222222:policy/native-web-sso-prod-endpoint-boundary";
    expect(
      parseConfig("test", { ...BASE, "native-web-sso:endpointPermissionsBoundary": arn })
        .endpointPermissionsBoundary,
    ).toBe(arn);
  });

  it("accepts device binding none only in a non-production stack", () => {
    const cfg = parseConfig("dev", {
      ...BASE,
      "native-web-sso:production": "false",
      "native-web-sso:deviceBinding": "none",
    });
    expect(cfg.deviceBinding).toBe("none");
  });

  it("keeps the method list in a stable order and fingerprints upper case", () => {
    const cfg = parseConfig("test", {
      ...BASE,
      "native-web-sso:allowedAuthenticationMethods": '["query","cookie"]',
      "native-web-sso:androidPackageName": "com.acme.shop",
      "native-web-sso:androidSha256CertFingerprints": JSON.stringify([FP.toLowerCase()]),
    });
    expect(cfg.allowedAuthenticationMethods).toEqual(["cookie", "query"]);
    expect(cfg.android?.sha256CertFingerprints).toEqual([FP]);
  });

  it("uses the tenant's custom domain for logins when one is set", () => {
    const cfg = parseConfig("test", { ...BASE, "native-web-sso:auth0CustomDomain": "login.acme.com" });
    expect(cfg.loginDomain).toBe("login.acme.com");
    expect(cfg.auth0Domain).toBe("acme-dev.eu.auth0.com");
  });

  it("reads external web apps: methods default to the stack's, SPAs keep their origins", () => {
    const cfg = parseConfig("test", {
      ...BASE,
      "native-web-sso:allowedAuthenticationMethods": '["cookie"]',
      "native-web-sso:externalWebApps": JSON.stringify([
        SHOP,
        {
          name: "account-2",
          type: "spa",
          loginUri: "https://account.acme.com/login",
          callbackUrls: ["https://account.acme.com/callback"],
          webOrigins: ["https://account.acme.com", "https://account.acme.com:8443"],
          allowedAuthenticationMethods: ["query", "cookie"],
        },
      ]),
    });
    expect(cfg.hostedWebApp).toBe(true);
    expect(cfg.externalWebApps).toEqual([
      { ...SHOP, webOrigins: [], allowedAuthenticationMethods: ["cookie"] },
      {
        name: "account-2",
        type: "spa",
        loginUri: "https://account.acme.com/login",
        callbackUrls: ["https://account.acme.com/callback"],
        logoutUrls: [],
        webOrigins: ["https://account.acme.com", "https://account.acme.com:8443"],
        allowedAuthenticationMethods: ["cookie", "query"],
      },
    ]);
  });

  it("accepts a stack of external web apps only, and a wildcard callback outside production", () => {
    const cfg = parseConfig("dev", {
      ...BASE,
      "native-web-sso:production": "false",
      "native-web-sso:hostedWebApp": "false",
      "native-web-sso:externalWebApps": apps({ callbackUrls: ["https://*.preview.acme.com/callback"] }),
    });
    expect(cfg.hostedWebApp).toBe(false);
    expect(cfg.externalWebApps.map((a) => a.callbackUrls)).toEqual([["https://*.preview.acme.com/callback"]]);
  });

  it("keeps one shared native client unless per-platform clients are asked for", () => {
    expect(parseConfig("test", BASE).nativeClients).toBe("shared");
    expect(parseConfig("test", BASE).externalWebApps).toEqual([]);
    expect(
      parseConfig("test", { ...BASE, "native-web-sso:nativeClients": "per-platform" }).nativeClients,
    ).toBe("per-platform");
  });

  it("documents exactly the keys and defaults of the code in Pulumi.yaml", () => {
    const text = readFileSync(path.join(__dirname, "..", "Pulumi.yaml"), "utf8");
    const project = parseYaml(text) as {
      config: Record<string, { type: string; default: unknown; description: string }>;
    };
    // Lists of objects cannot be typed in a project file: each is documented in a comment instead.
    for (const key of OBJECT_LIST_KEYS) {
      expect(text, key).toContain(`  # ${key} (array of objects, default ${JSON.stringify(DEFAULTS[key])}):`);
    }
    expect([...Object.keys(project.config), ...OBJECT_LIST_KEYS].sort()).toEqual(
      Object.keys(DEFAULTS).sort(),
    );
    for (const [key, decl] of Object.entries(project.config)) {
      expect(decl.default, key).toEqual(DEFAULTS[key as keyof typeof DEFAULTS]);
      expect(decl.description.length, key).toBeGreaterThan(10);
      const expectedType = Array.isArray(decl.default)
        ? "array"
        : typeof decl.default === "number"
          ? "integer"
          : typeof decl.default;
      expect(decl.type, key).toBe(expectedType);
    }
  });
});
