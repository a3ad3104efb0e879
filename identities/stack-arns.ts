/**
 * The ARNs and conditions the CI roles and the function's boundary are scoped with, built from the
 * main stack's physical names (`model/aws-names.ts`).
 */

import { STACK_TAG_KEY, stackAwsNames } from "../model/aws-names";

/** Where one stack's resources live: every ARN pattern is built from these. */
export interface PrivilegeScope {
  readonly account: string;
  readonly region: string;
  /** The main program's stack name (its SSM settings live under `/<project>/<stack>/`). */
  readonly stack: string;
  /** The main program's project name. */
  readonly project: string;
  /** The Route 53 zone of the custom domain; without one no record may be changed. */
  readonly hostedZoneId?: string;
}

/** An IAM condition block: operator → condition key → value(s). */
export type IamCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One group of actions on one set of ARNs. */
export interface AwsGrant {
  /** What `pulumi preview --refresh` calls to read the live resource. Get/List/Describe only. */
  readonly read: readonly string[];
  /** What `pulumi up` calls on top of `read` to create, update, tag and delete it. */
  readonly deploy: readonly string[];
  /** ARN patterns; `["*"]` only for actions AWS scopes to no resource (`WILDCARD_ONLY`, wildcard-only.ts). */
  readonly resources: (scope: PrivilegeScope) => readonly string[];
  /** IAM condition block, when AWS offers one that narrows the grant further. */
  readonly condition?: IamCondition | ((scope: PrivilegeScope) => IamCondition);
}

/** An ARN of `service` in the stack's region and account. */
export const arn = (service: string, s: PrivilegeScope, resource: string) =>
  `arn:aws:${service}:${s.region}:${s.account}:${resource}`;

/** The main stack's physical AWS names (`model/aws-names.ts`), which every ARN below is built from. */
export const namesOf = (s: PrivilegeScope) => stackAwsNames(s.project, s.stack);

// Every name is exact where AWS puts it in the ARN; where a pattern is left, it ends in the
// stack's own separator (`native-web-sso-dev_*`), which no other stack's names can continue.
/** The endpoint's function, unqualified or by version or alias (the warm instances run an alias). */
export const functionArns = (s: PrivilegeScope) => [
  arn("lambda", s, `function:${namesOf(s).functionName}`),
  // Function names hold no ":", so this is this function's versions and aliases only.
  arn("lambda", s, `function:${namesOf(s).functionName}:*`),
];
// The endpoint's log groups, and the archive of Auth0's SSO events; log group names hold no ":".
export const logGroupArns = (s: PrivilegeScope) =>
  [namesOf(s).functionLogGroup, namesOf(s).accessLogGroup, namesOf(s).archiveLogGroup].flatMap((group) => [
    arn("logs", s, `log-group:${group}`),
    arn("logs", s, `log-group:${group}:*`),
  ]);
/** The function's role (exact: the deploy role may pass and shape this role and no other). */
export const functionRoleArns = (s: PrivilegeScope) => [
  `arn:aws:iam::${s.account}:role/${namesOf(s).functionRoleName}`,
];
/** The alarm topic and its subscriptions (`<topic ARN>:<id>`; topic names hold no ":"). */
export const topicArns = (s: PrivilegeScope) => [
  arn("sns", s, namesOf(s).alarmTopicName),
  arn("sns", s, `${namesOf(s).alarmTopicName}:*`),
];
/**
 * Resources AWS names by a random ID carry the stack's tag; a deploy may create one only with the
 * tag, and touch one only while it has it (IAM User Guide, "Controlling access to AWS resources
 * using tags": `aws:RequestTag`, `aws:ResourceTag`).
 */
export const taggedForStack = (s: PrivilegeScope): IamCondition => ({
  StringEquals: { [`aws:ResourceTag/${STACK_TAG_KEY}`]: s.stack },
});
export const createdForStack = (s: PrivilegeScope): IamCondition => ({
  StringEquals: { [`aws:RequestTag/${STACK_TAG_KEY}`]: s.stack },
});

/** The name of the managed policy that bounds the function's role (declared by this program). */
export const endpointBoundaryName = (s: PrivilegeScope) => `${s.project}-${s.stack}-endpoint-boundary`;
/** Its ARN: the name is fixed, so the deploy role's conditions can name it before it exists. */
export const endpointBoundaryArn = (s: PrivilegeScope) =>
  `arn:aws:iam::${s.account}:policy/${endpointBoundaryName(s)}`;
/**
 * Giving the function's role a policy or a boundary only while its boundary is that policy (AWS
 * evaluates `iam:PermissionsBoundary` for CreateRole, Put/DeleteRolePolicy, PutRolePermissionsBoundary):
 * a policy of `"Action": "*"` still gets no more than the boundary, which no grant here removes or edits.
 */
export const boundedByEndpointBoundary = (s: PrivilegeScope): IamCondition => ({
  StringEquals: { "iam:PermissionsBoundary": endpointBoundaryArn(s) },
});
/** An HTTP API and everything below it (routes, integrations, stages inherit the API's tags). */
export const apiArns = (s: PrivilegeScope) => [`arn:aws:apigateway:${s.region}::/apis/*`];
/** The stack's SSM settings (a path segment of their own: a stack name holds no "/"). */
export const settingsArns = (s: PrivilegeScope) => [arn("ssm", s, `parameter${namesOf(s).settingsRoot}/*`)];
export const anyResource = () => ["*"];
/** The partner event bus of Auth0's log stream (any tenant's: the stack's tag decides). */
export const partnerBusArns = (s: PrivilegeScope) => [arn("events", s, "event-bus/aws.partner/auth0.com/*")];
/** The stack's rules on that bus, named `<project>-<stack>_<outcome>` (rule names hold no "/"). */
export const ruleArns = (s: PrivilegeScope) => [
  arn("events", s, `rule/aws.partner/auth0.com/*/${namesOf(s).flatPrefix}*`),
];
/**
 * SSM encrypts and decrypts the stack's SecureString values with the caller's own `kms:` rights
 * (Parameter Store: "any principal that retrieves the decrypted value must have kms:Decrypt
 * permission on that key"): only through SSM, only with the encryption context of one of the
 * stack's parameters (`PARAMETER_ARN`, the parameter's ARN).
 */
export const settingsKeyGrant: AwsGrant = {
  read: ["kms:Decrypt"],
  deploy: ["kms:Encrypt"],
  resources: (s) => [arn("kms", s, "key/*")],
  condition: (s) => settingsKeyCondition(s),
};
/** `kms:` only when SSM asks, and only for one of the stack's parameters. */
export const settingsKeyCondition = (s: PrivilegeScope): IamCondition => ({
  StringEquals: { "kms:ViaService": `ssm.${s.region}.amazonaws.com` },
  StringLike: { "kms:EncryptionContext:PARAMETER_ARN": settingsArns(s) },
});
