/**
 * The tenant's clients: each Auth0 client as a stack declares it, and the oidc-provider client
 * metadata the tenant registers for it. A new kind of client (a single-page app, another native
 * app) is one more {@link DeclaredClient} in the list and, for a new `appType`, one more case in
 * {@link providerClient}.
 */

import type { DeviceBinding, SessionTransferMethod } from "../../model/session-transfer";

/** A client's `session_transfer` block, as declared. */
export interface SessionTransferSettings {
  readonly canCreateSessionTransferToken: boolean;
  readonly allowedAuthenticationMethods: readonly SessionTransferMethod[];
  readonly enforceDeviceBinding: DeviceBinding;
  readonly allowRefreshToken: boolean;
  readonly enforceOnlineRefreshTokens: boolean;
  readonly enforceCascadeRevocation: boolean;
}

/** One Auth0 client as the stack declares it: the settings the tenant enforces. */
export interface DeclaredClient {
  /** Logical name in the stack (`native-client`, `web-client`). */
  readonly resourceName: string;
  readonly clientId: string;
  /** The secret from the client's `ClientCredentials` (absent for public clients). */
  readonly clientSecret?: string;
  readonly appType: "native" | "regular_web" | "spa";
  /** Auth0's `token_endpoint_auth_method`, from the client's `ClientCredentials`. */
  readonly tokenEndpointAuthMethod: "none" | "client_secret_basic" | "client_secret_post";
  readonly grantTypes: readonly string[];
  readonly callbacks: readonly string[];
  readonly allowedLogoutUrls: readonly string[];
  /** The Application Login URI (`initiate_login_uri`). */
  readonly initiateLoginUri?: string;
  /** Allowed Origins (CORS): origins whose scripts may call the token endpoint for this client. */
  readonly allowedOrigins: readonly string[];
  readonly isFirstParty: boolean;
  /** `rotating` or `non-rotating`. */
  readonly refreshTokenRotation: string;
  readonly sessionTransfer: SessionTransferSettings;
}

/** The clients of the tenant, looked up by client ID. */
export class ClientRegistry {
  private byId = new Map<string, DeclaredClient>();

  constructor(private list: readonly DeclaredClient[] = []) {
    this.replace(list);
  }

  /** Replaces every client. */
  replace(clients: readonly DeclaredClient[]): void {
    this.list = clients;
    this.byId = new Map(clients.map((c) => [c.clientId, c]));
  }

  /** The clients in the order they were registered. */
  all(): readonly DeclaredClient[] {
    return this.list;
  }

  /** The client with this ID; `undefined` for anything else (unknown IDs, repeated parameters). */
  find(id: unknown): DeclaredClient | undefined {
    return typeof id === "string" ? this.byId.get(id) : undefined;
  }
}

/**
 * May a script on `origin` call the tenant's endpoints for this client? Auth0 allows the client's
 * Allowed Origins (CORS) and the origins of its callback URLs (auth0.com/docs, "Configure
 * Cross-Origin Resource Sharing"); a confidential client's secret never belongs in a browser.
 */
export function corsAllowed(client: DeclaredClient, origin: string): boolean {
  if (client.tokenEndpointAuthMethod !== "none" || origin === "null") return false;
  const origins = new Set(client.allowedOrigins);
  for (const callback of client.callbacks) {
    const parsed = URL.parse(callback);
    if (parsed?.protocol === "https:") origins.add(parsed.origin);
  }
  return origins.has(origin);
}

/** oidc-provider's client metadata for a declared client. */
export function providerClient(c: DeclaredClient): Record<string, unknown> {
  return {
    client_id: c.clientId,
    ...(c.clientSecret === undefined ? {} : { client_secret: c.clientSecret }),
    client_name: c.resourceName,
    application_type: c.appType === "native" ? "native" : "web",
    token_endpoint_auth_method: c.tokenEndpointAuthMethod,
    grant_types: [...c.grantTypes],
    response_types: ["code"],
    redirect_uris: [...c.callbacks],
    ...(c.appType === "native" ? {} : { post_logout_redirect_uris: [...c.allowedLogoutUrls] }),
    ...(c.initiateLoginUri === undefined ? {} : { initiate_login_uri: c.initiateLoginUri }),
  };
}
