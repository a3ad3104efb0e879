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

import {
  anyResource,
  apiArns,
  arn,
  boundedByEndpointBoundary,
  createdForStack,
  functionArns,
  functionRoleArns,
  logGroupArns,
  settingsArns,
  settingsKeyGrant,
  taggedForStack,
  type AwsGrant,
} from "./stack-arns";
import { MONITORING_PRIVILEGES } from "./monitoring-privileges";

export * from "./stack-arns";
export { WILDCARD_ONLY } from "./wildcard-only";

const LAMBDA_READ = [
  "lambda:GetFunction",
  "lambda:GetFunctionConfiguration",
  "lambda:GetFunctionCodeSigningConfig",
  "lambda:ListVersionsByFunction",
  "lambda:ListTags",
];
const APIGATEWAY_READ = ["apigateway:GET"];
const APIGATEWAY_DEPLOY = ["apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"];
const LOG_GROUP_READ = ["logs:ListTagsForResource", "logs:ListTagsLogGroup"];

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
    { read: ["lambda:ListProvisionedConcurrencyConfigs"], deploy: [], resources: functionArns },
    {
      // Authorized on a qualified ARN (a version or an alias) only.
      read: ["lambda:GetProvisionedConcurrencyConfig"],
      deploy: ["lambda:PutProvisionedConcurrencyConfig", "lambda:DeleteProvisionedConcurrencyConfig"],
      resources: (s) => functionArns(s).filter((a) => a.endsWith(":*")),
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
    // Wildcard-only in AWS's reference: a grant on a log-group ARN would allow nothing.
    { read: ["logs:DescribeLogGroups"], deploy: [], resources: anyResource },
  ],
  "aws:apigatewayv2/api:Api": [
    // Creating one: only with the stack's tag.
    {
      read: [],
      deploy: ["apigateway:POST"],
      resources: (s) => [`arn:aws:apigateway:${s.region}::/apis`],
      condition: createdForStack,
    },
    { read: APIGATEWAY_READ, deploy: APIGATEWAY_DEPLOY, resources: apiArns, condition: taggedForStack },
  ],
  "aws:apigatewayv2/integration:Integration": [
    { read: APIGATEWAY_READ, deploy: APIGATEWAY_DEPLOY, resources: apiArns, condition: taggedForStack },
  ],
  "aws:apigatewayv2/route:Route": [
    { read: APIGATEWAY_READ, deploy: APIGATEWAY_DEPLOY, resources: apiArns, condition: taggedForStack },
  ],
  "aws:apigatewayv2/stage:Stage": [
    { read: APIGATEWAY_READ, deploy: APIGATEWAY_DEPLOY, resources: apiArns, condition: taggedForStack },
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
      read: [],
      deploy: ["apigateway:POST"],
      resources: (s) => [`arn:aws:apigateway:${s.region}::/domainnames`],
      condition: createdForStack,
    },
    {
      read: APIGATEWAY_READ,
      deploy: APIGATEWAY_DEPLOY,
      resources: (s) => [`arn:aws:apigateway:${s.region}::/domainnames/*`],
      condition: taggedForStack,
    },
  ],
  // Mappings live below their domain name and are scoped by its tag.
  "aws:apigatewayv2/apiMapping:ApiMapping": [
    {
      read: APIGATEWAY_READ,
      deploy: APIGATEWAY_DEPLOY,
      resources: (s) => [`arn:aws:apigateway:${s.region}::/domainnames/*`],
      condition: taggedForStack,
    },
  ],
  // SecureString values: the deploy writes them (kms:Encrypt) and a refresh reads them
  // (kms:Decrypt) through SSM, for the stack's parameters only (see settingsKeyGrant).
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
    settingsKeyGrant,
  ],
  // Certificates are named by a random ID: the stack's tag scopes them.
  "aws:acm/certificate:Certificate": [
    {
      read: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"],
      deploy: ["acm:DeleteCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
      resources: (s) => [arn("acm", s, "certificate/*")],
      condition: taggedForStack,
    },
    { read: [], deploy: ["acm:RequestCertificate"], resources: anyResource, condition: createdForStack },
    { read: ["acm:ListCertificates"], deploy: [], resources: anyResource },
  ],
  "aws:acm/certificateValidation:CertificateValidation": [
    {
      read: ["acm:DescribeCertificate"],
      deploy: [],
      resources: (s) => [arn("acm", s, "certificate/*")],
      condition: taggedForStack,
    },
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
  ...MONITORING_PRIVILEGES,
};

/** Resource types that are no AWS or Auth0 API call: they need no privileges. */
export const LOCAL_TYPES: readonly string[] = ["random:index/randomPassword:RandomPassword"];
