/**
 * The OpenID provider under the Auth0 stand-in: `oidc-provider` configured to answer like an Auth0
 * tenant, used by the tenant (`./index.ts`) and by the plain local issuer (`../local-issuer.ts`):
 * Auth0's endpoint paths (Authentication API: https://auth0.com/docs/api/authentication), the
 * profile and email claims in the ID token (the web app reads the user from it), RS256 keys,
 * interactions at `/interaction/<uid>` completed by the caller, explicit lifetimes.
 */

import { generateKeyPairSync, randomBytes, type JsonWebKey } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Server } from "node:https";
import Provider, { type Account, type KoaContextWithOIDC } from "oidc-provider";

/** A user account: its subject and the claims Auth0 puts in the ID token. */
export interface Auth0LikeAccount {
  readonly name?: string;
  readonly email?: string;
}

/** A signing key and cookie keys; keep them across providers so relying parties keep their JWKS. */
export interface ProviderKeys {
  readonly jwk: JsonWebKey;
  readonly cookieKeys: readonly string[];
}

/** Options of {@link auth0LikeProvider}. */
export interface Auth0LikeOptions {
  /** The issuer identifier, with Auth0's trailing slash. */
  readonly issuer: string;
  /** oidc-provider client metadata (`client_id`, `redirect_uris`, ...). */
  readonly clients: readonly Record<string, unknown>[];
  /** Accounts by subject. */
  readonly accounts: Readonly<Record<string, Auth0LikeAccount>>;
  /** First-party clients skip the consent screen: the grant this returns is used instead. */
  readonly loadExistingGrant: (ctx: KoaContextWithOIDC) => Promise<unknown>;
  /** Default: a fresh key pair and cookie key. */
  readonly keys?: ProviderKeys;
  /** The prompts and checks of interactions; default: oidc-provider's. */
  readonly interactionPolicy?: unknown;
  /** Further configuration (scopes, extra parameters, refresh token rotation). */
  readonly extra?: Record<string, unknown>;
}

/** Makes a signing key (RS256) and a cookie key. */
export function providerKeys(kid: string): ProviderKeys {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    jwk: { ...privateKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" },
    cookieKeys: [randomBytes(32).toString("base64url")],
  };
}

/** Builds the provider. A fresh configuration object each call: the provider keeps and changes it. */
export function auth0LikeProvider(options: Auth0LikeOptions): Provider {
  const keys = options.keys ?? providerKeys("local");
  return new Provider(options.issuer, {
    clients: options.clients.map((c) => ({ ...c })),
    jwks: { keys: [{ ...keys.jwk }] },
    cookies: { keys: [...keys.cookieKeys] },
    claims: { openid: ["sub"], profile: ["name"], email: ["email", "email_verified"] },
    routes: {
      authorization: "/authorize",
      token: "/oauth/token",
      userinfo: "/userinfo",
      jwks: "/.well-known/jwks.json",
      end_session: "/oidc/logout",
    },
    // Like Auth0: profile and email claims are in the ID token, not only at /userinfo.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    // Explicit lifetimes (seconds), which also keeps oidc-provider's start-up notices out of test logs.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      Grant: 86400,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86400,
      Session: 86400,
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      ...(options.interactionPolicy === undefined ? {} : { policy: options.interactionPolicy }),
    },
    findAccount: (_ctx: unknown, sub: string): Account | undefined => {
      const account = options.accounts[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, name: account.name, email: account.email, email_verified: true }),
      };
    },
    loadExistingGrant: options.loadExistingGrant,
    ...options.extra,
  });
}

/** The value of one cookie of a request, decoded. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Closes a server, its keep-alive connections included. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}
