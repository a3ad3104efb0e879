import * as auth0 from "@pulumi/auth0";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SETTINGS_PARAMETERS, WEB_CLIENT_AUTH_METHOD } from "../app/contract";
import { EXPLICIT_CLIENT_SETTINGS, rotatingRefreshToken } from "./client-defaults";
import type { DeviceBinding, SessionTransferMethod } from "../model/session-transfer";
import type { RefreshTokenSettings } from "./config";

/** The kinds of web apps: a server-side app with a client secret, or a single-page app (a public client). */
export type WebAppType = "regular_web" | "spa";

/** Arguments of {@link WebApp}. */
export interface WebAppArgs {
  /** Client name shown in the Auth0 dashboard. Changing it updates the client in place. */
  readonly clientName: string;
  /**
   * `regular_web` (default): a confidential client whose secret is a Pulumi secret. `spa`: a public
   * client (no secret, authentication method `none`) that signs in with the code flow and PKCE.
   */
  readonly appType?: WebAppType;
  /** The Application Login URI (`initiate_login_uri`): where the native app opens the web app. */
  readonly loginUri: pulumi.Input<string>;
  /** The OIDC redirect URIs (the hosted app: the web endpoint's `/callback`). */
  readonly callbackUrls: readonly pulumi.Input<string>[];
  /** Where Auth0 may send the user after logout. */
  readonly logoutUrls: readonly pulumi.Input<string>[];
  /**
   * `spa` only: the origins the Auth0 SPA SDK runs on, as Allowed Web Origins (silent
   * authentication) and Allowed Origins (its cross-origin `/oauth/token` calls).
   */
  readonly webOrigins?: readonly string[];
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
  /**
   * SSM path below which the client ID and secret are written for the web endpoint to read: the
   * hosted app only. A web app that runs elsewhere keeps its secret where its team keeps secrets.
   */
  readonly settingsPath?: string;
  /** Protect the client from deletion. */
  readonly protect: boolean;
}

const DESCRIPTIONS: Readonly<Record<WebAppType, string>> = {
  regular_web: "Web app of Native to Web SSO: accepts session transfer tokens. Managed by Pulumi.",
  spa: "Single-page app of Native to Web SSO: accepts session transfer tokens. Managed by Pulumi.",
};

/**
 * An Auth0 web application that redeems session transfer tokens at `/authorize`: a regular web app
 * (the hosted one, whose client ID and secret the web endpoint reads from SSM at cold start, or one
 * that runs elsewhere) or a single-page app using the Auth0 SPA SDK.
 */
export class WebApp extends pulumi.ComponentResource {
  /** The Auth0 client. */
  readonly client: auth0.Client;
  /** The web application's client ID. */
  readonly clientId: pulumi.Output<string>;
  /** The client secret, always a Pulumi secret; `undefined` for a single-page app (a public client). */
  readonly clientSecret: pulumi.Output<string> | undefined;

  constructor(name: string, args: WebAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:auth0:WebApp", name, {}, opts);
    const appType = args.appType ?? "regular_web";
    if (args.allowedAuthenticationMethods.length === 0) {
      throw new pulumi.ResourceError(
        "WebApp needs at least one session transfer authentication method",
        this,
      );
    }
    if (appType === "spa" && (args.webOrigins ?? []).length === 0) {
      throw new pulumi.ResourceError("A single-page WebApp needs the web origins its SDK runs on", this);
    }
    if (appType === "spa" && args.settingsPath !== undefined) {
      throw new pulumi.ResourceError("A single-page WebApp has no secret to write to SSM", this);
    }
    // The SPA SDK calls /oauth/token from the browser: its origins are Allowed Origins (CORS) too.
    const origins =
      appType === "spa"
        ? { webOrigins: [...(args.webOrigins ?? [])], allowedOrigins: [...(args.webOrigins ?? [])] }
        : {};

    this.client = new auth0.Client(
      `${name}-client`,
      {
        name: args.clientName,
        description: DESCRIPTIONS[appType],
        appType,
        ...EXPLICIT_CLIENT_SETTINGS,
        ...origins,
        grantTypes: args.allowRefreshToken ? ["authorization_code", "refresh_token"] : ["authorization_code"],
        callbacks: [...args.callbackUrls],
        allowedLogoutUrls: [...args.logoutUrls],
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

    if (appType === "spa") {
      // A public client: the SDK proves the code exchange with PKCE, and no secret exists to leak.
      new auth0.ClientCredentials(
        `${name}-credentials`,
        { clientId: this.client.clientId, authenticationMethod: "none" },
        { parent: this, protect: args.protect },
      );
      this.clientSecret = undefined;
      this.registerOutputs({ client: this.client, clientId: this.clientId, clientSecret: this.clientSecret });
      return;
    }

    // HTTP Basic, as express-openid-connect and openid-client default to when given a secret.
    const credentials = new auth0.ClientCredentials(
      `${name}-credentials`,
      { clientId: this.client.clientId, authenticationMethod: WEB_CLIENT_AUTH_METHOD },
      { parent: this, protect: args.protect, additionalSecretOutputs: ["clientSecret"] },
    );
    const clientSecret = pulumi.secret(
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
    this.clientSecret = clientSecret;
    if (args.settingsPath !== undefined) this.writeSettings(name, args.settingsPath, clientSecret);
    this.registerOutputs({ client: this.client, clientId: this.clientId, clientSecret: this.clientSecret });
  }

  /** The client ID and secret as SecureString parameters below the hosted web endpoint's settings path. */
  private writeSettings(name: string, settingsPath: string, clientSecret: pulumi.Output<string>): void {
    new aws.ssm.Parameter(
      `${name}-client-id-parameter`,
      {
        name: `${settingsPath}/${SETTINGS_PARAMETERS.clientId}`,
        type: "SecureString",
        value: this.client.clientId,
        description: "Auth0 client ID of the web application",
      },
      { parent: this },
    );
    new aws.ssm.Parameter(
      `${name}-client-secret-parameter`,
      {
        name: `${settingsPath}/${SETTINGS_PARAMETERS.clientSecret}`,
        type: "SecureString",
        value: clientSecret,
        description: "Auth0 client secret of the web application",
      },
      { parent: this },
    );
  }
}
