/**
 * What each Auth0 resource type of the main stack needs from the Management API, as data: the
 * scopes a refresh reads with, and the further scopes an update needs. The two Management API
 * applications are granted exactly these, and a test fails when the main program declares an Auth0
 * type that is not listed here. Scopes per endpoint: Auth0 Management API v2 reference.
 */

/** One Auth0 resource type's Management API scopes. */
export interface Auth0Scopes {
  /** What a refresh reads with (`read:*` only). */
  readonly read: readonly string[];
  /** What an update needs on top of `read`. */
  readonly deploy: readonly string[];
}

/** Auth0 resource type token → the Management API scopes it needs. */
export const AUTH0_PRIVILEGES: Readonly<Record<string, Auth0Scopes>> = {
  "auth0:index/client:Client": {
    read: ["read:clients"],
    deploy: ["create:clients", "update:clients", "delete:clients"],
  },
  // Without read:client_keys / read:client_credentials the client secret comes back empty, and a
  // refresh would show every secret as changed.
  "auth0:index/clientCredentials:ClientCredentials": {
    read: ["read:client_keys", "read:client_credentials"],
    deploy: ["create:client_credentials", "update:client_credentials", "delete:client_credentials"],
  },
  "auth0:index/logStream:LogStream": {
    read: ["read:log_streams"],
    deploy: ["create:log_streams", "update:log_streams", "delete:log_streams"],
  },
};

/** The read scopes for previews and drift checks, sorted. */
export function auth0ReadScopes(): string[] {
  return [...new Set(Object.values(AUTH0_PRIVILEGES).flatMap((p) => p.read))].sort();
}

/** The scopes for deploys, sorted. */
export function auth0DeployScopes(): string[] {
  return [...new Set(Object.values(AUTH0_PRIVILEGES).flatMap((p) => [...p.read, ...p.deploy]))].sort();
}
