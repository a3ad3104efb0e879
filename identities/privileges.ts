/**
 * What each AWS resource type of the main stack needs, as data: the actions a refreshed
 * `pulumi preview` reads with, the further actions a `pulumi up` changes with, and the ARNs they
 * apply to. The read-only and the deploy roles are built from this table, and a test fails when
 * the main program declares a type that is not listed here (Auth0 types: management-api-scopes.ts).
 *
 * Sources: AWS Service Authorization Reference (actions, resource types and condition keys per
 * service); the read and write calls of the Terraform AWS and Auth0 providers that the Pulumi
 * provider wraps (terraform-provider-aws internal/service/<service>).
 */

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

export { WILDCARD_ONLY } from "./wildcard-only";

/** An ARN of `service` in the stack's region and account. */
export const arn = (service: string, s: PrivilegeScope, resource: string) =>
  `arn:aws:${service}:${s.region}:${s.account}:${resource}`;

// The main stack's AWS resources are auto-named from logical names that a test pins ("endpoint-…"),
// so the ARNs can be narrowed to those names wherever a name appears in the ARN.
/** The endpoint's functions, unqualified or by version or alias (the warm instances run an alias). */
export const functionArns = (s: PrivilegeScope) => [
  arn("lambda", s, "function:endpoint-*"),
  arn("lambda", s, "function:endpoint-*:*"),
];
// The endpoint's log groups, and the archive of Auth0's SSO events (/aws/events/<project>/<stack>).
const logGroupArns = (s: PrivilegeScope) =>
  ["endpoint-*", `/aws/events/${s.project}/${s.stack}`].flatMap((group) => [
    arn("logs", s, `log-group:${group}`),
    arn("logs", s, `log-group:${group}:*`),
  ]);
// Alarms, their topic and the dashboard are named <project>-<stack>-...
const monitoringName = (s: PrivilegeScope) => `${s.project}-${s.stack}`;
const functionRoleArns = (s: PrivilegeScope) => [`arn:aws:iam::${s.account}:role/endpoint-role-*`];

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
const boundedByEndpointBoundary = (s: PrivilegeScope): IamCondition => ({
  StringEquals: { "iam:PermissionsBoundary": endpointBoundaryArn(s) },
});
const apiArns = (s: PrivilegeScope) => [
  `arn:aws:apigateway:${s.region}::/apis`,
  `arn:aws:apigateway:${s.region}::/apis/*`,
  `arn:aws:apigateway:${s.region}::/tags/*`,
];
/** The stack's SSM settings. */
export const settingsArns = (s: PrivilegeScope) => [arn("ssm", s, `parameter/${s.project}/${s.stack}/*`)];
const anyResource = () => ["*"];

const LAMBDA_READ = [
  "lambda:GetFunction",
  "lambda:GetFunctionConfiguration",
  "lambda:GetFunctionCodeSigningConfig",
  "lambda:ListVersionsByFunction",
  "lambda:ListTags",
];
const APIGATEWAY_READ = ["apigateway:GET"];
const APIGATEWAY_DEPLOY = ["apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"];
const LOG_GROUP_READ = ["logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:ListTagsLogGroup"];

/** AWS resource type token (as Pulumi registers it) → the grants it needs. */
export const AWS_PRIVILEGES: Readonly<Record<string, readonly AwsGrant[]>> = {
  "aws:lambda/function:Function": [
    {
      read: LAMBDA_READ,
      deploy: [
        "lambda:CreateFunction",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:PublishVersion",
        "lambda:DeleteFunction",
        "lambda:TagResource",
        "lambda:UntagResource",
      ],
      resources: functionArns,
    },
    {
      // Creating or updating the function hands it its role; only that role, and only to Lambda.
      read: [],
      deploy: ["iam:PassRole"],
      resources: functionRoleArns,
      condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    },
  ],
  "aws:lambda/permission:Permission": [
    {
      read: ["lambda:GetPolicy"],
      deploy: ["lambda:AddPermission", "lambda:RemovePermission"],
      resources: functionArns,
    },
  ],
  "aws:lambda/alias:Alias": [
    {
      read: ["lambda:GetAlias", "lambda:ListAliases"],
      deploy: ["lambda:CreateAlias", "lambda:UpdateAlias", "lambda:DeleteAlias"],
      resources: functionArns,
    },
  ],
  "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": [
    {
      read: ["lambda:GetProvisionedConcurrencyConfig", "lambda:ListProvisionedConcurrencyConfigs"],
      deploy: ["lambda:PutProvisionedConcurrencyConfig", "lambda:DeleteProvisionedConcurrencyConfig"],
      resources: functionArns,
    },
  ],
  "aws:iam/role:Role": [
    {
      read: [
        "iam:GetRole",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:ListRoleTags",
      ],
      // AWS offers no boundary condition on these; the boundary caps the role whatever they change.
      deploy: [
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:DeleteRole",
        "iam:TagRole",
        "iam:UntagRole",
      ],
      resources: functionRoleArns,
    },
    {
      // A new role, or an existing one getting its boundary: only with the endpoint's boundary.
      read: [],
      deploy: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      resources: functionRoleArns,
      condition: boundedByEndpointBoundary,
    },
  ],
  "aws:iam/rolePolicy:RolePolicy": [
    {
      read: ["iam:GetRolePolicy", "iam:ListRolePolicies"],
      deploy: [],
      resources: functionRoleArns,
    },
    {
      read: [],
      deploy: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"],
      resources: functionRoleArns,
      condition: boundedByEndpointBoundary,
    },
  ],
  "aws:cloudwatch/logGroup:LogGroup": [
    {
      read: LOG_GROUP_READ,
      deploy: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:TagResource",
        "logs:UntagResource",
        "logs:TagLogGroup",
        "logs:UntagLogGroup",
      ],
      resources: logGroupArns,
    },
    {
      // DescribeLogGroups is authorized on the region's log-group namespace, not on one group.
      read: ["logs:DescribeLogGroups"],
      deploy: [],
      resources: (s) => [arn("logs", s, "log-group:*")],
    },
  ],
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": [
    {
      read: ["logs:DescribeMetricFilters"],
      deploy: ["logs:PutMetricFilter", "logs:DeleteMetricFilter"],
      resources: logGroupArns,
    },
  ],
  // Lets EventBridge write the SSO event archive; resource policies have no ARN of their own.
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": [
    {
      read: ["logs:DescribeResourcePolicies"],
      deploy: ["logs:PutResourcePolicy", "logs:DeleteResourcePolicy"],
      resources: anyResource,
    },
  ],
  "aws:apigatewayv2/api:Api": [{ read: APIGATEWAY_READ, deploy: APIGATEWAY_DEPLOY, resources: apiArns }],
  "aws:apigatewayv2/integration:Integration": [
    { read: APIGATEWAY_READ, deploy: APIGATEWAY_DEPLOY, resources: apiArns },
  ],
  "aws:apigatewayv2/route:Route": [{ read: APIGATEWAY_READ, deploy: APIGATEWAY_DEPLOY, resources: apiArns }],
  "aws:apigatewayv2/stage:Stage": [
    { read: APIGATEWAY_READ, deploy: APIGATEWAY_DEPLOY, resources: apiArns },
    {
      // Access logs of an HTTP API are a vended log delivery: API Gateway's developer guide lists
      // these permissions for whoever turns them on, on Resource "*".
      read: ["logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:DescribeResourcePolicies"],
      deploy: [
        "logs:CreateLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:PutResourcePolicy",
      ],
      resources: anyResource,
    },
  ],
  "aws:apigatewayv2/domainName:DomainName": [
    {
      read: APIGATEWAY_READ,
      deploy: APIGATEWAY_DEPLOY,
      resources: (s) => [
        `arn:aws:apigateway:${s.region}::/domainnames`,
        `arn:aws:apigateway:${s.region}::/domainnames/*`,
      ],
    },
  ],
  "aws:apigatewayv2/apiMapping:ApiMapping": [
    {
      read: APIGATEWAY_READ,
      deploy: APIGATEWAY_DEPLOY,
      resources: (s) => [`arn:aws:apigateway:${s.region}::/domainnames/*`],
    },
  ],
  // SecureString values use the account's aws/ssm key, whose key policy admits any principal of
  // the account through SSM: no kms: action is needed, and so none is granted.
  "aws:ssm/parameter:Parameter": [
    {
      read: ["ssm:GetParameter", "ssm:GetParameters", "ssm:ListTagsForResource"],
      deploy: [
        "ssm:PutParameter",
        "ssm:DeleteParameter",
        "ssm:AddTagsToResource",
        "ssm:RemoveTagsFromResource",
      ],
      resources: settingsArns,
    },
    { read: ["ssm:DescribeParameters"], deploy: [], resources: anyResource },
  ],
  "aws:acm/certificate:Certificate": [
    {
      read: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"],
      deploy: ["acm:DeleteCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
      resources: (s) => [arn("acm", s, "certificate/*")],
    },
    { read: ["acm:ListCertificates"], deploy: ["acm:RequestCertificate"], resources: anyResource },
  ],
  "aws:acm/certificateValidation:CertificateValidation": [
    { read: ["acm:DescribeCertificate"], deploy: [], resources: (s) => [arn("acm", s, "certificate/*")] },
  ],
  "aws:route53/record:Record": [
    {
      read: ["route53:GetHostedZone", "route53:ListResourceRecordSets"],
      deploy: ["route53:ChangeResourceRecordSets"],
      resources: (s) => (s.hostedZoneId ? [`arn:aws:route53:::hostedzone/${s.hostedZoneId}`] : []),
    },
    {
      read: ["route53:GetChange"],
      deploy: [],
      resources: (s) => (s.hostedZoneId ? ["arn:aws:route53:::change/*"] : []),
    },
  ],
  // Auth0's log stream to EventBridge arrives on a partner event bus named aws.partner/auth0.com/...
  "aws:cloudwatch/eventBus:EventBus": [
    {
      read: ["events:DescribeEventBus", "events:ListTagsForResource"],
      deploy: [
        "events:CreateEventBus",
        "events:UpdateEventBus",
        "events:DeleteEventBus",
        "events:TagResource",
        "events:UntagResource",
      ],
      resources: (s) => [arn("events", s, "event-bus/aws.partner/auth0.com/*")],
    },
  ],
  "aws:cloudwatch/eventRule:EventRule": [
    {
      read: ["events:DescribeRule", "events:ListTagsForResource"],
      deploy: [
        "events:PutRule",
        "events:DeleteRule",
        "events:EnableRule",
        "events:DisableRule",
        "events:TagResource",
        "events:UntagResource",
      ],
      resources: (s) => [arn("events", s, "rule/aws.partner/auth0.com/*")],
    },
  ],
  "aws:cloudwatch/eventTarget:EventTarget": [
    {
      read: ["events:ListTargetsByRule"],
      deploy: ["events:PutTargets", "events:RemoveTargets"],
      resources: (s) => [arn("events", s, "rule/aws.partner/auth0.com/*")],
    },
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    {
      read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
      deploy: [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
      ],
      resources: (s) => [arn("cloudwatch", s, `alarm:${monitoringName(s)}-*`)],
    },
  ],
  "aws:cloudwatch/dashboard:Dashboard": [
    {
      read: ["cloudwatch:GetDashboard"],
      deploy: ["cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"],
      resources: (s) => [`arn:aws:cloudwatch::${s.account}:dashboard/${monitoringName(s)}`],
    },
    { read: ["cloudwatch:ListDashboards"], deploy: [], resources: anyResource },
  ],
  "aws:sns/topic:Topic": [
    {
      read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
      deploy: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:TagResource",
        "sns:UntagResource",
      ],
      resources: (s) => [arn("sns", s, `${monitoringName(s)}-*`)],
    },
  ],
  "aws:sns/topicPolicy:TopicPolicy": [
    {
      read: ["sns:GetTopicAttributes"],
      deploy: ["sns:SetTopicAttributes"],
      resources: (s) => [arn("sns", s, `${monitoringName(s)}-*`)],
    },
  ],
  "aws:sns/topicSubscription:TopicSubscription": [
    {
      read: ["sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"],
      deploy: ["sns:Subscribe"],
      resources: (s) => [arn("sns", s, `${monitoringName(s)}-*`)],
    },
    {
      read: ["sns:GetSubscriptionAttributes"],
      deploy: ["sns:SetSubscriptionAttributes", "sns:Unsubscribe"],
      resources: anyResource,
    },
  ],
};

/** Resource types that are no AWS or Auth0 API call: they need no privileges. */
export const LOCAL_TYPES: readonly string[] = ["random:index/randomPassword:RandomPassword"];
