import * as auth0 from "@pulumi/auth0";
import * as aws from "@pulumi/aws";
import * as policySdk from "@pulumi/policy";
import * as random from "@pulumi/random";
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { UNKNOWN_SENTINELS } from "../policy/known";
import {
  apiStageAccessLogging,
  auth0ClientsProtected,
  lambdaEnvironmentNoSecrets,
  lambdaEnvironmentNoSecretValues,
  lambdaRoleLeastPrivilege,
  lambdaRoleOwnResources,
  lambdaRolePermissionsBoundary,
  logGroupRetention,
  nativeClientSessionTransfer,
  policies,
  sessionTransferDeviceBinding,
  sessionTransferDeviceBindingOutsideProduction,
  spaClientOrigins,
  ssmSecretsSecureString,
  TYPES,
  webClientRedirectUrls,
  webClientSessionTransfer,
} from "../policy/rules";

// The proxy the CLI's policy host wraps props in: it throws when a policy reads an unknown value.
const unknownCheckingProxy = policySdk.unknownCheckingProxy as <T extends object>(props: T) => T;
/** What a preview sends for a value the cloud has not assigned yet. */
const UNKNOWN = pulumi.runtime.unknownValue as string;

type Props = Record<string, unknown>;
const NOT_APPLICABLE = "not applicable";

class NotApplicable extends Error {}

function opts(protect = false): PolicyResourceOptions {
  return {
    protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
}

/**
 * The provider SDK class of each type token the policies check, so `args.isType(Class)` answers as
 * in the policy host without reading the SDK's private type tag. A wrong row makes its policy
 * "not applicable" and its tests fail.
 */
const CLASS_OF_TYPE = new Map<string, unknown>([
  [TYPES.client, auth0.Client],
  [TYPES.clientCredentials, auth0.ClientCredentials],
  [TYPES.parameter, aws.ssm.Parameter],
  [TYPES.function, aws.lambda.Function],
  [TYPES.role, aws.iam.Role],
  [TYPES.rolePolicy, aws.iam.RolePolicy],
  [TYPES.rolePolicyAttachment, aws.iam.RolePolicyAttachment],
  [TYPES.stage, aws.apigatewayv2.Stage],
  [TYPES.logGroup, aws.cloudwatch.LogGroup],
  [TYPES.randomPassword, random.RandomPassword],
  [TYPES.secretVersion, aws.secretsmanager.SecretVersion],
]);

function isType(type: string, resourceClass: unknown): boolean {
  return CLASS_OF_TYPE.get(type) === resourceClass;
}

/** Runs a resource policy on one hand-built resource; its violation messages, or "not applicable". */
async function check(
  policy: ResourceValidationPolicy,
  type: string,
  props: Props,
  config: object = {},
  name = "subject",
  stack = "prod",
): Promise<string[] | typeof NOT_APPLICABLE> {
  const validations: ResourceValidation[] = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : policy.validateResource
      ? [policy.validateResource]
      : [];
  const messages: string[] = [];
  let applied = false;
  for (const validate of validations) {
    const proxied = unknownCheckingProxy(structuredClone(props));
    try {
      await validate(
        {
          type,
          props: proxied,
          // The pack reads the stack's production flag from its stack file: prod's says true, dev's false.
          urn: `urn:pulumi:${stack}::p::${type}::${name}`,
          name,
          opts: opts(),
          stackTags: new Map(),
          isType: (c) => isType(type, c),
          asType: (c) => (isType(type, c) ? proxied : undefined) as never,
          getConfig: <T extends object>() => config as T,
          notApplicable: (reason) => {
            throw new NotApplicable(reason);
          },
        },
        (message) => messages.push(message),
      );
      applied = true;
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
    }
  }
  return applied ? messages : NOT_APPLICABLE;
}

interface StackItem {
  readonly type: string;
  readonly name: string;
  readonly props: Props;
  readonly protect?: boolean;
  /** Names of the items this one depends on. */
  readonly dependsOn?: readonly string[];
}

/** Runs a stack policy on hand-built resources; its violations as `name: message`, or "not applicable". */
async function checkStack(
  policy: StackValidationPolicy,
  items: readonly StackItem[],
  config: object = {},
  stack = "prod",
): Promise<string[] | typeof NOT_APPLICABLE> {
  const byName = new Map<string, PolicyResource>();
  const resources = items.map((item): PolicyResource => {
    const props = unknownCheckingProxy(structuredClone(item.props));
    const r: PolicyResource = {
      type: item.type,
      props,
      urn: `urn:pulumi:${stack}::p::${item.type}::${item.name}`,
      name: item.name,
      opts: opts(item.protect),
      dependencies: [],
      propertyDependencies: {},
      isType: (c) => isType(item.type, c),
      asType: (c) => (isType(item.type, c) ? props : undefined) as never,
    };
    byName.set(item.name, r);
    return r;
  });
  items.forEach((item, i) => {
    resources[i].dependencies = (item.dependsOn ?? []).map((n) => byName.get(n)!);
  });
  const messages: string[] = [];
  try {
    await policy.validateStack(
      {
        resources,
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason) => {
          throw new NotApplicable(reason);
        },
      },
      (message, urn) => messages.push(`${urn?.split("::").pop() ?? "stack"}: ${message}`),
    );
  } catch (e) {
    if (e instanceof NotApplicable) return NOT_APPLICABLE;
    throw e;
  }
  return messages;
}

const nativeClient = (): Props => ({
  name: "Acme Native (prod)",
  appType: "native",
  grantTypes: ["authorization_code", "refresh_token"],
  callbacks: ["com.acme.shop://login.acme.com/ios/com.acme.shop/callback"],
  refreshToken: { rotationType: "rotating", expirationType: "expiring" },
  sessionTransfer: {
    canCreateSessionTransferToken: true,
    enforceDeviceBinding: "asn",
    allowedAuthenticationMethods: [],
  },
});

const webClient = (): Props => ({
  name: "Acme Web (prod)",
  appType: "regular_web",
  grantTypes: ["authorization_code"],
  callbacks: ["https://sso.acme.com/callback"],
  allowedLogoutUrls: ["https://sso.acme.com"],
  initiateLoginUri: "https://sso.acme.com/login",
  sessionTransfer: {
    canCreateSessionTransferToken: false,
    allowedAuthenticationMethods: ["cookie", "query"],
    enforceDeviceBinding: "asn",
  },
});

function withSessionTransfer(props: Props, changes: Props): Props {
  return { ...props, sessionTransfer: { ...(props.sessionTransfer as Props), ...changes } };
}

describe("the pack", () => {
  it("has unique policy names, each with a description, mandatory but for the non-production device binding warning", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of policies) {
      expect(p.description.length).toBeGreaterThan(20);
      expect(p.enforcementLevel, p.name).toBe(
        p === sessionTransferDeviceBindingOutsideProduction ? "advisory" : "mandatory",
      );
    }
  });

  it("recognises every unknown sentinel of @pulumi/policy, including the one the engine sends", async () => {
    const proxy = (await import("@pulumi/policy/proxy")) as unknown as Record<string, unknown>;
    const sentinels = Object.entries(proxy)
      .filter(([k]) => /^unknown[A-Z]\w*Value$/.test(k))
      .map(([, v]) => v);
    expect(sentinels).toHaveLength(7);
    expect(new Set(sentinels)).toEqual(UNKNOWN_SENTINELS);
    expect(UNKNOWN_SENTINELS.has(UNKNOWN)).toBe(true);
  });
});

describe("native-client-session-transfer", () => {
  it("passes a native client with rotation, the refresh_token grant and asn binding", async () => {
    expect(await check(nativeClientSessionTransfer, TYPES.client, nativeClient())).toEqual([]);
  });

  it("reports rotation off, a missing refresh_token grant and missing device binding", async () => {
    const props = {
      ...withSessionTransfer(nativeClient(), { enforceDeviceBinding: undefined }),
      refreshToken: { rotationType: "non-rotating" },
      grantTypes: ["authorization_code"],
    };
    expect(await check(nativeClientSessionTransfer, TYPES.client, props)).toEqual([
      'Native client "Acme Native (prod)" can create session transfer tokens but refresh token rotation is off (refreshToken.rotationType is "non-rotating"): set it to "rotating".',
      'Native client "Acme Native (prod)" can create session transfer tokens but its grantTypes ["authorization_code"] lack "refresh_token", the grant that exchanges a refresh token for one.',
      'Native client "Acme Native (prod)" must bind its session transfer tokens to the device: set sessionTransfer.enforceDeviceBinding to "asn" or "ip" (found nothing).',
    ]);
  });

  it("ignores native clients that cannot create session transfer tokens", async () => {
    const props = withSessionTransfer(
      { ...nativeClient(), grantTypes: [] },
      { canCreateSessionTransferToken: false },
    );
    expect(await check(nativeClientSessionTransfer, TYPES.client, props)).toEqual([]);
  });

  it("skips a value unknown during a preview instead of failing the policy", async () => {
    const props = { ...nativeClient(), grantTypes: UNKNOWN, refreshToken: { rotationType: "non-rotating" } };
    expect(await check(nativeClientSessionTransfer, TYPES.client, props)).toEqual([
      'Native client "Acme Native (prod)" can create session transfer tokens but refresh token rotation is off (refreshToken.rotationType is "non-rotating"): set it to "rotating".',
    ]);
  });

  it("does not apply to other resource types", async () => {
    expect(await check(nativeClientSessionTransfer, TYPES.logGroup, {})).toBe(NOT_APPLICABLE);
  });
});

describe("session-transfer-device-binding", () => {
  it("passes asn and ip on both clients", async () => {
    for (const binding of ["asn", "ip"]) {
      const native = withSessionTransfer(nativeClient(), { enforceDeviceBinding: binding });
      const web = withSessionTransfer(webClient(), { enforceDeviceBinding: binding });
      expect(await check(sessionTransferDeviceBinding, TYPES.client, native)).toEqual([]);
      expect(await check(sessionTransferDeviceBinding, TYPES.client, web)).toEqual([]);
    }
  });

  it('reports "none" on the native client that creates tokens and the web client that redeems them', async () => {
    const native = withSessionTransfer(nativeClient(), { enforceDeviceBinding: "none" });
    const web = withSessionTransfer(webClient(), { enforceDeviceBinding: "none" });
    expect(await check(sessionTransferDeviceBinding, TYPES.client, native)).toEqual([
      'Native client "Acme Native (prod)" has sessionTransfer.enforceDeviceBinding "none": a stolen session transfer token could be redeemed from any network. Use "asn" or "ip".',
    ]);
    expect(await check(sessionTransferDeviceBinding, TYPES.client, web)).toEqual([
      'Web client "Acme Web (prod)" has sessionTransfer.enforceDeviceBinding "none": a stolen session transfer token could be redeemed from any network. Use "asn" or "ip".',
    ]);
  });

  it('leaves "none" in a non-production stack (dev) to its advisory twin, and the twin leaves production alone', async () => {
    const native = withSessionTransfer(nativeClient(), { enforceDeviceBinding: "none" });
    expect(await check(sessionTransferDeviceBinding, TYPES.client, native, {}, "subject", "dev")).toBe(
      NOT_APPLICABLE,
    );
    expect(
      await check(sessionTransferDeviceBindingOutsideProduction, TYPES.client, native, {}, "subject", "dev"),
    ).toHaveLength(1);
    expect(await check(sessionTransferDeviceBindingOutsideProduction, TYPES.client, native)).toBe(
      NOT_APPLICABLE,
    );
    // No stack file for the stack: judged as production.
    expect(
      await check(sessionTransferDeviceBinding, TYPES.client, native, {}, "subject", "nowhere"),
    ).toHaveLength(1);
  });
});

describe("web-client-session-transfer", () => {
  const run = (props: Props) => check(webClientSessionTransfer, TYPES.client, props);

  it("passes a web client with cookie and query, device binding and an https login URI", async () => {
    expect(await run(webClient())).toEqual([]);
    expect(await run(withSessionTransfer(webClient(), { allowedAuthenticationMethods: ["query"] }))).toEqual(
      [],
    );
  });

  it("reports an empty method list, which silently turns the feature off", async () => {
    expect(await run(withSessionTransfer(webClient(), { allowedAuthenticationMethods: [] }))).toEqual([
      'Web client "Acme Web (prod)" accepts no session transfer method: sessionTransfer.allowedAuthenticationMethods is empty, which silently turns Native to Web SSO off. Name "cookie", "query" or both.',
    ]);
  });

  it("reports methods other than cookie and query", async () => {
    const props = withSessionTransfer(webClient(), { allowedAuthenticationMethods: ["cookie", "header"] });
    expect(await run(props)).toEqual([
      'Web client "Acme Web (prod)" names unsupported session transfer methods ["header"]: only "cookie" and "query" are allowed.',
    ]);
  });

  it("reports missing device binding", async () => {
    expect(await run(withSessionTransfer(webClient(), { enforceDeviceBinding: "" }))).toEqual([
      'Web client "Acme Web (prod)" must set sessionTransfer.enforceDeviceBinding to "asn", "ip" or "none" (found ""); left unset, whatever the dashboard holds applies.',
    ]);
  });

  // One case per branch of model/web-urls.ts, as the policy reports it.
  const LOGIN_URIS: [string, string, string][] = [
    ["http", "http://sso.acme.com/login", "expected https (Auth0 accepts no other scheme for a web app)"],
    [
      "localhost",
      "https://localhost:3000/login",
      "localhost and loopback addresses (127.x, ::1) are not reachable from phones (in the URL)",
    ],
    [
      "127.x, loopback",
      "https://127.3.2.1/login",
      "localhost and loopback addresses (127.x, ::1) are not reachable from phones (in the URL)",
    ],
    [
      "IPv6 loopback",
      "https://[::1]/login",
      "localhost and loopback addresses (127.x, ::1) are not reachable from phones (in the URL)",
    ],
    ["an IPv4 literal", "https://10.0.0.1/login", "expected a host name, not an IP address (in the URL)"],
    [
      "an IPv6 literal",
      "https://[2001:db8::1]/login",
      "expected a host name, not an IP address (in the URL)",
    ],
    ["an upper-case host", "https://SSO.acme.com/login", "expected a lower-case host name"],
    ["a fragment", "https://sso.acme.com/login#x", "expected a URL without a #fragment"],
    [
      "a single-label host",
      "https://sso/login",
      "expected a fully qualified host name such as login.example.com (in the URL)",
    ],
    [
      "credentials, not repeated",
      "https://admin:hunter2@sso.acme.com/login",
      "expected a URL without credentials",
    ],
    [
      "a wildcard host",
      "https://*.acme.com/login",
      "expected an exact host: the native app opens this URL, and a wildcard names no host",
    ],
    ["no host", "acme:/login", "expected https (Auth0 accepts no other scheme for a web app)"],
    ["not a URL", "/login", "expected an absolute https URL such as https://shop.example.com/login"],
  ];

  it.each(LOGIN_URIS)("reports a login URI with %s", async (_what, uri, problem) => {
    const shown = uri.replace("admin:hunter2@", "***@");
    expect(await run({ ...webClient(), initiateLoginUri: uri })).toEqual([
      `Web client "Acme Web (prod)" has initiateLoginUri "${shown}": ${problem}.`,
    ]);
  });

  it("passes a login URI on a real host with a port", async () => {
    expect(await run({ ...webClient(), initiateLoginUri: "https://sso.acme.com:8443/login" })).toEqual([]);
  });

  it("reports no login URI at all", async () => {
    expect(await run({ ...webClient(), initiateLoginUri: undefined })).toEqual([
      'Web client "Acme Web (prod)" has no initiateLoginUri: the native app has no Application Login URI to open.',
    ]);
  });

  it("checks the rest while the login URI is still unknown in a preview", async () => {
    const props = withSessionTransfer(
      { ...webClient(), initiateLoginUri: UNKNOWN },
      { allowedAuthenticationMethods: [] },
    );
    expect(await run(props)).toEqual([
      'Web client "Acme Web (prod)" accepts no session transfer method: sessionTransfer.allowedAuthenticationMethods is empty, which silently turns Native to Web SSO off. Name "cookie", "query" or both.',
    ]);
  });

  it("ignores web clients without a session transfer block", async () => {
    expect(await run({ ...webClient(), sessionTransfer: undefined, initiateLoginUri: "http://x" })).toEqual(
      [],
    );
  });
});

describe("web-client-redirect-urls", () => {
  const wildcard = {
    ...webClient(),
    callbacks: ["https://*.acme.com/callback", "http://sso.acme.com/callback"],
    allowedLogoutUrls: ["https://sso.acme.com", UNKNOWN],
  };

  it("passes https callback and logout URLs", async () => {
    expect(await check(webClientRedirectUrls, TYPES.client, webClient())).toEqual([]);
  });

  it("reports http URLs and, by default (production), wildcards", async () => {
    expect(await check(webClientRedirectUrls, TYPES.client, wildcard)).toEqual([
      'Web client "Acme Web (prod)" has callbacks entry "https://*.acme.com/callback": expected an exact host: production stacks allow no wildcards.',
      'Web client "Acme Web (prod)" has callbacks entry "http://sso.acme.com/callback": expected https (Auth0 accepts no other scheme for a web app).',
    ]);
  });

  it("allows wildcards, never http, in a stack marked non-production (dev)", async () => {
    expect(await check(webClientRedirectUrls, TYPES.client, wildcard, {}, "subject", "dev")).toEqual([
      'Web client "Acme Web (prod)" has callbacks entry "http://sso.acme.com/callback": expected https (Auth0 accepts no other scheme for a web app).',
    ]);
  });

  it("leaves native clients' custom-scheme callbacks alone", async () => {
    expect(await check(webClientRedirectUrls, TYPES.client, nativeClient())).toEqual([]);
  });
});

describe("auth0-clients-protected", () => {
  const items = (protect: boolean): StackItem[] => [
    { type: TYPES.client, name: "web-client", props: webClient(), protect },
    { type: TYPES.clientCredentials, name: "web-credentials", props: {}, protect, dependsOn: ["web-client"] },
    { type: TYPES.logGroup, name: "logs", props: { retentionInDays: 7 } },
  ];

  it("passes protected clients and credentials", async () => {
    expect(await checkStack(auth0ClientsProtected, items(true))).toEqual([]);
  });

  it("reports unprotected clients and credentials in production (the default)", async () => {
    expect(await checkStack(auth0ClientsProtected, items(false))).toEqual([
      'web-client: Auth0 client "Acme Web (prod)" is not protected: deleting or replacing it changes its client ID and every installed app stops signing in. Protect it (native-web-sso:protectClients true).',
      `web-credentials: Auth0 client credentials "web-credentials" are not protected: deleting them resets the client's authentication method and deletes its secrets. Protect them (native-web-sso:protectClients true).`,
    ]);
  });

  it("does not apply to a stack marked non-production (dev), whatever the policy configuration says", async () => {
    expect(await checkStack(auth0ClientsProtected, items(false), {}, "dev")).toBe(NOT_APPLICABLE);
    // The configuration's `production` is not read: prod stays strict even when it says otherwise.
    expect(await checkStack(auth0ClientsProtected, items(false), { production: false }, "prod")).not.toBe(
      NOT_APPLICABLE,
    );
  });
});

describe("lambda-environment-no-secrets", () => {
  const fn = (variables: Props): Props => ({ environment: { variables } });
  const contractEnv = {
    ISSUER_BASE_URL: "https://login.acme.com",
    BASE_URL: UNKNOWN,
    SETTINGS_PATH: "/native-web-sso/prod/web",
    NODE_ENV: "production",
  };

  it("passes the variables of the app contract, even with unknown values", async () => {
    expect(await check(lambdaEnvironmentNoSecrets, TYPES.function, fn(contractEnv))).toEqual([]);
  });

  it("reports variables whose names suggest secrets", async () => {
    const props = fn({ ...contractEnv, CLIENT_SECRET: "s3cr3t", API_KEY: UNKNOWN });
    expect(await check(lambdaEnvironmentNoSecrets, TYPES.function, props, {}, "endpoint-function")).toEqual([
      `Lambda function "endpoint-function" has environment variable CLIENT_SECRET, whose name suggests a secret: anyone who can read the function's configuration sees it. Store it as an SSM SecureString parameter below SETTINGS_PATH and read it at cold start.`,
      `Lambda function "endpoint-function" has environment variable API_KEY, whose name suggests a secret: anyone who can read the function's configuration sees it. Store it as an SSM SecureString parameter below SETTINGS_PATH and read it at cold start.`,
    ]);
  });

  it("accepts names the policy config declares non-secret", async () => {
    const props = fn({ ...contractEnv, KMS_KEY_ID: "alias/web" });
    expect(
      await check(lambdaEnvironmentNoSecrets, TYPES.function, props, { allowedNames: ["KMS_KEY_ID"] }),
    ).toEqual([]);
  });
});

describe("lambda-environment-no-secret-values", () => {
  const secret = "mock-password-0123456789abcdef";
  const items = (env: Props): StackItem[] => [
    {
      type: TYPES.parameter,
      name: "cookie-secret-parameter",
      props: { name: "/native-web-sso/prod/web/cookie-secret", type: "SecureString", value: secret },
    },
    { type: TYPES.function, name: "endpoint-function", props: { environment: { variables: env } } },
  ];

  it("passes a function whose environment holds no secret of the stack", async () => {
    expect(
      await checkStack(lambdaEnvironmentNoSecretValues, items({ SETTINGS_PATH: "/x", NODE_ENV: "p" })),
    ).toEqual([]);
  });

  it("reports a variable carrying a secret's value, whatever its name", async () => {
    expect(
      await checkStack(lambdaEnvironmentNoSecretValues, items({ OIDC: secret, BASE_URL: UNKNOWN })),
    ).toEqual([
      'endpoint-function: Lambda function "endpoint-function" has environment variable OIDC set to the value of the SecureString parameter "/native-web-sso/prod/web/cookie-secret": secrets reach the function only through SSM SecureString parameters, never its environment.',
    ]);
  });
});

describe("ssm-secrets-secure-string", () => {
  const param = (leaf: string, props: Props = {}): Props => ({
    name: `/native-web-sso/prod/web/${leaf}`,
    type: "SecureString",
    value: UNKNOWN,
    ...props,
  });

  it("passes secrets stored as SecureString, and leaves other parameters alone", async () => {
    expect(await check(ssmSecretsSecureString, TYPES.parameter, param("client-secret"))).toEqual([]);
    expect(
      await check(ssmSecretsSecureString, TYPES.parameter, param("client-id", { type: "String" })),
    ).toEqual([]);
  });

  it("reports a secret stored as a plain String, or through insecureValue", async () => {
    expect(
      await check(ssmSecretsSecureString, TYPES.parameter, param("cookie-secret", { type: "String" })),
    ).toEqual([
      'SSM parameter "/native-web-sso/prod/web/cookie-secret" holds a secret but its type is "String": use "SecureString" so it is encrypted with KMS.',
    ]);
    const insecure = param("client-secret", { value: undefined, insecureValue: "s3cr3t" });
    expect(await check(ssmSecretsSecureString, TYPES.parameter, insecure)).toEqual([
      'SSM parameter "/native-web-sso/prod/web/client-secret" holds a secret in insecureValue, which is stored in clear in the stack\'s state: use value with type "SecureString".',
    ]);
  });
});

const LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/web";
const SETTINGS = "arn:aws:ssm:us-east-1:123456789012:parameter/native-web-sso/prod/web";
const ownDocument = (ssm: string[] = [SETTINGS, `${SETTINGS}/*`], logs: string[] = [`${LOGS}:*`]) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: logs,
      },
      {
        Sid: "ReadOwnSettings",
        Effect: "Allow",
        Action: ["ssm:GetParametersByPath", "ssm:GetParameters"],
        Resource: ssm,
      },
    ],
  });
const lambdaTrust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

describe("lambda-role-least-privilege", () => {
  const rolePolicy = (policy: unknown) =>
    check(lambdaRoleLeastPrivilege, TYPES.rolePolicy, { role: UNKNOWN, policy }, {}, "endpoint-role-policy");

  it("passes reading parameters below a path and writing one log group, and skips an unknown document", async () => {
    expect(await rolePolicy(ownDocument())).toEqual([]);
    expect(await rolePolicy(UNKNOWN)).toEqual([]);
  });

  it("reports wildcard and foreign actions, every-resource grants and non-parameter resources", async () => {
    const doc = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["ssm:*", "s3:GetObject"], Resource: "*" },
        {
          Sid: "Settings",
          Effect: "Allow",
          Action: "ssm:GetParameter",
          Resource: "arn:aws:ssm:*:*:parameter/*",
        },
        { Effect: "Allow", Action: "logs:PutLogEvents", Resource: "arn:aws:logs:us-east-1:123456789012:*" },
        { Effect: "Deny", Action: "*", Resource: "*" },
      ],
    };
    expect(await rolePolicy(JSON.stringify(doc))).toEqual([
      'Role policy "endpoint-role-policy" statement 1 allows "ssm:*": the function may only read its own parameters (ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath), decrypt them through SSM (kms:Decrypt) and write its own logs (logs:CreateLogStream, logs:PutLogEvents).',
      'Role policy "endpoint-role-policy" statement 1 allows "s3:GetObject": the function may only read its own parameters (ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath), decrypt them through SSM (kms:Decrypt) and write its own logs (logs:CreateLogStream, logs:PutLogEvents).',
      `Role policy "endpoint-role-policy" statement 1 applies to every resource ("*"): name the function's own parameters and log group.`,
      'Role policy "endpoint-role-policy" statement "Settings" names "arn:aws:ssm:*:*:parameter/*", which is not an SSM parameter path (arn:aws:ssm:<region>:<account>:parameter/<path>, optionally ending in /*).',
      'Role policy "endpoint-role-policy" statement 3 names "arn:aws:logs:us-east-1:123456789012:*", which is not a log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>, optionally ending in :*).',
    ]);
  });

  it("allows kms:Decrypt only through SSM and only for parameters named in the encryption context", async () => {
    const decrypt = (condition?: unknown, resource: unknown = "arn:aws:kms:us-east-1:123456789012:key/*") =>
      rolePolicy(
        JSON.stringify({
          Statement: [
            {
              Sid: "Decrypt",
              Effect: "Allow",
              Action: "kms:Decrypt",
              Resource: resource,
              Condition: condition,
            },
          ],
        }),
      );
    const own = {
      StringEquals: { "kms:ViaService": "ssm.us-east-1.amazonaws.com" },
      StringLike: { "kms:EncryptionContext:PARAMETER_ARN": `${SETTINGS}/*` },
    };
    expect(await decrypt(own)).toEqual([]);
    expect(await decrypt()).toEqual([
      'Role policy "endpoint-role-policy" statement "Decrypt" allows kms:Decrypt without the condition kms:ViaService = ssm.<region>.amazonaws.com: the function would decrypt whatever the key encrypts, not only its parameters.',
      'Role policy "endpoint-role-policy" statement "Decrypt" allows kms:Decrypt without the condition kms:EncryptionContext:PARAMETER_ARN naming its own parameters (arn:aws:ssm:<region>:<account>:parameter/<path>/*).',
    ]);
    expect(
      await decrypt({
        StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:PARAMETER_ARN": "*" },
      }),
    ).toHaveLength(2);
    expect(await decrypt(own, "arn:aws:s3:::bucket")).toEqual([
      'Role policy "endpoint-role-policy" statement "Decrypt" names "arn:aws:s3:::bucket", which is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).',
    ]);
  });

  it("reports NotAction, mixed services and a document that is not JSON", async () => {
    const doc = {
      Statement: [
        { Effect: "Allow", NotAction: "iam:*", Resource: `${LOGS}:*` },
        { Effect: "Allow", Action: ["ssm:GetParameters", "logs:PutLogEvents"], Resource: [`${SETTINGS}/*`] },
      ],
    };
    expect(await rolePolicy(JSON.stringify(doc))).toEqual([
      'Role policy "endpoint-role-policy" statement 1 uses NotAction, which allows every other action.',
      'Role policy "endpoint-role-policy" statement 2 mixes SSM and CloudWatch Logs actions: keep one statement per service, each naming only its own resources.',
      'Role policy "endpoint-role-policy" statement 2 names "arn:aws:ssm:us-east-1:123456789012:parameter/native-web-sso/prod/web/*", which is not a log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>, optionally ending in :*).',
    ]);
    expect(await rolePolicy("{not json")).toEqual(['Role policy "endpoint-role-policy" is not valid JSON.']);
  });

  it("reports AWS managed policies attached to the role, directly or through an attachment", async () => {
    const managed = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    expect(
      await check(
        lambdaRoleLeastPrivilege,
        TYPES.rolePolicyAttachment,
        { role: "r", policyArn: managed },
        {},
        "attach",
      ),
    ).toEqual([
      `Role policy attachment "attach" attaches the AWS managed policy ${managed}, which grants more than reading the function's own parameters and writing its own logs.`,
    ]);
    const role = { assumeRolePolicy: lambdaTrust, managedPolicyArns: [managed] };
    expect(await check(lambdaRoleLeastPrivilege, TYPES.role, role, {}, "endpoint-role")).toEqual([
      `Role "endpoint-role" attaches the AWS managed policy ${managed}, which grants more than reading the function's own parameters and writing its own logs.`,
    ]);
    expect(await check(lambdaRoleLeastPrivilege, TYPES.role, { assumeRolePolicy: lambdaTrust })).toEqual([]);
  });
});

describe("lambda-role-permissions-boundary", () => {
  const boundary = "arn:aws:iam::222222222222:policy/native-web-sso-prod-endpoint-boundary";
  const role = (permissionsBoundary: unknown, stack = "prod") =>
    check(
      lambdaRolePermissionsBoundary,
      TYPES.role,
      { assumeRolePolicy: lambdaTrust, permissionsBoundary },
      {},
      "endpoint-role",
      stack,
    );
  const fix =
    'Set native-web-sso:endpointPermissionsBoundary (pulumi config set native-web-sso:endpointPermissionsBoundary "$(pulumi -C identities stack output endpointPermissionsBoundaryArn)").';

  it("passes a function role bounded by a customer managed policy, and skips one not yet known", async () => {
    expect(await role(boundary)).toEqual([]);
    expect(await role(UNKNOWN)).toEqual([]);
  });

  it("reports a function role without a boundary, or bounded by an AWS managed policy, in production", async () => {
    expect(await role(undefined)).toEqual([
      `Role "endpoint-role" of the Lambda function has no permissions boundary: whoever may write its policy could give the function any permission. ${fix}`,
    ]);
    expect(await role("arn:aws:iam::aws:policy/PowerUserAccess")).toEqual([
      `Role "endpoint-role" of the Lambda function has the AWS managed policy "arn:aws:iam::aws:policy/PowerUserAccess" as its permissions boundary, which allows far more than reading its settings and writing its logs. ${fix}`,
    ]);
  });

  it("leaves roles Lambda does not assume alone, and a stack marked non-production (dev)", async () => {
    const ciTrust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(await check(lambdaRolePermissionsBoundary, TYPES.role, { assumeRolePolicy: ciTrust })).toEqual([]);
    expect(await role(undefined, "dev")).toEqual([]);
  });
});

describe("lambda-role-own-resources", () => {
  const items = (opts: { settingsPath?: string; logGroup?: string; doc?: string }): StackItem[] => [
    { type: TYPES.role, name: "endpoint-role", props: { assumeRolePolicy: lambdaTrust } },
    {
      type: TYPES.rolePolicy,
      name: "endpoint-role-policy",
      props: { role: "endpoint-role", policy: opts.doc ?? ownDocument() },
      dependsOn: ["endpoint-role"],
    },
    {
      type: TYPES.function,
      name: "endpoint-function",
      props: {
        role: "arn:aws:iam::123456789012:role/endpoint-role",
        environment: { variables: opts.settingsPath ? { SETTINGS_PATH: opts.settingsPath } : {} },
        loggingConfig: { logGroup: opts.logGroup ?? "/aws/lambda/web" },
      },
      dependsOn: ["endpoint-role", "endpoint-role-policy"],
    },
  ];

  it("passes a role that reads below SETTINGS_PATH and writes the function's log group", async () => {
    expect(
      await checkStack(lambdaRoleOwnResources, items({ settingsPath: "/native-web-sso/prod/web" })),
    ).toEqual([]);
  });

  it("skips what is still unknown during a preview", async () => {
    const found = await checkStack(
      lambdaRoleOwnResources,
      items({ settingsPath: "/native-web-sso/prod/web", logGroup: UNKNOWN, doc: UNKNOWN }),
    );
    expect(found).toEqual([]);
  });

  it("reports parameters outside the function's settings path and another log group", async () => {
    const found = await checkStack(
      lambdaRoleOwnResources,
      items({ settingsPath: "/native-web-sso/dev/web", logGroup: "/aws/lambda/other" }),
    );
    expect(found).toEqual([
      `endpoint-role-policy: Lambda function "endpoint-function" can write to log group "/aws/lambda/web", not its own log group "/aws/lambda/other": role policy "endpoint-role-policy" names "${LOGS}:*".`,
      `endpoint-role-policy: Lambda function "endpoint-function" can read SSM parameters outside its settings path "/native-web-sso/dev/web": role policy "endpoint-role-policy" names "${SETTINGS}".`,
      `endpoint-role-policy: Lambda function "endpoint-function" can read SSM parameters outside its settings path "/native-web-sso/dev/web": role policy "endpoint-role-policy" names "${SETTINGS}/*".`,
    ]);
  });

  it("reports parameter access by a function that names no settings path", async () => {
    const found = await checkStack(lambdaRoleOwnResources, items({ doc: ownDocument([SETTINGS]) }));
    expect(found).toEqual([
      `endpoint-role-policy: Lambda function "endpoint-function" can read SSM parameters (role policy "endpoint-role-policy" names "${SETTINGS}") but has no SETTINGS_PATH environment variable naming its own settings.`,
    ]);
  });
});

describe("api-stage-access-logging", () => {
  it("passes a stage with a destination (even one still unknown) and a format", async () => {
    const props = { accessLogSettings: { destinationArn: UNKNOWN, format: '{"status":"$context.status"}' } };
    expect(await check(apiStageAccessLogging, TYPES.stage, props)).toEqual([]);
  });

  it("reports a stage without access logging", async () => {
    expect(
      await check(apiStageAccessLogging, TYPES.stage, { name: "$default" }, {}, "endpoint-stage"),
    ).toEqual([
      'API stage "endpoint-stage" has no access logging: set accessLogSettings.destinationArn and accessLogSettings.format.',
    ]);
  });
});

describe("log-group-retention", () => {
  it("passes a log group with a retention period", async () => {
    expect(await check(logGroupRetention, TYPES.logGroup, { retentionInDays: 30 })).toEqual([]);
  });

  it("reports a log group that keeps logs forever", async () => {
    const message =
      'Log group "endpoint-logs" keeps its logs forever: set retentionInDays to a CloudWatch retention period.';
    expect(await check(logGroupRetention, TYPES.logGroup, {}, {}, "endpoint-logs")).toEqual([message]);
    expect(
      await check(logGroupRetention, TYPES.logGroup, { retentionInDays: 0 }, {}, "endpoint-logs"),
    ).toEqual([message]);
  });
});

const spaClient = (): Props => ({
  ...webClient(),
  name: "Acme shop (prod)",
  appType: "spa",
  callbacks: ["https://shop.acme.com/callback"],
  allowedLogoutUrls: ["https://shop.acme.com/"],
  initiateLoginUri: "https://shop.acme.com/login",
  webOrigins: ["https://shop.acme.com"],
  allowedOrigins: ["https://shop.acme.com"],
});

describe("every web client rule, for a single-page app", () => {
  it("passes a single-page client as the program declares it", async () => {
    for (const policy of [webClientSessionTransfer, webClientRedirectUrls, sessionTransferDeviceBinding]) {
      expect(await check(policy, TYPES.client, spaClient()), policy.name).toEqual([]);
    }
    expect(await check(spaClientOrigins, TYPES.client, spaClient())).toEqual([]);
  });

  it("holds a single-page client to the same session transfer, login URI and redirect rules", async () => {
    expect(
      await check(webClientSessionTransfer, TYPES.client, {
        ...withSessionTransfer(spaClient(), { allowedAuthenticationMethods: [] }),
        initiateLoginUri: "http://shop.acme.com/login",
      }),
    ).toEqual([
      'Web client "Acme shop (prod)" accepts no session transfer method: sessionTransfer.allowedAuthenticationMethods is empty, which silently turns Native to Web SSO off. Name "cookie", "query" or both.',
      'Web client "Acme shop (prod)" has initiateLoginUri "http://shop.acme.com/login": expected https (Auth0 accepts no other scheme for a web app).',
    ]);
    expect(
      await check(webClientRedirectUrls, TYPES.client, {
        ...spaClient(),
        callbacks: ["https://*.acme.com/cb"],
      }),
    ).toEqual([
      'Web client "Acme shop (prod)" has callbacks entry "https://*.acme.com/cb": expected an exact host: production stacks allow no wildcards.',
    ]);
    expect(
      await check(
        sessionTransferDeviceBinding,
        TYPES.client,
        withSessionTransfer(spaClient(), { enforceDeviceBinding: "none" }),
      ),
    ).toHaveLength(1);
    expect(
      await checkStack(auth0ClientsProtected, [
        { type: TYPES.client, name: "shop-client", props: spaClient() },
      ]),
    ).toEqual([
      'shop-client: Auth0 client "Acme shop (prod)" is not protected: deleting or replacing it changes its client ID and every installed app stops signing in. Protect it (native-web-sso:protectClients true).',
    ]);
  });
});

describe("spa-client-origins", () => {
  it("requires the SDK's origins, as https origins without a path", async () => {
    expect(await check(spaClientOrigins, TYPES.client, { ...spaClient(), webOrigins: [] })).toEqual([
      'Single-page client "Acme shop (prod)" has no webOrigins: the SPA SDK cannot renew its session from the page\'s origin.',
    ]);
    expect(
      await check(spaClientOrigins, TYPES.client, {
        ...spaClient(),
        webOrigins: ["http://shop.acme.com", "https://shop.acme.com/app"],
        allowedOrigins: ["https://shop.acme.com/"],
      }),
    ).toEqual([
      'Single-page client "Acme shop (prod)" has webOrigins entry "http://shop.acme.com": expected https (Auth0 accepts no other scheme for a web app).',
      'Single-page client "Acme shop (prod)" has webOrigins entry "https://shop.acme.com/app": expected an origin only: https://host or https://host:port, no path, no trailing slash.',
      'Single-page client "Acme shop (prod)" has allowedOrigins entry "https://shop.acme.com/": expected an origin only: https://host or https://host:port, no path, no trailing slash.',
    ]);
  });

  it("refuses grants a public client in a browser must not hold", async () => {
    expect(
      await check(spaClientOrigins, TYPES.client, {
        ...spaClient(),
        grantTypes: ["authorization_code", "implicit", "client_credentials"],
      }),
    ).toEqual([
      'Single-page client "Acme shop (prod)" has grantTypes ["implicit","client_credentials"]: a public client in a browser uses only ["authorization_code","refresh_token"].',
    ]);
  });

  it("leaves other clients, and origins still unknown in a preview, alone", async () => {
    expect(await check(spaClientOrigins, TYPES.client, webClient())).toEqual([]);
    expect(await check(spaClientOrigins, TYPES.client, { ...spaClient(), webOrigins: UNKNOWN })).toEqual([]);
  });
});
