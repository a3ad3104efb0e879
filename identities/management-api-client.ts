import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link ManagementApiClient}. */
export interface ManagementApiClientArgs {
  /** Display name in the Auth0 dashboard. */
  readonly clientName: string;
  /** The tenant domain; the Management API's audience is `https://<domain>/api/v2/`. */
  readonly tenantDomain: string;
  /** The Management API scopes granted, and no others. */
  readonly scopes: readonly string[];
}

/**
 * An Auth0 machine-to-machine application that Pulumi's Auth0 provider signs in with from CI: the
 * client credentials grant only, authorized for the Management API with exactly the given scopes.
 */
export class ManagementApiClient extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;
  /** Secret: paste it into the GitHub environments as AUTH0_CLIENT_SECRET. */
  readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: ManagementApiClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso-identities:auth0:ManagementApiClient", name, {}, opts);
    const client = new auth0.Client(
      `${name}-client`,
      {
        name: args.clientName,
        description:
          "Used by GitHub Actions to run pulumi against this tenant; managed by the identities program",
        appType: "non_interactive",
        grantTypes: ["client_credentials"],
        isFirstParty: true,
        oidcConformant: true,
        callbacks: [],
        allowedOrigins: [],
        webOrigins: [],
        jwtConfiguration: { alg: "RS256" },
      },
      { parent: this },
    );
    const credentials = new auth0.ClientCredentials(
      `${name}-credentials`,
      { clientId: client.clientId, authenticationMethod: "client_secret_post" },
      { parent: this, additionalSecretOutputs: ["clientSecret"] },
    );
    new auth0.ClientGrant(
      `${name}-grant`,
      {
        clientId: client.clientId,
        audience: `https://${args.tenantDomain}/api/v2/`,
        scopes: [...args.scopes],
        subjectType: "client",
      },
      { parent: this },
    );
    this.clientId = client.clientId;
    this.clientSecret = pulumi.secret(credentials.clientSecret.apply((s) => s ?? ""));
    this.registerOutputs({ clientId: this.clientId });
  }
}
