import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { EXPLICIT_CLIENT_SETTINGS, rotatingRefreshToken } from "./client-defaults";
import type { DeviceBinding } from "../model/session-transfer";
import type { AndroidSettings, IosSettings, RefreshTokenSettings } from "./config";
import { nativeRedirectUrls } from "./mobile";

/** Arguments of {@link NativeApp}. */
export interface NativeAppArgs {
  /** Client name shown in the Auth0 dashboard and on consent screens. Changing it updates the client in place. */
  readonly clientName: string;
  /** The domain the SDKs talk to (the tenant's custom domain if it has one); callback URLs are built on it. */
  readonly loginDomain: string;
  /** Device binding of the session transfer tokens this client creates: `asn` (default), `ip` or `none`. */
  readonly deviceBinding: DeviceBinding;
  /** Rotating refresh token lifetimes, in seconds. */
  readonly refreshToken: RefreshTokenSettings;
  /** iOS identity; at least one of `ios` and `android` is required. */
  readonly ios?: IosSettings;
  /** Android identity; at least one of `ios` and `android` is required. */
  readonly android?: AndroidSettings;
  /** Protect the client from deletion: a replaced client has a new ID and every installed app stops signing in. */
  readonly protect: boolean;
}

/**
 * The Auth0 native application of the mobile apps: it signs users in with the authorization code
 * flow + PKCE, keeps them signed in with rotating refresh tokens, and may exchange a refresh token
 * for a device-bound session transfer token right before opening the web app.
 */
export class NativeApp extends pulumi.ComponentResource {
  /** The Auth0 client. */
  readonly client: auth0.Client;
  /** The client ID the mobile apps ship with. */
  readonly clientId: pulumi.Output<string>;
  /** Callback and logout URLs registered for the SDKs. */
  readonly redirectUrls: string[];

  constructor(name: string, args: NativeAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:auth0:NativeApp", name, {}, opts);

    if (!args.ios && !args.android) {
      throw new pulumi.ResourceError("NativeApp needs an iOS or an Android identity", this);
    }
    this.redirectUrls = nativeRedirectUrls(args.loginDomain, args.ios, args.android);

    // Every field the product depends on is declared, false and empty included: an omitted
    // optional+computed field silently adopts whatever the dashboard holds.
    this.client = new auth0.Client(
      `${name}-client`,
      {
        name: args.clientName,
        description: "Native app of Native to Web SSO: creates session transfer tokens. Managed by Pulumi.",
        appType: "native",
        ...EXPLICIT_CLIENT_SETTINGS,
        grantTypes: ["authorization_code", "refresh_token"],
        callbacks: this.redirectUrls,
        allowedLogoutUrls: this.redirectUrls,
        refreshToken: rotatingRefreshToken(args.refreshToken),
        sessionTransfer: {
          canCreateSessionTransferToken: true,
          enforceDeviceBinding: args.deviceBinding,
          enforceCascadeRevocation: true,
          allowedAuthenticationMethods: [],
          allowRefreshToken: false,
          enforceOnlineRefreshTokens: true,
        },
        mobile: {
          ios: args.ios ? { teamId: args.ios.teamId, appBundleIdentifier: args.ios.bundleId } : undefined,
          android: args.android
            ? {
                appPackageName: args.android.packageName,
                sha256CertFingerprints: [...args.android.sha256CertFingerprints],
              }
            : undefined,
        },
      },
      { parent: this, protect: args.protect },
    );

    // Native apps are public clients: PKCE, no secret.
    new auth0.ClientCredentials(
      `${name}-credentials`,
      { clientId: this.client.clientId, authenticationMethod: "none" },
      { parent: this, protect: args.protect },
    );

    this.clientId = this.client.clientId;
    this.registerOutputs({ client: this.client, clientId: this.clientId, redirectUrls: this.redirectUrls });
  }
}
