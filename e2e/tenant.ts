/**
 * A local Auth0 tenant: a real OpenID provider (`oidc-provider`) over HTTPS under the stack's own
 * tenant host name, with Auth0's Native to Web SSO added on top, as `../shared/auth0-facts.md` and
 * Auth0's documentation describe it:
 *
 * - `POST /oauth/token` with `grant_type=refresh_token` and `audience=urn:<domain>:session_transfer`
 *   returns `{access_token: <session transfer token>, issued_token_type, token_type: "N_A",
 *   expires_in: 60}` plus the rotated refresh token and an ID token, for clients whose
 *   `session_transfer.can_create_session_transfer_token` is true. The token is opaque, single-use,
 *   expires after 60 s of {@link TenantClock} time and remembers the IP and ASN it was created from.
 * - `GET /authorize` takes it from the `auth0_session_transfer_token` cookie or the
 *   `session_transfer_token` parameter, each only if the client's `allowed_authentication_methods`
 *   lists that method, checks use, expiry and the client's `enforce_device_binding`, and signs the
 *   user in without a prompt; otherwise the user sees the login page with the reason.
 * - Refresh tokens of a session that a session transfer token started are issued only when the
 *   client's `allow_refresh_token` is true, and can never create another session transfer token
 *   ("Refresh Tokens originated from a previous Session Transfer Token transaction do not generate
 *   new Session Transfer Tokens", Auth0's Native to Web SSO limitations).
 *
 * Its clients are whatever the stack declares (see `./stack.ts`): {@link LocalTenant.configure}
 * registers them again after the stack's configuration changed.
 */

import { generateKeyPairSync, randomBytes, type JsonWebKey } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import { escapeHtml } from "../app/pages";
import type { HostCertificate } from "./certs";
import type { DeclaredClient, StackUnderTest, TransferMethod } from "./stack";
import { auth0LikeProvider } from "../testkit/auth0-like";

/** Lifetime of a session transfer token, in seconds (Auth0: about 60 s). */
export const SESSION_TRANSFER_TOKEN_TTL_S = 60;
/** `issued_token_type` of Auth0's session transfer exchange. */
export const SESSION_TRANSFER_TOKEN_TYPE = "urn:auth0:params:oauth:token-type:session_transfer_token";
const COOKIE = "auth0_session_transfer_token";
const PARAM = "session_transfer_token";

/** The tenant's notion of "now" for session transfer tokens; tests move it forward. */
export class TenantClock {
  private offsetMs = 0;
  /** Milliseconds since the epoch, as the tenant sees them. */
  now(): number {
    return Date.now() + this.offsetMs;
  }
  /** Moves the tenant's time forward. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

/** A user of the tenant. */
export interface TenantUser {
  readonly sub: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

/** Why a session transfer token was not honoured at `/authorize`. */
export type RefusalReason =
  | "method_not_allowed"
  | "invalid_token"
  | "token_already_used"
  | "token_expired"
  | "ip_mismatch"
  | "asn_mismatch";

/** What the tenant shows the user for each refusal (the login page's alert). */
export const REFUSAL_MESSAGES: Readonly<Record<RefusalReason, string>> = {
  method_not_allowed: "This application does not accept a session transfer token sent that way",
  invalid_token: "The session transfer token is not valid",
  token_already_used: "The session transfer token was already used",
  token_expired: "The session transfer token has expired",
  ip_mismatch: "The session transfer token was created from another IP address",
  asn_mismatch: "The session transfer token was created from another network",
};

/** A running tenant. */
export interface LocalTenant {
  /** `https://<tenant host>/`, with Auth0's trailing slash. */
  readonly issuer: string;
  readonly host: string;
  readonly clock: TenantClock;
  /** The test user; sign in with its email and password. */
  readonly user: TenantUser;
  /** Every request as `METHOD /path status`: never a query string, never a body. */
  readonly log: string[];
  /** The clients currently registered, exactly as read from the stack. */
  clients(): readonly DeclaredClient[];
  /** Registers the clients of a (re-rendered) stack; sessions and tokens start afresh. */
  configure(stack: StackUnderTest): Promise<void>;
  /** Sets the autonomous system an IP address belongs to (the tenant's IP-to-ASN table). */
  setAsn(ip: string, asn: number): void;
  close(): Promise<void>;
}

/** Options of {@link startTenant}. */
export interface TenantOptions {
  readonly stack: StackUnderTest;
  /** Loopback address to listen on (port 443). */
  readonly address: string;
  readonly certificate: HostCertificate;
}

// --- the part of oidc-provider's API used here (the package ships no types) ---

interface OidcClient {
  clientId: string;
  grantTypeAllowed(type: string): boolean;
}
interface RefreshTokenModel {
  accountId: string;
  clientId: string;
  grantId: string;
  scope?: string;
  scopes: Set<string>;
  isExpired: boolean;
  consumed?: unknown;
  acr?: string;
  amr?: string[];
  authTime?: number;
  claims?: unknown;
  expiresWithSession?: boolean;
  iiat?: number;
  gty?: string;
  nonce?: string;
  resource?: unknown;
  rotations?: number;
  sessionUid?: string;
  sid?: string;
  rar?: unknown;
  consume(): Promise<void>;
  save(): Promise<string>;
}
interface GrantModel {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface IdTokenModel {
  scope?: string;
  set(key: string, value: unknown): void;
  issue(options: { use: "idtoken" }): Promise<string>;
}
interface AccountLike {
  accountId: string;
  claims(): Record<string, unknown>;
}
interface KoaContext {
  path: string;
  method: string;
  ip: string;
  query: Record<string, string | string[] | undefined>;
  req: IncomingMessage;
  status: number;
  body: unknown;
  append(name: string, value: string): void;
  response: { get(name: string): string };
  oidc: {
    client?: OidcClient;
    params: Record<string, string | undefined>;
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    provider: OidcProvider;
  };
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface InteractionDetails {
  uid: string;
  grantId?: string;
  prompt: { name: string };
  params: Record<string, string | undefined>;
  session?: { accountId?: string };
}
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  use(fn: Middleware): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  registerGrantType(name: string, handler: (ctx: KoaContext) => Promise<void>, params: string[]): void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: {
    new (properties: { accountId: string; clientId: string }): GrantModel;
    find(id: string): Promise<GrantModel | undefined>;
  };
  RefreshToken: {
    new (properties: Record<string, unknown>): RefreshTokenModel;
    find(value: string, options: { ignoreExpiration: boolean }): Promise<RefreshTokenModel | undefined>;
  };
  IdToken: new (claims: Record<string, unknown>, options: { ctx: KoaContext }) => IdTokenModel;
}
interface PolicyCheck {
  readonly reason: string;
}
interface OidcModule {
  Provider: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  interactionPolicy: {
    base(): Array<{ name: string; checks: PolicyCheck[] }>;
    Check: new (reason: string, description: string, check: (ctx: KoaContext) => boolean) => PolicyCheck;
  };
}
type GrantHandler = (
  provider: OidcProvider,
  helpers: Record<string, unknown>,
  ctx: KoaContext,
) => Promise<void>;

// Deep imports: the built-in refresh token grant and its helpers, so a plain refresh (no audience)
// is served by oidc-provider itself. Non-literal specifiers keep TypeScript from resolving them.
const BUILTIN_REFRESH = "oidc-provider/lib/actions/grants/refresh_token.js";
const GRANT_HELPERS = "oidc-provider/lib/helpers/grants.js";

async function loadOidc(): Promise<{
  oidc: OidcModule;
  refresh: GrantHandler;
  helpers: Record<string, (...args: unknown[]) => unknown>;
}> {
  const oidc = (await import("oidc-provider")) as unknown as OidcModule;
  const refresh = ((await import(BUILTIN_REFRESH)) as { handler: GrantHandler }).handler;
  const helpers = (await import(GRANT_HELPERS)) as Record<string, (...args: unknown[]) => unknown>;
  return { oidc, refresh, helpers };
}

/** A session transfer token as the tenant remembers it. The value itself is only the map key. */
interface TransferRecord {
  readonly accountId: string;
  readonly clientId: string;
  readonly expiresAt: number;
  readonly ip: string;
  readonly asn: number | undefined;
  used: boolean;
}

type Outcome = { kind: "accepted"; accountId: string } | { kind: "refused"; reason: RefusalReason };

function normalizeIp(ip: string): string {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error("form too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function html(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto">${body}</body></html>`,
  );
}

/** Starts the tenant on `<address>:443` with the stack's clients. */
export async function startTenant(options: TenantOptions): Promise<LocalTenant> {
  const { oidc, refresh, helpers } = await loadOidc();
  const host = options.stack.tenantHost;
  const issuer = `https://${host}/`;
  const audience = `urn:${host}:session_transfer`;
  const clock = new TenantClock();
  const log: string[] = [];
  const asnTable = new Map<string, number>();
  const user: TenantUser = {
    sub: "auth0|e2e-ada",
    email: "ada@acme.test",
    password: randomBytes(12).toString("base64url"),
    name: "Ada Lovelace",
  };
  // One signing key and cookie key for the tenant's life: the web app caches the JWKS it discovered.
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk: JsonWebKey = { ...privateKey.export({ format: "jwk" }), kid: "e2e", use: "sig", alg: "RS256" };
  const cookieKeys = [randomBytes(32).toString("base64url")];

  let clients: DeclaredClient[] = [];
  let provider: OidcProvider;
  let handle: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  const transfers = new Map<string, TransferRecord>();
  const outcomes = new Map<string, Outcome>();
  // Grants of sessions started by a session transfer token: their refresh tokens cannot mint another.
  const transferGrants = new Set<string>();
  // /authorize requests that carried a token: the login prompt is always shown to them (no silent SSO).
  const presented = new WeakSet<IncomingMessage>();

  const clientById = (id: unknown): DeclaredClient | undefined =>
    typeof id === "string" ? clients.find((c) => c.clientId === id) : undefined;

  const redeem = (token: string, method: TransferMethod, client: DeclaredClient, ip: string): Outcome => {
    const settings = client.sessionTransfer;
    if (!settings.allowedAuthenticationMethods.includes(method))
      return { kind: "refused", reason: "method_not_allowed" };
    const record = transfers.get(token);
    if (!record) return { kind: "refused", reason: "invalid_token" };
    if (record.used) return { kind: "refused", reason: "token_already_used" };
    if (clock.now() >= record.expiresAt) return { kind: "refused", reason: "token_expired" };
    if (settings.enforceDeviceBinding === "ip" && record.ip !== ip)
      return { kind: "refused", reason: "ip_mismatch" };
    if (
      settings.enforceDeviceBinding === "asn" &&
      (record.asn === undefined || asnTable.get(ip) !== record.asn)
    ) {
      return { kind: "refused", reason: "asn_mismatch" };
    }
    record.used = true;
    return { kind: "accepted", accountId: record.accountId };
  };

  const tokenError = (ctx: KoaContext, status: number, error: string, description: string): void => {
    ctx.status = status;
    ctx.body = { error, error_description: description };
  };

  /** Auth0's refresh-token exchange for a session transfer token. */
  const exchange = async (ctx: KoaContext): Promise<void> => {
    if (ctx.oidc.params.audience !== audience) {
      tokenError(ctx, 403, "access_denied", `Service not found: ${ctx.oidc.params.audience ?? ""}`);
      return;
    }
    const client = clientById(ctx.oidc.client?.clientId);
    const value = ctx.oidc.params.refresh_token ?? "";
    const refreshToken = await provider.RefreshToken.find(value, { ignoreExpiration: true });
    if (
      !client ||
      !refreshToken ||
      refreshToken.clientId !== client.clientId ||
      refreshToken.isExpired ||
      refreshToken.consumed
    ) {
      tokenError(ctx, 403, "invalid_grant", "Unknown or invalid refresh token.");
      return;
    }
    // Checked before the client's own permission, so the rule holds whichever client presents it.
    if (transferGrants.has(refreshToken.grantId)) {
      tokenError(
        ctx,
        403,
        "invalid_grant",
        "A refresh token that originated from a session transfer cannot create a session transfer token.",
      );
      return;
    }
    if (!client.sessionTransfer.canCreateSessionTransferToken) {
      tokenError(
        ctx,
        403,
        "unauthorized_client",
        "The client is not allowed to create session transfer tokens.",
      );
      return;
    }
    const ip = normalizeIp(ctx.ip);
    const token = randomBytes(32).toString("base64url");
    transfers.set(token, {
      accountId: refreshToken.accountId,
      clientId: client.clientId,
      expiresAt: clock.now() + SESSION_TRANSFER_TOKEN_TTL_S * 1000,
      ip,
      asn: asnTable.get(ip),
      used: false,
    });
    log.push(`session transfer token issued to ${client.resourceName} from ${ip}`);

    let rotated: string | undefined;
    if (client.refreshTokenRotation === "rotating") {
      await refreshToken.consume();
      const next = new provider.RefreshToken({
        accountId: refreshToken.accountId,
        acr: refreshToken.acr,
        amr: refreshToken.amr,
        authTime: refreshToken.authTime,
        claims: refreshToken.claims,
        client: ctx.oidc.client,
        expiresWithSession: refreshToken.expiresWithSession,
        iiat: refreshToken.iiat,
        grantId: refreshToken.grantId,
        gty: refreshToken.gty,
        nonce: refreshToken.nonce,
        resource: refreshToken.resource,
        rotations: (refreshToken.rotations ?? 0) + 1,
        scope: refreshToken.scope,
        sessionUid: refreshToken.sessionUid,
        sid: refreshToken.sid,
        rar: refreshToken.rar,
      });
      rotated = await next.save();
    }
    let idToken: string | undefined;
    if (refreshToken.scopes.has("openid")) {
      const claims = userClaims(refreshToken.accountId, refreshToken.scopes);
      const id = new provider.IdToken({ ...claims, auth_time: refreshToken.authTime }, { ctx });
      id.scope = [...refreshToken.scopes].filter((s) => s !== "offline_access").join(" ");
      id.set("sid", refreshToken.sid);
      idToken = await id.issue({ use: "idtoken" });
    }
    ctx.status = 200;
    ctx.body = {
      access_token: token,
      issued_token_type: SESSION_TRANSFER_TOKEN_TYPE,
      token_type: "N_A",
      expires_in: SESSION_TRANSFER_TOKEN_TTL_S,
      ...(rotated ? { refresh_token: rotated } : {}),
      ...(idToken ? { id_token: idToken } : {}),
    };
  };

  const userClaims = (accountId: string, scopes: Set<string>): Record<string, unknown> => {
    if (accountId !== user.sub) return { sub: accountId };
    return {
      sub: user.sub,
      ...(scopes.has("profile") ? { name: user.name } : {}),
      ...(scopes.has("email") ? { email: user.email, email_verified: true } : {}),
    };
  };

  /** Before oidc-provider sees an /authorize request: take the token out and decide about it. */
  const sessionTransferAtAuthorize: Middleware = async (ctx, next) => {
    if (ctx.path !== "/authorize" || ctx.method !== "GET") return next();
    // Auth0 honours offline_access without prompt=consent; oidc-provider (as OpenID Connect Core
    // says) drops it unless consent is prompted for. Asking for that prompt keeps it; the consent
    // step itself is skipped for first-party clients (see the interactions below).
    const wantsOffline =
      typeof ctx.query.scope === "string" && ctx.query.scope.split(" ").includes("offline_access");
    const addPrompt = wantsOffline && ctx.query.prompt === undefined;
    if (addPrompt) ctx.query = { ...ctx.query, prompt: "consent" };
    const fromQuery = ctx.query[PARAM];
    const fromCookie = readCookie(ctx.req, COOKIE);
    if (fromQuery === undefined && fromCookie === undefined) return next();
    const client = clientById(ctx.query.client_id);
    const query = { ...ctx.query };
    // The provider never sees the token: nothing stores it, logs it or echoes it.
    delete query[PARAM];
    if (fromCookie !== undefined) {
      ctx.append("Set-Cookie", `${COOKIE}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=None`);
    }
    let outcome: Outcome | undefined;
    if (client) {
      const method: TransferMethod = fromQuery !== undefined ? "query" : "cookie";
      const token =
        typeof fromQuery === "string" ? fromQuery : typeof fromCookie === "string" ? fromCookie : "";
      outcome = redeem(token, method, client, normalizeIp(ctx.ip));
      log.push(
        `session transfer by ${method} for ${client.resourceName}: ${outcome.kind === "accepted" ? "accepted" : outcome.reason}`,
      );
      if (
        outcome.kind === "accepted" &&
        !client.sessionTransfer.allowRefreshToken &&
        typeof query.scope === "string"
      ) {
        // allow_refresh_token=false: a session started this way gets no refresh token.
        query.scope = query.scope
          .split(" ")
          .filter((s) => s !== "offline_access")
          .join(" ");
        if (addPrompt) delete query.prompt;
      }
      presented.add(ctx.req);
    }
    ctx.query = query;
    await next();
    const uid = /\/interaction\/([^/?#]+)/.exec(ctx.response.get("Location"))?.[1];
    if (uid && outcome) outcomes.set(uid, outcome);
  };

  const build = (stack: StackUnderTest): OidcProvider => {
    clients = [stack.native, stack.web];
    const policy = oidc.interactionPolicy.base();
    const login = policy.find((p) => p.name === "login");
    // A presented token always goes through the login step, so a session of another user is never reused.
    login?.checks.push(
      new oidc.interactionPolicy.Check(
        "session_transfer_token",
        "a session transfer token was presented",
        (ctx) => presented.has(ctx.req),
      ),
    );
    // oidc-provider asks native clients for consent every time; Auth0 skips consent for first-party
    // clients, native ones included (loadExistingGrant below grants them what they ask).
    const consent = policy.find((p) => p.name === "consent")?.checks;
    const nativePrompt = consent?.findIndex((c) => c.reason === "native_client_prompt") ?? -1;
    if (consent && nativePrompt !== -1) consent.splice(nativePrompt, 1);
    const p = new oidc.Provider(issuer, {
      clients: clients.map((c) => ({
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
      })),
      jwks: { keys: [jwk] },
      // Auth0 puts the profile and email claims in the ID token (the web app reads the user from it).
      conformIdTokenClaims: false,
      cookies: { keys: cookieKeys },
      scopes: ["openid", "offline_access", "profile", "email"],
      ...auth0LikeProvider(),
      features: { devInteractions: { enabled: false } },
      interactions: {
        policy,
        url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      },
      findAccount: (_ctx: unknown, sub: string): AccountLike | undefined =>
        sub === user.sub
          ? {
              accountId: sub,
              claims: () => ({ sub, name: user.name, email: user.email, email_verified: true }),
            }
          : undefined,
      // Rotation as each client declares it.
      rotateRefreshToken: (ctx: KoaContext) =>
        clientById(ctx.oidc.client?.clientId)?.refreshTokenRotation === "rotating",
      // First-party clients need no consent screen (Auth0 skips it for them).
      loadExistingGrant: async (ctx: KoaContext) => {
        const clientId = ctx.oidc.client?.clientId;
        const accountId = ctx.oidc.session?.accountId;
        if (!clientId || !accountId) return undefined;
        const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(clientId);
        const grant = existing
          ? await ctx.oidc.provider.Grant.find(existing)
          : clientById(clientId)?.isFirstParty
            ? new ctx.oidc.provider.Grant({ clientId, accountId })
            : undefined;
        if (grant && clientById(clientId)?.isFirstParty && ctx.oidc.params.scope) {
          grant.addOIDCScope(ctx.oidc.params.scope);
          await grant.save();
        }
        return grant;
      },
    });
    p.use(sessionTransferAtAuthorize);
    const bound = Object.fromEntries(Object.entries(helpers).map(([k, f]) => [k, f.bind(undefined, p)]));
    p.registerGrantType(
      "refresh_token",
      async (ctx) => {
        if (ctx.oidc.params.audience === undefined) await refresh(p, bound, ctx);
        else await exchange(ctx);
      },
      ["refresh_token", "scope", "audience"],
    );
    p.on("server_error", (...args: unknown[]) => {
      const error = args[1];
      log.push(`server error: ${error instanceof Error ? error.message : String(error)}`);
    });
    return p;
  };

  const loginPage = (res: ServerResponse, uid: string, clientName: string, alert?: string): void => {
    html(
      res,
      200,
      "Log in",
      `<h1>Log in</h1><p>to continue to ${escapeHtml(clientName)}</p>` +
        (alert ? `<p id="error" role="alert" style="color:#b00020">${escapeHtml(alert)}</p>` : "") +
        `<form method="post" action="/interaction/${escapeHtml(uid)}/login">` +
        `<label>Email <input name="email" type="email" autocomplete="username"></label><br>` +
        `<label>Password <input name="password" type="password" autocomplete="current-password"></label><br>` +
        `<button type="submit">Continue</button></form>`,
    );
  };

  const interaction = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    const client = clientById(details.params.client_id);
    const clientName = client?.resourceName ?? "the application";
    if (req.method === "POST" && path.endsWith("/login")) {
      const form = await readForm(req);
      if (form.get("email") !== user.email || form.get("password") !== user.password) {
        loginPage(res, details.uid, clientName, "Wrong email or password.");
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.sub } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (req.method === "GET" && details.prompt.name === "consent" && client?.isFirstParty) {
      // First-party clients are not asked for consent: grant what they asked for.
      const grant =
        (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
        new provider.Grant({ accountId: details.session?.accountId ?? "", clientId: client.clientId });
      if (details.params.scope) grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    if (req.method !== "GET" || details.prompt.name !== "login") {
      html(res, 400, "Error", "<h1>Error</h1><p>Unsupported step.</p>");
      return;
    }
    const outcome = outcomes.get(details.uid);
    outcomes.delete(details.uid);
    if (outcome?.kind === "accepted" && client) {
      if (details.session?.accountId && details.session.accountId !== outcome.accountId) {
        loginPage(res, details.uid, clientName, "You were signed in as another user. Log in to continue.");
        return;
      }
      const grant = new provider.Grant({ accountId: outcome.accountId, clientId: client.clientId });
      if (details.params.scope) grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      transferGrants.add(grantId);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: outcome.accountId, amr: ["session_transfer"] }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    loginPage(
      res,
      details.uid,
      clientName,
      outcome?.kind === "refused" ? REFUSAL_MESSAGES[outcome.reason] : undefined,
    );
  };

  const server: Server = createServer(
    { cert: options.certificate.cert, key: options.certificate.key },
    (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? "/", issuer).pathname;
      res.on("finish", () => log.push(`${req.method ?? "GET"} ${path} ${res.statusCode}`));
      if (path.startsWith("/interaction/")) {
        interaction(req, res, path).catch((error: unknown) => {
          log.push(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
          if (!res.headersSent) html(res, 500, "Error", "<h1>Something went wrong</h1>");
        });
        return;
      }
      handle(req, res);
    },
  );

  const configure = async (stack: StackUnderTest): Promise<void> => {
    if (stack.tenantHost !== host) throw new Error(`the tenant serves ${host}, not ${stack.tenantHost}`);
    provider = build(stack);
    handle = provider.callback();
    transfers.clear();
    outcomes.clear();
    transferGrants.clear();
  };
  await configure(options.stack);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(443, options.address, () => resolve());
  });

  return {
    issuer,
    host,
    clock,
    user,
    log,
    clients: () => clients,
    configure,
    setAsn: (ip, asn) => void asnTable.set(ip, asn),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
