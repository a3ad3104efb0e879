import type { Access } from "./environments";
import {
  arn,
  AWS_PRIVILEGES,
  functionArns,
  namesOf,
  settingsArns,
  settingsKeyCondition,
  type IamCondition,
  type PrivilegeScope,
} from "./privileges";

/** GitHub's OIDC issuer, as AWS names the provider. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: IamCondition;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

/** The ARN IAM gives GitHub's OIDC provider in an account (one per account and issuer). */
export function githubOidcProviderArn(account: string): string {
  return `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/**
 * The `sub` claim of a job that runs in a GitHub environment: `repo:<owner>/<name>:environment:<env>`.
 * A job with an environment gets this form and no other (GitHub docs, "OpenID Connect reference",
 * filtering for a specific environment). The same docs note that AWS supports no custom claims, and
 * the environment form carries no branch: "only from main" is the deploy environments'
 * deployment-branch rule, set in GitHub.
 */
export function environmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/** The statement of a trust policy: who may assume the role, on which claims. */
export interface TrustStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: { readonly Federated: string };
  readonly Action: "sts:AssumeRoleWithWebIdentity";
  readonly Condition: { readonly StringEquals: Readonly<Record<string, string | readonly string[]>> };
}

/** A role's trust policy document. */
export interface TrustPolicy {
  readonly Version: "2012-10-17";
  readonly Statement: TrustStatement[];
}

/** The trust policy of a role that the given GitHub environments' jobs may assume, and nothing else. */
export function githubTrustPolicy(
  account: string,
  repository: string,
  environments: readonly string[],
): TrustPolicy {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitHubEnvironments",
        Effect: "Allow",
        Principal: { Federated: githubOidcProviderArn(account) },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: environments.map((e) => environmentSubject(repository, e)).sort(),
          },
        },
      },
    ],
  };
}

/** The Pulumi backend objects of one stack in a self-managed S3 backend (pulumi/pulumi pkg/backend/diy). */
function stateStatements(access: Access, bucket: string, s: PrivilegeScope): PolicyStatement[] {
  const base = `arn:aws:s3:::${bucket}/.pulumi`;
  const checkpoint = `${base}/stacks/${s.project}/${s.stack}.json*`;
  const statements: PolicyStatement[] = [
    {
      Sid: "StateBucketList",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [`arn:aws:s3:::${bucket}`],
    },
    {
      Sid: "StateRead",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [`${base}/meta.yaml`, checkpoint],
    },
  ];
  if (access === "deploy") {
    // An update writes the checkpoint, its backup and history, and takes the stack's lock
    // (.pulumi/locks/<org>/<project>/<stack>/); a preview does none of this.
    statements.push({
      Sid: "StateWrite",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: [
        checkpoint,
        `${base}/history/${s.project}/${s.stack}/*`,
        `${base}/backups/${s.project}/${s.stack}/*`,
        `${base}/locks/organization/${s.project}/${s.stack}/*`,
      ],
    });
  }
  return statements;
}

function sid(actions: readonly string[], n: number): string {
  const services = [...new Set(actions.map((a) => a.split(":")[0]))].map(
    (x) => x[0].toUpperCase() + x.slice(1),
  );
  return `${services.join("")}${n}`;
}

/**
 * The permission policy of a CI role: for every resource type of the main stack, the read actions
 * (read-only) or the read and deploy actions (deploy), on that type's ARNs; grants on the same ARNs
 * and condition are merged. Plus the stack's state in the backend bucket.
 */
export function rolePolicy(access: Access, scope: PrivilegeScope, stateBucket: string): PolicyDocument {
  const merged = new Map<string, { actions: Set<string>; resources: string[]; condition?: IamCondition }>();
  for (const grants of Object.values(AWS_PRIVILEGES)) {
    for (const grant of grants) {
      const actions = access === "deploy" ? [...grant.read, ...grant.deploy] : [...grant.read];
      const resources = [...grant.resources(scope)].sort();
      if (actions.length === 0 || resources.length === 0) continue;
      const condition = typeof grant.condition === "function" ? grant.condition(scope) : grant.condition;
      const key = JSON.stringify([resources, condition ?? null]);
      const entry = merged.get(key) ?? { actions: new Set<string>(), resources, condition };
      actions.forEach((a) => entry.actions.add(a));
      merged.set(key, entry);
    }
  }
  const statements = [...merged.values()].map((e, i) => {
    const actions = [...e.actions].sort();
    return {
      Sid: sid(actions, i + 1),
      Effect: "Allow" as const,
      Action: actions,
      Resource: e.resources,
      ...(e.condition ? { Condition: e.condition } : {}),
    };
  });
  return {
    Version: "2012-10-17",
    Statement: [...statements, ...stateStatements(access, stateBucket, scope)],
  };
}

/**
 * The permissions boundary of the main stack's function role: exactly what the web app does, on
 * that stack's own resources (its log groups, its SSM settings). The role's own policy grants the
 * same on narrower ARNs; the boundary is what no deploy can widen, because only this program, run
 * by an administrator, writes it.
 *
 * The settings (the client and cookie secrets) are readable only with credentials Lambda made for
 * one of the stack's functions: Lambda puts `lambda:SourceFunctionArn` in the credentials context
 * of every call from the execution environment (AWS Lambda Developer Guide, "Using source function
 * ARN to control function access behavior"), so a role whose trust policy a deploy pointed at
 * another account still cannot read them.
 */
export function endpointBoundaryPolicy(scope: PrivilegeScope): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [arn("logs", scope, `log-group:${namesOf(scope).functionLogGroup}:*`)],
      },
      {
        Sid: "ReadOwnSettings",
        Effect: "Allow",
        Action: ["ssm:GetParametersByPath"],
        Resource: settingsArns(scope),
        Condition: { ArnLike: { "lambda:SourceFunctionArn": functionArns(scope) } },
      },
      {
        // Decryption granted, not assumed: Parameter Store needs kms:Decrypt of whoever reads a
        // SecureString value ("Restricting decryption of SecureString parameter values"), and a
        // boundary caps what the role may do whatever a key policy says. Only through SSM, only
        // for the stack's own parameters (their ARN is the encryption context, PARAMETER_ARN).
        Sid: "DecryptOwnSettings",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [arn("kms", scope, "key/*")],
        Condition: settingsKeyCondition(scope),
      },
    ],
  };
}
