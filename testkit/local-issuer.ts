/**
 * The Auth0 stand-in (`./tenant/`) as a plain local issuer for the web app's tests and benchmarks:
 * the same OpenID provider (`./tenant/oidc.ts`) over HTTPS on any loopback port (certificate from
 * {@link ensureTestCertificates}), Auth0's endpoint paths (`/authorize`, `/oauth/token`,
 * `/v2/logout`, ...), and the stand-in's one implementation of session transfer tokens
 * (`./tenant/session-transfer.ts`: single use, 60 s), which every client here accepts by query
 * parameter or `auth0_session_transfer_token` cookie, unbound (`enforce_device_binding: none`).
 *
 * Interactions complete without a form: a valid session transfer token signs in its account,
 * otherwise {@link LocalIssuerOptions.defaultAccountId} is signed in (or, if `null`, the
 * authorization ends with `error=login_required`). Requires `NODE_EXTRA_CA_CERTS` in clients.
 */

import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { KoaContextWithOIDC } from "oidc-provider";
import { SESSION_TRANSFER_COOKIE } from "../app/contract";
import { ensureTestCertificates, type TestCertificates } from "./tls";
import type { DeclaredClient } from "./tenant/clients";
import { finishAuthentication } from "./tenant/login";
import { auth0LikeProvider, closeServer, readCookie, type Auth0LikeAccount } from "./tenant/oidc";
import { normalizeIp, SessionTransfers, TenantClock } from "./tenant/session-transfer";

/** A client (application) registered at the local issuer. */
export interface LocalClient {
  clientId: string;
  clientSecret: string;
  /** Allowed callback URLs, e.g. `https://localhost:3000/callback`. */
  redirectUris: string[];
  /** Allowed `returnTo` values of `/v2/logout` (Auth0's "Allowed Logout URLs"). */
  allowedLogoutUrls?: string[];
}

/** A user account at the local issuer. */
export type LocalAccount = Auth0LikeAccount;

/** Options of {@link startLocalIssuer}. */
export interface LocalIssuerOptions {
  clients: LocalClient[];
  /** Accounts by subject. Default: one account, `auth0|alice`. */
  accounts?: Record<string, LocalAccount>;
  /**
   * Account signed in when an authorization carries no valid session transfer token.
   * `null`: such an authorization fails with `login_required`. Default: the first account.
   */
  defaultAccountId?: string | null;
  /** Host name in the issuer URL (must be covered by the test certificate). Default `localhost`. */
  host?: string;
  /** Port to listen on (on 127.0.0.1). Default: any free port. */
  port?: number;
  /** Certificates to serve with. Default: {@link ensureTestCertificates}(). */
  tls?: TestCertificates;
}

/** One request the issuer received. Kept in memory only, never printed. */
export interface IssuerRequest {
  method: string;
  path: string;
  /** Decoded query parameters (last value wins). */
  params: Record<string, string>;
  /** Value of the `auth0_session_transfer_token` cookie, when the request carried one. */
  sessionTransferCookie?: string;
}

/** Live counters of what the issuer served. */
export interface IssuerCounters {
  /** Requests for the discovery document: one per OIDC client configuration and cold start. */
  discovery: number;
  authorize: number;
  token: number;
  jwks: number;
  logout: number;
}

/** A running local issuer. */
export interface LocalIssuer {
  /** The issuer identifier, with a trailing slash as Auth0's: `https://localhost:<port>/`. */
  issuer: string;
  /** `https://<host>:<port>` without trailing slash: the form of ISSUER_BASE_URL. */
  issuerBaseURL: string;
  port: number;
  /** Every request received, oldest first. */
  requests: IssuerRequest[];
  counters: IssuerCounters;
  /** Query parameters of the latest `/authorize` request. */
  lastAuthorizeParams(): Record<string, string> | undefined;
  /** Mints a single-use session transfer token for an account, as Auth0's token exchange would. */
  issueSessionTransferToken(accountId: string): string;
  /** Session transfer tokens that were redeemed, with the account they signed in. */
  redeemedTokens: Array<{ token: string; accountId: string; via: "query" | "cookie" }>;
  /** Clears {@link requests} and zeroes {@link counters}. */
  resetLog(): void;
  /**
   * Holds every token request that arrives from now on (counted, not answered) until the returned
   * function is called: a slow token endpoint, as a busy tenant or network would make it.
   */
  holdTokenRequests(): () => void;
  close(): Promise<void>;
}

/** Starts a local issuer; resolves once it listens. */
export async function startLocalIssuer(options: LocalIssuerOptions): Promise<LocalIssuer> {
  const tls = options.tls ?? ensureTestCertificates();
  const host = options.host ?? "localhost";
  const accounts: Record<string, LocalAccount> = options.accounts ?? {
    "auth0|alice": { name: "Alice Example", email: "alice@example.test" },
  };
  const defaultAccountId =
    options.defaultAccountId === undefined ? (Object.keys(accounts)[0] ?? null) : options.defaultAccountId;
  const requests: IssuerRequest[] = [];
  const counters: IssuerCounters = { discovery: 0, authorize: 0, token: 0, jwks: 0, logout: 0 };
  const redeemedTokens: LocalIssuer["redeemedTokens"] = [];
  const clock = new TenantClock();
  const transfers = new SessionTransfers({ audience: "", clock, asns: new Map() });
  const declared = new Map(options.clients.map((c) => [c.clientId, redeemingClient(c)]));

  const server: Server = createServer({ cert: tls.cert, key: tls.key });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuerBaseURL = `https://${host}:${port}`;
  const issuer = `${issuerBaseURL}/`;

  const provider = auth0LikeProvider({
    issuer,
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    accounts,
    // First-party clients: consent is implied (oidc-provider's documented "skip consent" recipe).
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (!clientId || !accountId) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope("openid profile email");
      await grant.save();
      return grant;
    },
    extra: { extraParams: ["session_transfer_token"] },
  });
  const providerCallback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    const queryToken = details.params.session_transfer_token;
    const cookieToken = readCookie(req, SESSION_TRANSFER_COOKIE);
    const client = declared.get(String(details.params.client_id));
    const ip = normalizeIp(req.socket.remoteAddress ?? "");
    let accountId: string | undefined;
    // The query parameter first, then the cookie; the stand-in's rules decide each.
    for (const [token, via] of [
      [queryToken, "query"],
      [cookieToken, "cookie"],
    ] as const) {
      if (accountId || typeof token !== "string" || !client) continue;
      const outcome = transfers.redeem(token, via, client, ip);
      if (outcome.kind === "accepted") {
        redeemedTokens.push({ token, accountId: outcome.accountId, via });
        accountId = outcome.accountId;
      }
    }
    accountId ??= details.session?.accountId ?? defaultAccountId ?? undefined;
    if (!accountId) {
      await provider.interactionFinished(req, res, {
        error: "login_required",
        error_description: "No valid session transfer token and no default account",
      });
      return;
    }
    await finishAuthentication(provider, req, res, { accountId });
  };

  let held: Promise<void> | undefined;
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", issuerBaseURL);
    if (held && url.pathname === "/oauth/token") {
      counters.token++;
      const release = held;
      void release.then(() => {
        counters.token--; // counted again when it is handled
        server.emit("request", req, res);
      });
      return;
    }
    const entry: IssuerRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      params: Object.fromEntries(url.searchParams),
    };
    const cookieToken = readCookie(req, SESSION_TRANSFER_COOKIE);
    if (cookieToken !== undefined) entry.sessionTransferCookie = cookieToken;
    requests.push(entry);

    if (url.pathname === "/.well-known/openid-configuration") counters.discovery++;
    else if (url.pathname === "/authorize") counters.authorize++;
    else if (url.pathname === "/oauth/token") counters.token++;
    else if (url.pathname === "/.well-known/jwks.json") counters.jwks++;

    if (url.pathname === "/v2/logout") {
      counters.logout++;
      auth0Logout(url, res, options.clients);
      return;
    }
    if (url.pathname.startsWith("/interaction/") && req.method === "GET") {
      interaction(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      return;
    }
    providerCallback(req, res);
  });

  return {
    issuer,
    issuerBaseURL,
    port,
    requests,
    counters,
    redeemedTokens,
    lastAuthorizeParams: () => [...requests].reverse().find((r) => r.path === "/authorize")?.params,
    issueSessionTransferToken: (accountId) => {
      if (!accounts[accountId]) throw new Error(`unknown account ${accountId}`);
      return transfers.issue({ accountId, clientId: "native", ip: "127.0.0.1" });
    },
    resetLog: () => {
      requests.length = 0;
      for (const key of Object.keys(counters) as Array<keyof IssuerCounters>) counters[key] = 0;
    },
    holdTokenRequests: () => {
      let release: () => void = () => undefined;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    close: () => closeServer(server),
  };
}

/** A registered client as the session transfer rules see it: both methods, no device binding. */
function redeemingClient(c: LocalClient): DeclaredClient {
  return {
    resourceName: c.clientId,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    appType: "regular_web",
    tokenEndpointAuthMethod: "client_secret_basic",
    grantTypes: ["authorization_code", "refresh_token"],
    callbacks: c.redirectUris,
    allowedLogoutUrls: c.allowedLogoutUrls ?? [],
    allowedOrigins: [],
    isFirstParty: true,
    refreshTokenRotation: "non-rotating",
    sessionTransfer: {
      canCreateSessionTransferToken: false,
      allowedAuthenticationMethods: ["query", "cookie"],
      enforceDeviceBinding: "none",
      allowRefreshToken: true,
      enforceOnlineRefreshTokens: true,
      enforceCascadeRevocation: true,
    },
  };
}

/** Auth0's `/v2/logout`: ends the issuer session and returns to an allowed URL. */
function auth0Logout(url: URL, res: ServerResponse, clients: LocalClient[]): void {
  const returnTo = url.searchParams.get("returnTo");
  const client = clients.find((c) => c.clientId === url.searchParams.get("client_id"));
  const expired = "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; HttpOnly";
  res.setHeader("Set-Cookie", [`_session=; ${expired}`, `_session.sig=; ${expired}`]);
  if (returnTo && client?.allowedLogoutUrls?.includes(returnTo)) {
    res.writeHead(302, { Location: returnTo }).end();
    return;
  }
  if (returnTo) {
    res.writeHead(400, { "Content-Type": "text/plain" }).end("returnTo is not an allowed logout URL");
    return;
  }
  res.writeHead(200, { "Content-Type": "text/plain" }).end("signed out");
}
