/**
 * The mobile integration kit: per native client, every value a mobile team pastes into its app to
 * open the stack's web apps signed in (the README's "Mobile integration kit" snippets use these
 * names, and the browser tests' `MobileAppSimulator` is configured from this very output).
 *
 * Sources of each value: the SDKs build the exchange's audience from their configured host,
 * `urn:<host>:session_transfer` (Auth0.swift `Auth0/Auth0Authentication.swift` `ssoExchange`,
 * Auth0.Android `AuthenticationAPIClient.kt` `ssoExchange`); the exchange needs a refresh token, so
 * the login asks for `offline_access`, and the SDKs' `SSOCredentials` carry an `id_token`, so it
 * asks for `openid` (auth0/docs-v2 native-to-web `configure-implement-native-to-web.mdx`).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SessionTransferMethod } from "../model/session-transfer";
import type { AndroidSettings, IosSettings } from "./config";
import type { NativeClientOutput } from "./native-clients";

/** The scopes of the native login: `offline_access` for the refresh token the exchange spends. */
export const NATIVE_LOGIN_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

/**
 * The first release of each SDK with the calls the README's snippets make (checked in each SDK's
 * git history: the release tag that first contains the call).
 */
export const SDK_MINIMUM_VERSIONS = {
  /** `CredentialsManager.ssoCredentials()` and `Authentication.ssoExchange(withRefreshToken:)`. */
  "Auth0.swift": "2.11.0",
  /** `CredentialsManager.awaitSsoCredentials()` (3.5.0) and `AuthenticationAPIClient.ssoExchange` (3.6.0). */
  "Auth0.Android": "3.6.0",
  /** `credentialsManager.getSSOCredentials()` (5.3.0); one client instance per app, so no second exchange rotates the refresh token away (5.5.0, #1506 for #1374). */
  "react-native-auth0": "5.5.0",
} as const;

/** One web app as the native app opens it. */
export interface MobileKitWebApp {
  /** The Application Login URI to open (cookie method), or to open with the query parameter. */
  readonly loginUri: pulumi.Input<string>;
  /** How this web app accepts the token. */
  readonly methods: readonly SessionTransferMethod[];
}

/** The kit of one native client. */
export interface MobileKit {
  /** The Auth0 domain the SDK is configured with (the custom domain when the tenant has one). */
  readonly domain: string;
  readonly clientId: pulumi.Output<string>;
  /** The audience of the exchange: `urn:<domain>:session_transfer`. */
  readonly audience: string;
  /** What the native login must request. */
  readonly scopes: readonly string[];
  /** Cookie method: set this cookie on this domain, then open the login URI. */
  readonly sessionTransferCookie: { readonly name: string; readonly domain: string };
  /** Query method: open `<loginUri>?<loginQueryParameter>=<token>`. */
  readonly loginQueryParameter: string;
  readonly webApps: Readonly<Record<string, MobileKitWebApp>>;
  /** The SDK callback and logout URLs registered on the client. */
  readonly callbackUrls: readonly string[];
  /** iOS: the Associated Domains entitlement that `https` callbacks (`.useHTTPS()`) need. */
  readonly iosAssociatedDomain?: string;
  /** Android: the App Links host and scheme of the callbacks (`auth0Scheme` placeholder). */
  readonly androidAppLinks?: { readonly scheme: string; readonly host: string };
  readonly sdkMinimumVersions: typeof SDK_MINIMUM_VERSIONS;
}

/** What the kit is built from. */
export interface MobileKitSources {
  readonly domain: string;
  readonly cookieName: string;
  readonly queryParameter: string;
  readonly webApps: Readonly<Record<string, MobileKitWebApp>>;
  readonly ios: IosSettings | undefined;
  readonly android: AndroidSettings | undefined;
}

/** The kit of each native client output (`shared`, `ios`, `android`), for the platforms it serves. */
export function mobileKits(
  clients: Readonly<Record<string, NativeClientOutput>>,
  sources: MobileKitSources,
): Record<string, MobileKit> {
  return Object.fromEntries(
    Object.entries(clients).map(([key, client]): [string, MobileKit] => {
      const ios = client.iosAuth0Plist !== undefined ? sources.ios : undefined;
      const android = client.android !== undefined ? sources.android : undefined;
      return [
        key,
        {
          domain: sources.domain,
          clientId: client.clientId,
          audience: `urn:${sources.domain}:session_transfer`,
          scopes: [...NATIVE_LOGIN_SCOPES],
          sessionTransferCookie: { name: sources.cookieName, domain: sources.domain },
          loginQueryParameter: sources.queryParameter,
          webApps: sources.webApps,
          callbackUrls: client.redirectUrls,
          ...(ios?.universalLinks ? { iosAssociatedDomain: `webcredentials:${sources.domain}` } : {}),
          ...(android?.scheme === "https"
            ? { androidAppLinks: { scheme: "https", host: sources.domain } }
            : {}),
          sdkMinimumVersions: SDK_MINIMUM_VERSIONS,
        },
      ];
    }),
  );
}
