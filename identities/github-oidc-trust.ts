import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, githubOidcProviderArn } from "./policies";

/** Arguments of {@link GithubOidcTrust}. */
export interface GithubOidcTrustArgs {
  /** The AWS account the provider lives in. */
  readonly account: string;
  /** Declare the provider (false when another stack already declared it in this account). */
  readonly createProvider: boolean;
}

/**
 * GitHub Actions' OpenID Connect provider in an AWS account: it lets a workflow exchange its OIDC
 * token for a role's short-lived credentials, so no AWS key is stored in GitHub. IAM holds one
 * provider per issuer and account, under a fixed ARN.
 */
export class GithubOidcTrust extends pulumi.ComponentResource {
  /** The provider's ARN, the `Federated` principal of the roles' trust policies. */
  readonly providerArn: pulumi.Output<string>;

  constructor(name: string, args: GithubOidcTrustArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso-identities:github:OidcTrust", name, {}, opts);
    const arn = githubOidcProviderArn(args.account);
    if (args.createProvider) {
      const provider = new aws.iam.OpenIdConnectProvider(
        `${name}-oidc-provider`,
        {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIdLists: [GITHUB_OIDC_AUDIENCE],
          // No thumbprint: IAM verifies GitHub's certificate against its own trusted CAs.
        },
        { parent: this },
      );
      // The fixed ARN, known in previews too, once the provider exists.
      this.providerArn = provider.url.apply(() => arn);
    } else {
      this.providerArn = pulumi.output(arn);
    }
    this.registerOutputs({ providerArn: this.providerArn });
  }
}
