import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { endpointBoundaryPolicy } from "./policies";
import { endpointBoundaryName, type PrivilegeScope } from "./privileges";

/** Arguments of {@link EndpointBoundary}. */
export interface EndpointBoundaryArgs {
  /** Where the main stack's resources live; the policy is named after its project and stack. */
  readonly scope: PrivilegeScope;
}

/**
 * The managed policy that bounds the main stack's function role (set there as
 * `endpointPermissionsBoundary`). The deploy role may write that role's policy only while this is
 * its boundary, and may not change this policy: a deploy cannot give the function more than the
 * web app needs.
 */
export class EndpointBoundary extends pulumi.ComponentResource {
  /** The policy's ARN, for the main stack's `endpointPermissionsBoundary`. */
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: EndpointBoundaryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso-identities:aws:EndpointBoundary", name, {}, opts);
    const policy = new aws.iam.Policy(
      `${name}-policy`,
      {
        name: endpointBoundaryName(args.scope),
        description: `Permissions boundary of the ${args.scope.stack} web function's role: its logs and settings only`,
        policy: JSON.stringify(endpointBoundaryPolicy(args.scope)),
      },
      { parent: this },
    );
    this.arn = policy.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
