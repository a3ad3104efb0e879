/** Policies on the function's role: only its own parameters and its own logs, under a boundary. */
import * as aws from "@pulumi/aws";
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { LAMBDA_ENV } from "../../app/contract";
import { at, isUnknown, known, list, object, show, UNKNOWN, type Known } from "../known";
import { isProduction, label, linked, strings, TYPES } from "./common";
import { policyStatements, trustsLambda, type PolicyStatement } from "./iam";

/** What the function's role may do, by service: read its own parameters, write its own logs. */
export const ALLOWED_ACTIONS = {
  ssm: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
  logs: ["logs:CreateLogStream", "logs:PutLogEvents"],
  kms: ["kms:Decrypt"],
} as const;
const ALLOWED_ACTIONS_TEXT =
  "the function may only read its own parameters (ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath), decrypt them through SSM (kms:Decrypt) and write its own logs (logs:CreateLogStream, logs:PutLogEvents)";
/** A KMS key ARN (the key's ID may be a wildcard: the conditions name the parameters). */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[^:]+$/;
/**
 * The encryption context key Parameter Store decrypts a SecureString with: the parameter's ARN
 * (AWS Systems Manager User Guide, "AWS KMS encryption for Parameter Store SecureString parameters").
 */
export const PARAMETER_ARN_CONTEXT = "kms:EncryptionContext:PARAMETER_ARN";
/** An SSM parameter path ARN, optionally ending in `/*`; no other wildcard. */
const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter(\/[^*]+)(\/\*)?$/;
/** A log group ARN, optionally followed by `:*` or one of its log streams; no wildcard in the name. */
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:([^:*]+)(:\*|:log-stream:[^:]+)?$/;
const AWS_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\//;
/** The stack's config key that sets the boundary (components/config/endpoint.ts). */
const BOUNDARY_KEY = "native-web-sso:endpointPermissionsBoundary";

function service(action: string): string {
  return action.split(":")[0].toLowerCase();
}

function isAllowedAction(action: string): boolean {
  const all: readonly string[] = [...ALLOWED_ACTIONS.ssm, ...ALLOWED_ACTIONS.logs, ...ALLOWED_ACTIONS.kms];
  return all.some((a) => a.toLowerCase() === action.toLowerCase());
}

/** The values a statement's condition gives `key`, under any operator (e.g. StringLike). */
export function conditionValues(condition: Known | undefined, key: string): string[] | undefined {
  const operators = object(condition);
  if (operators === undefined || isUnknown(operators)) return undefined;
  let found: string[] | undefined;
  for (const operator of Object.keys(operators)) {
    const block = object(at(operators, operator));
    if (block === undefined || isUnknown(block)) continue;
    for (const k of Object.keys(block)) {
      if (k.toLowerCase() === key.toLowerCase()) found = [...(found ?? []), ...strings(at(block, k))];
    }
  }
  return found;
}

const SERVICE_NAMES = [
  ["ssm", "SSM"],
  ["logs", "CloudWatch Logs"],
  ["kms", "KMS"],
] as const;

/** kms:Decrypt only through SSM and only for named parameters; otherwise it decrypts anything. */
function checkDecrypt(where: string, s: PolicyStatement, report: (message: string) => void): void {
  const via = conditionValues(s.condition, "kms:ViaService") ?? [];
  if (via.length === 0 || !via.every((v) => /^ssm\.[a-z0-9-]+\.amazonaws\.com$/.test(v))) {
    report(
      `${where} allows kms:Decrypt without the condition kms:ViaService = ssm.<region>.amazonaws.com: the function would decrypt whatever the key encrypts, not only its parameters.`,
    );
  }
  const arns = conditionValues(s.condition, PARAMETER_ARN_CONTEXT) ?? [];
  if (arns.length === 0 || !arns.every((a) => SSM_PARAMETER_ARN.test(a))) {
    report(
      `${where} allows kms:Decrypt without the condition ${PARAMETER_ARN_CONTEXT} naming its own parameters (arn:aws:ssm:<region>:<account>:parameter/<path>/*).`,
    );
  }
  for (const r of s.resources.filter((x) => x !== "*" && !KMS_KEY_ARN.test(x))) {
    report(`${where} names "${r}", which is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).`);
  }
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
        `${where} mixes ${SERVICE_NAMES.filter(([k]) => services.has(k))
          .map(([, n]) => n)
          .join(" and ")} actions: keep one statement per service, each naming only its own resources.`,
      );
    }
    if (services.has("kms")) checkDecrypt(where, s, report);
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
          // The parameters a kms:Decrypt statement names in its encryption context count as read too.
          const decrypted = conditionValues(s.condition, PARAMETER_ARN_CONTEXT) ?? [];
          for (const r of [...s.resources, ...decrypted]) {
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

/**
 * A permissions boundary on the function's role in production: the deploy identity may write the
 * role's policy (it deploys it), so without a boundary that identity could give the function, and
 * through the function's code itself, any permission in the account. The boundary is a policy the
 * deploy identity cannot change (the identities program declares it); an AWS managed policy as
 * boundary would allow far more than the function needs.
 */
export const lambdaRolePermissionsBoundary: ResourceValidationPolicy = {
  name: "lambda-role-permissions-boundary",
  description:
    "In production, the Lambda function's role has a permissions boundary, a customer managed policy that caps whatever its own policy grants.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.iam.Role, (props, args, report) => {
    if (!isProduction(args)) return;
    const p = known(props);
    if (!trustsLambda(at(p, "assumeRolePolicy"))) return;
    const boundary = at(p, "permissionsBoundary");
    if (isUnknown(boundary)) return;
    const fix = `pulumi config set ${BOUNDARY_KEY} "$(pulumi -C identities stack output endpointPermissionsBoundaryArn)"`;
    if (typeof boundary !== "string" || boundary === "") {
      report(
        `Role "${args.name}" of the Lambda function has no permissions boundary: whoever may write its policy could give the function any permission. Set ${BOUNDARY_KEY} (${fix}).`,
      );
    } else if (AWS_MANAGED_POLICY.test(boundary)) {
      report(
        `Role "${args.name}" of the Lambda function has the AWS managed policy "${boundary}" as its permissions boundary, which allows far more than reading its settings and writing its logs. Set ${BOUNDARY_KEY} (${fix}).`,
      );
    }
  }),
};
