/**
 * The policies of the `native-web-sso` pack, as plain policy objects. The pack's entry file
 * (`index.ts`) only wraps them in a `PolicyPack`; tests and the offline evaluator import this module,
 * which starts no server.
 *
 * Every rule reads properties through {@link known}: a value that is unknown during a preview is
 * skipped by the one check that needs it (see `known.ts` for why that is safe).
 */
import * as auth0 from "@pulumi/auth0";
import * as aws from "@pulumi/aws";
import type {
  EnforcementLevel,
  Policies,
  PolicyPackConfig,
  PolicyResource,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { LAMBDA_ENV, SETTINGS_PARAMETERS } from "../app/contract";
import { checkSessionTransferMethods, isDeviceBinding } from "../model/session-transfer";
import { at, isUnknown, known, list, object, show, UNKNOWN, type Known } from "./known";

/** Name of the pack, as `pulumi preview` reports it. */
export const PACK_NAME = "native-web-sso";
/** Enforcement of every policy unless a stack's policy config says otherwise. */
export const PACK_ENFORCEMENT: EnforcementLevel = "mandatory";

/** Resource type tokens the policies look at. */
export const TYPES = {
  client: "auth0:index/client:Client",
  clientCredentials: "auth0:index/clientCredentials:ClientCredentials",
  parameter: "aws:ssm/parameter:Parameter",
  function: "aws:lambda/function:Function",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  stage: "aws:apigatewayv2/stage:Stage",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  randomPassword: "random:index/randomPassword:RandomPassword",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
} as const;

/** `appType`s of Auth0 clients that redeem session transfer tokens in a browser. */
const WEB_APP_TYPES: readonly string[] = ["regular_web", "spa"];

/** Names of SSM parameters below the settings path that hold secrets. */
export const SECRET_PARAMETER_NAMES: readonly string[] = [
  SETTINGS_PARAMETERS.clientSecret,
  SETTINGS_PARAMETERS.cookieSecret,
];

/** Environment variable names that look like secrets. */
export const SECRET_LIKE_NAME = /secret|password|passwd|token|private|key/i;
/** Environment variables the app contract declares as non-secret, whatever their names look like. */
export const NON_SECRET_ENV_NAMES: readonly string[] = [...Object.values(LAMBDA_ENV), "NODE_ENV"];

/** What the function's role may do, by service: read its own parameters, write its own logs. */
export const ALLOWED_ACTIONS = {
  ssm: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
  logs: ["logs:CreateLogStream", "logs:PutLogEvents"],
} as const;
const ALLOWED_ACTIONS_TEXT =
  "the function may only read its own parameters (ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath) and write its own logs (logs:CreateLogStream, logs:PutLogEvents)";
/** An SSM parameter path ARN, optionally ending in `/*`; no other wildcard. */
const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter(\/[^*]+)(\/\*)?$/;
/** A log group ARN, optionally followed by `:*` or one of its log streams; no wildcard in the name. */
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:([^:*]+)(:\*|:log-stream:[^:]+)?$/;
const AWS_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\//;

// ----------------------------------------------------------------------------------------------
// Helpers

/** Per-policy configuration of the policies that relax outside production. */
export interface ProductionConfig {
  /** `false` in stacks marked non-production (`native-web-sso:production: false`). Default: `true`. */
  readonly production?: boolean;
}

const productionSchema = {
  properties: {
    production: {
      type: "boolean" as const,
      default: true,
      description: "false in stacks marked non-production (native-web-sso:production false)",
    },
  },
};

function isProduction(args: { getConfig<T extends object>(): T }): boolean {
  // No config means the strict, production behaviour.
  return args.getConfig<ProductionConfig>().production !== false;
}

function str(v: Known | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function label(p: Known, fallback: string): string {
  return str(at(p, "name")) ?? fallback;
}

function clientKind(p: Known): "native" | "web" | undefined {
  const appType = at(p, "appType");
  if (appType === "native") return "native";
  if (typeof appType === "string" && WEB_APP_TYPES.includes(appType)) return "web";
  return undefined;
}

/** A native client that can create session transfer tokens. */
function createsTokens(p: Known): boolean {
  return clientKind(p) === "native" && at(p, "sessionTransfer", "canCreateSessionTransferToken") === true;
}

/** A web client with a session transfer block: it takes part in Native to Web SSO. */
function acceptsTokens(p: Known): boolean {
  const st = at(p, "sessionTransfer");
  return clientKind(p) === "web" && st !== undefined && !isUnknown(st);
}

function isLocalhost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return (
    h === "localhost" ||
    h.endsWith(".localhost") ||
    /^127\.\d+\.\d+\.\d+$/.test(h) ||
    h === "[::1]" ||
    h === "0.0.0.0"
  );
}

function isHttpsUrl(u: string): boolean {
  try {
    // Auth0 allows `*` in a subdomain; URL parsing does not.
    const url = new URL(u.replace(/\*/g, "w"));
    return url.protocol === "https:" && url.hostname !== "";
  } catch {
    return false;
  }
}

function strings(v: Known | undefined): string[] {
  if (typeof v === "string") return [v];
  const l = list(v);
  return l === undefined || isUnknown(l) ? [] : l.filter((x): x is string => typeof x === "string");
}

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  /** `statement "<Sid>"`, or `statement <n>` (1-based) without a Sid. */
  readonly label: string;
  readonly allow: boolean;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly notAction: boolean;
  readonly notResource: boolean;
}

/**
 * Parses an IAM policy document (a JSON string or an object). `undefined` when absent or unknown;
 * a string when it is not a policy document (the reason).
 */
export function policyStatements(doc: Known | undefined): readonly PolicyStatement[] | string | undefined {
  if (doc === undefined || isUnknown(doc)) return undefined;
  let parsed: Known = doc;
  if (typeof doc === "string") {
    try {
      parsed = known(JSON.parse(doc));
    } catch {
      return "is not valid JSON";
    }
  }
  const raw = at(parsed, "Statement");
  if (raw === undefined || isUnknown(raw)) return "has no Statement";
  const items = list(raw) ?? [raw];
  if (isUnknown(items)) return undefined;
  return items.map((s, i): PolicyStatement => {
    const sid = str(at(s, "Sid"));
    return {
      label: sid ? `statement "${sid}"` : `statement ${i + 1}`,
      allow: at(s, "Effect") === "Allow",
      actions: strings(at(s, "Action")),
      resources: strings(at(s, "Resource")),
      notAction: at(s, "NotAction") !== undefined,
      notResource: at(s, "NotResource") !== undefined,
    };
  });
}

function service(action: string): string {
  return action.split(":")[0].toLowerCase();
}

function isAllowedAction(action: string): boolean {
  const all: readonly string[] = [...ALLOWED_ACTIONS.ssm, ...ALLOWED_ACTIONS.logs];
  return all.some((a) => a.toLowerCase() === action.toLowerCase());
}

/** Checks one IAM policy document of the function's role against "own parameters, own logs". */
function checkRoleDocument(what: string, doc: Known | undefined, report: (message: string) => void): void {
  const statements = policyStatements(doc);
  if (statements === undefined) return;
  if (typeof statements === "string") {
    report(`${what} ${statements}.`);
    return;
  }
  for (const s of statements) {
    // Deny statements only take permissions away.
    if (!s.allow) continue;
    const where = `${what} ${s.label}`;
    if (s.notAction) report(`${where} uses NotAction, which allows every other action.`);
    if (s.notResource) report(`${where} uses NotResource, which allows every other resource.`);
    for (const a of s.actions) {
      if (!isAllowedAction(a)) report(`${where} allows "${a}": ${ALLOWED_ACTIONS_TEXT}.`);
    }
    const services = new Set(s.actions.filter(isAllowedAction).map(service));
    if (services.size > 1) {
      report(
        `${where} mixes SSM and CloudWatch Logs actions: keep one statement per service, each naming only its own resources.`,
      );
    }
    if (s.resources.includes("*")) {
      report(`${where} applies to every resource ("*"): name the function's own parameters and log group.`);
    }
    for (const r of s.resources) {
      if (r === "*") continue;
      if (services.has("ssm") && !SSM_PARAMETER_ARN.test(r)) {
        report(
          `${where} names "${r}", which is not an SSM parameter path (arn:aws:ssm:<region>:<account>:parameter/<path>, optionally ending in /*).`,
        );
      }
      if (services.has("logs") && !LOG_GROUP_ARN.test(r)) {
        report(
          `${where} names "${r}", which is not a log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>, optionally ending in :*).`,
        );
      }
    }
  }
}

/** `true` when a role's trust policy lets Lambda assume it (or cannot be read yet). */
function trustsLambda(assumeRolePolicy: Known | undefined): boolean {
  const statements = policyStatements(assumeRolePolicy);
  if (statements === undefined || typeof statements === "string") return true;
  const text = typeof assumeRolePolicy === "string" ? assumeRolePolicy : JSON.stringify(assumeRolePolicy);
  return text.includes("lambda.amazonaws.com");
}

/** The resource a property of `r` refers to, found by the engine's dependency records. */
function linked(r: PolicyResource, property: string, type: string): PolicyResource | undefined {
  const byProperty = r.propertyDependencies[property]?.filter((d) => d.type === type) ?? [];
  if (byProperty.length > 0) return byProperty[0];
  const byDependency = r.dependencies.filter((d) => d.type === type);
  return byDependency.length === 1 ? byDependency[0] : undefined;
}

// ----------------------------------------------------------------------------------------------
// Auth0 clients

/** A native client that creates session transfer tokens has what the token exchange needs. */
export const nativeClientSessionTransfer: ResourceValidationPolicy = {
  name: "native-client-session-transfer",
  description:
    "A native Auth0 client that can create session transfer tokens uses rotating refresh tokens, the refresh_token grant and device binding.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(auth0.Client, (props, args, report) => {
    const p = known(props);
    if (!createsTokens(p)) return;
    const name = label(p, args.name);
    const rotation = at(p, "refreshToken", "rotationType");
    if (!isUnknown(rotation) && rotation !== "rotating") {
      report(
        `Native client "${name}" can create session transfer tokens but refresh token rotation is off (refreshToken.rotationType is ${show(rotation)}): set it to "rotating".`,
      );
    }
    const grants = list(at(p, "grantTypes"));
    if (!isUnknown(grants) && !(grants ?? []).includes("refresh_token")) {
      report(
        `Native client "${name}" can create session transfer tokens but its grantTypes ${show(grants)} lack "refresh_token", the grant that exchanges a refresh token for one.`,
      );
    }
    const binding = at(p, "sessionTransfer", "enforceDeviceBinding");
    if (!isUnknown(binding) && !isDeviceBinding(binding)) {
      report(
        `Native client "${name}" must bind its session transfer tokens to the device: set sessionTransfer.enforceDeviceBinding to "asn" or "ip" (found ${show(binding)}).`,
      );
    }
  }),
};

/** `none` device binding: advisory in non-production stacks (through their policy config), else mandatory. */
export const sessionTransferDeviceBinding: ResourceValidationPolicy = {
  name: "session-transfer-device-binding",
  description:
    'Session transfer tokens are bound to the device\'s network ("asn" or "ip"); "none" is advisory in non-production stacks only.',
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(auth0.Client, (props, args, report) => {
    const p = known(props);
    const kind = createsTokens(p) ? "Native" : acceptsTokens(p) ? "Web" : undefined;
    if (!kind) return;
    if (at(p, "sessionTransfer", "enforceDeviceBinding") === "none") {
      report(
        `${kind} client "${label(p, args.name)}" has sessionTransfer.enforceDeviceBinding "none": a stolen session transfer token could be redeemed from any network. Use "asn" or "ip".`,
      );
    }
  }),
};

/** A web client that accepts session transfer tokens is set up so the hand-over can work, safely. */
export const webClientSessionTransfer: ResourceValidationPolicy = {
  name: "web-client-session-transfer",
  description:
    'A web Auth0 client that accepts session transfer tokens names only "cookie" and "query", sets device binding, and has an https Application Login URI on a real host without credentials.',
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(auth0.Client, (props, args, report) => {
    const p = known(props);
    if (!acceptsTokens(p)) return;
    const name = `Web client "${label(p, args.name)}"`;

    const methods = list(at(p, "sessionTransfer", "allowedAuthenticationMethods"));
    if (!isUnknown(methods)) {
      const given = methods ?? [];
      const check = checkSessionTransferMethods(given);
      if (!check.ok && check.kind === "empty") {
        report(
          `${name} accepts no session transfer method: sessionTransfer.allowedAuthenticationMethods is empty, which silently turns Native to Web SSO off. Name "cookie", "query" or both.`,
        );
      } else if (!check.ok && check.kind === "unknown") {
        report(
          `${name} names unsupported session transfer methods ${show(check.unknown)}: only "cookie" and "query" are allowed.`,
        );
      } else if (!check.ok && check.kind === "repeated") {
        report(`${name} names a session transfer method twice: ${show(given)}.`);
      }
    }

    const binding = at(p, "sessionTransfer", "enforceDeviceBinding");
    if (!isUnknown(binding) && !isDeviceBinding(binding)) {
      report(
        `${name} must set sessionTransfer.enforceDeviceBinding to "asn", "ip" or "none" (found ${show(binding)}); left unset, whatever the dashboard holds applies.`,
      );
    }

    const uri = at(p, "initiateLoginUri");
    if (isUnknown(uri)) return; // The endpoint's URL: known once the API exists; checked again by `pulumi up`.
    if (typeof uri !== "string" || uri === "") {
      report(`${name} has no initiateLoginUri: the native app has no Application Login URI to open.`);
      return;
    }
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      report(`${name} has initiateLoginUri "${uri}", which is not an absolute URL.`);
      return;
    }
    const hasCredentials = url.username !== "" || url.password !== "";
    // Never repeat credentials in a preview.
    const shown = hasCredentials ? `${url.protocol}//***@${url.host}${url.pathname}` : uri;
    if (url.protocol !== "https:") report(`${name} has initiateLoginUri "${shown}", which is not https.`);
    if (url.hostname === "") report(`${name} has initiateLoginUri "${shown}", which has no host.`);
    else if (isLocalhost(url.hostname)) {
      report(`${name} has initiateLoginUri "${shown}" on ${url.hostname}, which phones cannot reach.`);
    }
    if (hasCredentials) report(`${name} has credentials in its initiateLoginUri "${shown}": remove them.`);
  }),
};

/** Callback and logout URLs of a web client: https always, no wildcards in production. */
export const webClientRedirectUrls: ResourceValidationPolicy = {
  name: "web-client-redirect-urls",
  description:
    "Callback and logout URLs of a web Auth0 client are https, and have no wildcards in production.",
  enforcementLevel: "mandatory",
  configSchema: productionSchema,
  validateResource: validateResourceOfType(auth0.Client, (props, args, report) => {
    const p = known(props);
    if (clientKind(p) !== "web") return;
    const name = `Web client "${label(p, args.name)}"`;
    const production = isProduction(args);
    for (const field of ["callbacks", "allowedLogoutUrls"]) {
      const urls = list(at(p, field));
      if (urls === undefined || isUnknown(urls)) continue;
      for (const u of urls) {
        if (typeof u !== "string") continue; // unknown until the endpoint exists
        if (!isHttpsUrl(u)) report(`${name} has ${field} entry "${u}", which is not https.`);
        if (production && u.includes("*")) {
          report(`${name} has ${field} entry "${u}" with a wildcard, which production stacks do not allow.`);
        }
      }
    }
  }),
};

/** Clients are protected in production: a replaced client gets a new ID and shipped apps stop signing in. */
export const auth0ClientsProtected: StackValidationPolicy = {
  name: "auth0-clients-protected",
  description:
    "In production, Auth0 clients and their credentials are protected from deletion (a replaced client gets a new client ID).",
  enforcementLevel: "mandatory",
  configSchema: productionSchema,
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    if (!isProduction(args)) args.notApplicable("non-production stack");
    for (const r of args.resources) {
      if (r.opts.protect) continue;
      if (r.type === TYPES.client) {
        report(
          `Auth0 client "${label(known(r.props), r.name)}" is not protected: deleting or replacing it changes its client ID and every installed app stops signing in. Protect it (native-web-sso:protectClients true).`,
          r.urn,
        );
      } else if (r.type === TYPES.clientCredentials) {
        report(
          `Auth0 client credentials "${r.name}" are not protected: deleting them resets the client's authentication method and deletes its secrets. Protect them (native-web-sso:protectClients true).`,
          r.urn,
        );
      }
    }
  },
};

// ----------------------------------------------------------------------------------------------
// Secrets

/** Configuration of {@link lambdaEnvironmentNoSecrets}. */
export interface SecretNamesConfig {
  /** Further environment variable names known not to hold secrets. */
  readonly allowedNames?: readonly string[];
}

/** No secret-looking environment variables on a Lambda function. */
export const lambdaEnvironmentNoSecrets: ResourceValidationPolicy = {
  name: "lambda-environment-no-secrets",
  description:
    "Secrets reach the Lambda function only through SSM SecureString parameters, never as environment variables.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedNames: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Environment variable names that look like secrets but are not",
      },
    },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (props, args, report) => {
    const p = known(props);
    const variables = object(at(p, "environment", "variables"));
    if (variables === undefined || isUnknown(variables)) return;
    const allowed = [...NON_SECRET_ENV_NAMES, ...(args.getConfig<SecretNamesConfig>().allowedNames ?? [])];
    for (const key of Object.keys(variables)) {
      if (SECRET_LIKE_NAME.test(key) && !allowed.includes(key)) {
        report(
          `Lambda function "${label(p, args.name)}" has environment variable ${key}, whose name suggests a secret: anyone who can read the function's configuration sees it. Store it as an SSM SecureString parameter below SETTINGS_PATH and read it at cold start.`,
        );
      }
    }
  }),
};

function secretHolders(resources: readonly PolicyResource[]): Map<string, string> {
  const held = new Map<string, string>();
  const add = (value: Known | undefined, holder: string): void => {
    // Short values would match by accident.
    if (typeof value === "string" && value.length >= 8) held.set(value, holder);
  };
  for (const r of resources) {
    const p = known(r.props);
    if (r.type === TYPES.parameter && at(p, "type") === "SecureString") {
      add(at(p, "value"), `the SecureString parameter "${label(p, r.name)}"`);
    } else if (r.type === TYPES.clientCredentials) {
      add(at(p, "clientSecret"), `the client secret of "${r.name}"`);
    } else if (r.type === TYPES.randomPassword) {
      add(at(p, "result"), `the generated password "${r.name}"`);
    } else if (r.type === TYPES.secretVersion) {
      add(at(p, "secretString"), `the Secrets Manager secret "${r.name}"`);
    }
  }
  return held;
}

/**
 * No Lambda environment variable carries a secret held elsewhere in the stack. Policies see
 * secrets in clear, with no mark that they are secret, so the check compares values: it works
 * whenever both values are known (an existing stack, or `pulumi up`).
 */
export const lambdaEnvironmentNoSecretValues: StackValidationPolicy = {
  name: "lambda-environment-no-secret-values",
  description:
    "No Lambda environment variable carries the value of a secret of the stack (a client secret, a generated password, a SecureString parameter).",
  enforcementLevel: "mandatory",
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    const held = secretHolders(args.resources);
    if (held.size === 0) return;
    for (const fn of args.resources.filter((r) => r.type === TYPES.function)) {
      const p = known(fn.props);
      const variables = object(at(p, "environment", "variables"));
      if (variables === undefined || isUnknown(variables)) continue;
      for (const [key, value] of Object.entries(variables)) {
        if (typeof value !== "string") continue;
        for (const [secret, holder] of held) {
          if (value.includes(secret)) {
            report(
              `Lambda function "${label(p, fn.name)}" has environment variable ${key} set to the value of ${holder}: secrets reach the function only through SSM SecureString parameters, never its environment.`,
              fn.urn,
            );
          }
        }
      }
    }
  },
};

/** The client secret and the cookie secret are stored as SecureString parameters. */
export const ssmSecretsSecureString: ResourceValidationPolicy = {
  name: "ssm-secrets-secure-string",
  description: `SSM parameters that hold secrets (${SECRET_PARAMETER_NAMES.join(", ")}) are SecureString and never set through insecureValue.`,
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.ssm.Parameter, (props, _args, report) => {
    const p = known(props);
    const name = at(p, "name");
    if (typeof name !== "string") return;
    const leaf = name.split("/").pop() ?? "";
    if (!SECRET_PARAMETER_NAMES.includes(leaf)) return;
    const type = at(p, "type");
    if (!isUnknown(type) && type !== "SecureString") {
      report(
        `SSM parameter "${name}" holds a secret but its type is ${show(type)}: use "SecureString" so it is encrypted with KMS.`,
      );
    }
    if (at(p, "insecureValue") !== undefined) {
      report(
        `SSM parameter "${name}" holds a secret in insecureValue, which is stored in clear in the stack's state: use value with type "SecureString".`,
      );
    }
  }),
};

// ----------------------------------------------------------------------------------------------
// The function's role

/** The role's permissions are no broader than reading parameters and writing logs. */
export const lambdaRoleLeastPrivilege: ResourceValidationPolicy = {
  name: "lambda-role-least-privilege",
  description:
    "The Lambda function's role allows only reading SSM parameters and writing CloudWatch logs, on named resources, and attaches no AWS managed policy.",
  enforcementLevel: "mandatory",
  validateResource: [
    // Every IAM inline policy of this stack belongs to the function's role.
    validateResourceOfType(aws.iam.RolePolicy, (props, args, report) => {
      checkRoleDocument(`Role policy "${args.name}"`, at(known(props), "policy"), report);
    }),
    validateResourceOfType(aws.iam.Role, (props, args, report) => {
      const p = known(props);
      if (!trustsLambda(at(p, "assumeRolePolicy"))) return;
      const inline = list(at(p, "inlinePolicies"));
      if (inline !== undefined && !isUnknown(inline)) {
        inline.forEach((ip, i) => {
          const what = `Role "${args.name}" inline policy ${show(at(ip, "name") ?? i + 1)}`;
          checkRoleDocument(what, at(ip, "policy"), report);
        });
      }
      for (const arn of strings(at(p, "managedPolicyArns"))) {
        if (AWS_MANAGED_POLICY.test(arn)) {
          report(
            `Role "${args.name}" attaches the AWS managed policy ${arn}, which grants more than reading the function's own parameters and writing its own logs.`,
          );
        }
      }
    }),
    validateResourceOfType(aws.iam.RolePolicyAttachment, (props, args, report) => {
      const arn = at(known(props), "policyArn");
      if (typeof arn === "string" && AWS_MANAGED_POLICY.test(arn)) {
        report(
          `Role policy attachment "${args.name}" attaches the AWS managed policy ${arn}, which grants more than reading the function's own parameters and writing its own logs.`,
        );
      }
    }),
  ],
};

function rolePolicyDocuments(
  resources: readonly PolicyResource[],
  role: PolicyResource,
): { what: string; urn: string; doc: Known | undefined }[] {
  const docs: { what: string; urn: string; doc: Known | undefined }[] = [];
  for (const r of resources) {
    if (r.type === TYPES.rolePolicy && linked(r, "role", TYPES.role)?.urn === role.urn) {
      docs.push({ what: `role policy "${r.name}"`, urn: r.urn, doc: at(known(r.props), "policy") });
    }
  }
  const inline = list(at(known(role.props), "inlinePolicies"));
  if (inline !== undefined && !isUnknown(inline)) {
    inline.forEach((ip, i) =>
      docs.push({
        what: `role "${role.name}" inline policy ${show(at(ip, "name") ?? i + 1)}`,
        urn: role.urn,
        doc: at(ip, "policy"),
      }),
    );
  }
  return docs;
}

/**
 * "Its own": the parameters the role may read sit below the function's SETTINGS_PATH, and the log
 * group it may write is the function's. This needs the function and its role policies together,
 * hence a stack policy. Values still unknown (a new stack's ARNs and log group name during a
 * preview) are skipped: nothing can be compared yet, and the resource policy above already
 * checked the shape of what is known.
 */
export const lambdaRoleOwnResources: StackValidationPolicy = {
  name: "lambda-role-own-resources",
  description:
    "The Lambda function's role reads only the parameters below the function's SETTINGS_PATH and writes only the function's own log group.",
  enforcementLevel: "mandatory",
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    for (const fn of args.resources.filter((r) => r.type === TYPES.function)) {
      const p = known(fn.props);
      const role = linked(fn, "role", TYPES.role);
      if (!role) continue; // A role from outside the stack: its policies are not visible here.
      const fnName = `Lambda function "${label(p, fn.name)}"`;
      const settingsPath = at(p, "environment", "variables", LAMBDA_ENV.settingsPath);
      const fnNameValue = at(p, "name");
      const ownGroup =
        at(p, "loggingConfig", "logGroup") ??
        (typeof fnNameValue === "string" ? `/aws/lambda/${fnNameValue}` : UNKNOWN);

      for (const { what, urn, doc } of rolePolicyDocuments(args.resources, role)) {
        const statements = policyStatements(doc);
        if (statements === undefined || typeof statements === "string") continue;
        for (const s of statements.filter((x) => x.allow)) {
          for (const r of s.resources) {
            const ssm = SSM_PARAMETER_ARN.exec(r);
            if (ssm) {
              const path = ssm[1];
              if (settingsPath === undefined) {
                report(
                  `${fnName} can read SSM parameters (${what} names "${r}") but has no ${LAMBDA_ENV.settingsPath} environment variable naming its own settings.`,
                  urn,
                );
              } else if (typeof settingsPath === "string") {
                if (path !== settingsPath && !path.startsWith(`${settingsPath}/`)) {
                  report(
                    `${fnName} can read SSM parameters outside its settings path "${settingsPath}": ${what} names "${r}".`,
                    urn,
                  );
                }
              }
            }
            const logs = LOG_GROUP_ARN.exec(r);
            if (logs && typeof ownGroup === "string" && logs[1] !== ownGroup) {
              report(
                `${fnName} can write to log group "${logs[1]}", not its own log group "${ownGroup}": ${what} names "${r}".`,
                urn,
              );
            }
          }
        }
      }
    }
  },
};

// ----------------------------------------------------------------------------------------------
// Logs

/** The HTTP API stage writes access logs. */
export const apiStageAccessLogging: ResourceValidationPolicy = {
  name: "api-stage-access-logging",
  description: "The API's stage writes access logs (a destination and a format).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.apigatewayv2.Stage, (props, args, report) => {
    const settings = at(known(props), "accessLogSettings");
    if (isUnknown(settings)) return;
    // An unknown destination is a log group being created: that is logging.
    const destination = at(settings, "destinationArn");
    const format = at(settings, "format");
    if (destination === undefined || destination === "" || format === undefined || format === "") {
      report(
        `API stage "${args.name}" has no access logging: set accessLogSettings.destinationArn and accessLogSettings.format.`,
      );
    }
  }),
};

/** Log groups do not keep logs forever. */
export const logGroupRetention: ResourceValidationPolicy = {
  name: "log-group-retention",
  description: "Every CloudWatch log group has a retention period.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (props, args, report) => {
    const p = known(props);
    const days = at(p, "retentionInDays");
    if (isUnknown(days)) return;
    if (typeof days !== "number" || days <= 0) {
      report(
        `Log group "${label(p, args.name)}" keeps its logs forever: set retentionInDays to a CloudWatch retention period.`,
      );
    }
  }),
};

// ----------------------------------------------------------------------------------------------

/** Every policy of the pack, in the order they are reported. */
export const policies: Policies = [
  nativeClientSessionTransfer,
  sessionTransferDeviceBinding,
  webClientSessionTransfer,
  webClientRedirectUrls,
  auth0ClientsProtected,
  lambdaEnvironmentNoSecrets,
  lambdaEnvironmentNoSecretValues,
  ssmSecretsSecureString,
  lambdaRoleLeastPrivilege,
  lambdaRoleOwnResources,
  apiStageAccessLogging,
  logGroupRetention,
];

/**
 * The policy configuration (`policy/config/<stack>.json`) a stack must use: empty (all strict) in
 * production; in a non-production stack, wildcard redirect URLs and unprotected clients are
 * allowed and device binding "none" is only advisory.
 */
export function policyConfigFor(production: boolean): PolicyPackConfig {
  if (production) return {};
  return {
    [sessionTransferDeviceBinding.name]: { enforcementLevel: "advisory" },
    [webClientRedirectUrls.name]: { production: false },
    [auth0ClientsProtected.name]: { production: false },
  };
}
