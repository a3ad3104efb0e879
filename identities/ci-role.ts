import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Access } from "./environments";
import { githubTrustPolicy, rolePolicy } from "./policies";
import type { PrivilegeScope } from "./privileges";

/** Arguments of {@link CiRole}. */
export interface CiRoleArgs {
  /** read-only (previews, drift checks) or deploy. */
  readonly access: Access;
  /** IAM role name, e.g. `native-web-sso-prod-ci-deploy`; outside the names the deploy role may manage. */
  readonly roleName: string;
  /** `owner/name` of the GitHub repository. */
  readonly repository: string;
  /** The GitHub environments whose jobs may assume the role. */
  readonly environments: readonly string[];
  /** Where the main stack's resources live. */
  readonly scope: PrivilegeScope;
  /** The S3 bucket of the Pulumi backend. */
  readonly stateBucket: string;
  /** GitHub's OIDC provider; the role waits for it. */
  readonly providerArn: pulumi.Input<string>;
}

/**
 * An AWS role for GitHub Actions jobs of the given environments (OIDC, no stored keys), with the
 * privileges of the main stack's resource types for its access level, on those resources only.
 */
export class CiRole extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: CiRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso-identities:aws:CiRole", name, {}, opts);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: `GitHub Actions, ${args.access}: ${args.environments.join(", ")} of ${args.repository}`,
        assumeRolePolicy: pulumi
          .output(args.providerArn)
          .apply(() =>
            JSON.stringify(githubTrustPolicy(args.scope.account, args.repository, args.environments)),
          ),
        maxSessionDuration: 3600,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-role-policy`,
      { role: role.id, policy: JSON.stringify(rolePolicy(args.access, args.scope, args.stateBucket)) },
      { parent: this },
    );
    this.arn = role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
