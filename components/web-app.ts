import * as auth0 from "@pulumi/auth0";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SETTINGS_PARAMETERS, WEB_CLIENT_AUTH_METHOD } from "../app/contract";
import { EXPLICIT_CLIENT_SETTINGS, rotatingRefreshToken } from "./client-defaults";
import type { DeviceBinding, SessionTransferMethod } from "../model/session-transfer";
import type { RefreshTokenSettings } from "./config";

/** Arguments of {@link WebApp}. */
export interface WebAppArgs {
  /** Client name shown in the Auth0 dashboard. Changing it updates the client in place. */
  readonly clientName: string;
  /** The Application Login URI (`initiate_login_uri`): the web endpoint's `/login`. */
  readonly loginUri: pulumi.Input<string>;
  /** The OIDC redirect URI of the web endpoint. */
  readonly callbackUrl: pulumi.Input<string>;
  /** Where Auth0 may send the user after logout. */
  readonly logoutUrl: pulumi.Input<string>;
  /** How the native app may hand over a session transfer token: `cookie`, `query` or both. */
  readonly allowedAuthenticationMethods: readonly SessionTransferMethod[];
  /** Device binding checked when a session transfer token is redeemed here. */
  readonly deviceBinding: DeviceBinding;
  /** May a session started from a session transfer token get a refresh token? */
  readonly allowRefreshToken: boolean;
  /** Revoke such refresh tokens with their session. */
  readonly enforceOnlineRefreshTokens: boolean;
  /** Refresh token lifetimes, in seconds (used only when refresh tokens are allowed). */
  readonly refreshToken: RefreshTokenSettings;
  /** SSM path below which the client ID and secret are written for the web endpoint to read. */
  readonly settingsPath: string;
  /** Protect the client from deletion. */
  readonly protect: boolean;
}

/**
 * The Auth0 regular web application that redeems session transfer tokens at `/authorize`, and the
 * settings (client ID, client secret) the web endpoint reads at cold start.
 */
export class WebApp extends pulumi.ComponentResource {
  /** The Auth0 client. */
  readonly client: auth0.Client;
  /** The web application's client ID. */
  readonly clientId: pulumi.Output<string>;
  /** The client secret, always a Pulumi secret. */
  readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: WebAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:auth0:WebApp", name, {}, opts);
    if (args.allowedAuthenticationMethods.length === 0) {
      throw new pulumi.ResourceError(
        "WebApp needs at least one session transfer authentication method",
        this,
      );
    }

    this.client = new auth0.Client(
      `${name}-client`,
      {
        name: args.clientName,
        description: "Web app of Native to Web SSO: accepts session transfer tokens. Managed by Pulumi.",
        appType: "regular_web",
        ...EXPLICIT_CLIENT_SETTINGS,
        grantTypes: args.allowRefreshToken ? ["authorization_code", "refresh_token"] : ["authorization_code"],
        callbacks: [args.callbackUrl],
        allowedLogoutUrls: [args.logoutUrl],
        initiateLoginUri: args.loginUri,
        refreshToken: rotatingRefreshToken(args.refreshToken),
        sessionTransfer: {
          canCreateSessionTransferToken: false,
          allowedAuthenticationMethods: [...args.allowedAuthenticationMethods],
          enforceDeviceBinding: args.deviceBinding,
          allowRefreshToken: args.allowRefreshToken,
          enforceOnlineRefreshTokens: args.enforceOnlineRefreshTokens,
          enforceCascadeRevocation: true,
        },
      },
      { parent: this, protect: args.protect },
    );
    this.clientId = this.client.clientId;

    const credentials = new auth0.ClientCredentials(
      `${name}-credentials`,
      { clientId: this.client.clientId, authenticationMethod: WEB_CLIENT_AUTH_METHOD },
      { parent: this, protect: args.protect, additionalSecretOutputs: ["clientSecret"] },
    );
    this.clientSecret = pulumi.secret(
      credentials.clientSecret.apply((secret) => {
        // Auth0 returns no secret when the provider's Management API application lacks the scopes
        // to read it; say so here instead of failing later on an empty SSM parameter value.
        if (!secret && !pulumi.runtime.isDryRun()) {
          throw new pulumi.ResourceError(
            "Auth0 returned no client secret for the web client: grant the Management API application " +
              "that Pulumi uses the read:client_keys and read:client_credentials scopes, then run again.",
            this,
          );
        }
        return secret ?? "";
      }),
    );

    new aws.ssm.Parameter(
      `${name}-client-id-parameter`,
      {
        name: `${args.settingsPath}/${SETTINGS_PARAMETERS.clientId}`,
        type: "SecureString",
        value: this.client.clientId,
        description: "Auth0 client ID of the web application",
      },
      { parent: this },
    );
    new aws.ssm.Parameter(
      `${name}-client-secret-parameter`,
      {
        name: `${args.settingsPath}/${SETTINGS_PARAMETERS.clientSecret}`,
        type: "SecureString",
        value: this.clientSecret,
        description: "Auth0 client secret of the web application",
      },
      { parent: this },
    );

    this.registerOutputs({ client: this.client, clientId: this.clientId, clientSecret: this.clientSecret });
  }
}
