/**
 * The Auth0 stand-in's one implementation of session transfer tokens, free of HTTP and of
 * oidc-provider. Each rule is Auth0's, from the page named beside it:
 *
 * - [D1] https://auth0.com/docs/authenticate/single-sign-on/native-to-web/configure-implement-native-to-web
 * - [D2] https://auth0.com/docs/authenticate/single-sign-on/native-to-web/native-to-web-sso-and-sessions
 * - [MAPI] the Management API's client `session_transfer` object,
 *   https://auth0.github.io/node-auth0/interfaces/management.Management.ClientSessionTransferConfiguration.html
 * - [EOC] express-openid-connect's `SessionTransferTokenResult`,
 *   https://auth0.github.io/express-openid-connect/interfaces/SessionTransferTokenResult.html
 *   ("opaque, single-use, and expires in ~60 seconds")
 *
 * What is ours, not Auth0's: the order of the checks at `/authorize` (Auth0 does not publish it),
 * the wording of {@link REFUSAL_MESSAGES}, and the injected clock and IP-to-ASN table.
 *
 * Every decision is reported to {@link SessionTransferOptions.onEvent} (the tenant turns them into
 * Auth0 log events: `sertft`, `fertft`, `w`, `s`, see `../auth0-log-events.ts`).
 */

import { randomBytes } from "node:crypto";
import type { DeviceBinding, SessionTransferMethod } from "../../model/session-transfer";
import type { DeclaredClient } from "./clients";

/** Lifetime of a session transfer token, in seconds: the exchange answers `expires_in: 60` [D1], [EOC]. */
export const SESSION_TRANSFER_TOKEN_TTL_S = 60;
/** `issued_token_type` of Auth0's session transfer exchange [D1]. */
export const SESSION_TRANSFER_TOKEN_TYPE = "urn:auth0:params:oauth:token-type:session_transfer_token";

/** A source of "now", in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** The tenant's notion of "now" for session transfer tokens; tests move it forward. */
export class TenantClock implements Clock {
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

/** The tenant's IP-to-ASN table (what Auth0 looks up for `asn` binding). */
export type AsnTable = ReadonlyMap<string, number>;

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

/** The refresh token presented to the exchange, as the provider found it. */
export interface PresentedRefreshToken {
  readonly accountId: string;
  readonly clientId: string;
  readonly grantId: string;
  /** Expired or already consumed (rotated away). */
  readonly spent: boolean;
}

/** A request to exchange a refresh token for a session transfer token. */
export interface ExchangeRequest {
  /** The `audience` parameter. */
  readonly audience: string | undefined;
  /** The authenticated client; `undefined` when the tenant does not know it. */
  readonly client: DeclaredClient | undefined;
  /** `undefined` when the provider has no such refresh token. */
  readonly refreshToken: PresentedRefreshToken | undefined;
  /** The connection's source address. */
  readonly ip: string;
}

/** A refused exchange, as the token endpoint answers it. */
export interface ExchangeRefusal {
  readonly status: 403;
  readonly error: "access_denied" | "invalid_grant" | "unauthorized_client";
  readonly description: string;
}

/** The exchange's answer: a fresh token, or the refusal. */
export type ExchangeResult =
  | { readonly ok: true; readonly token: string; readonly expiresIn: number }
  | ({ readonly ok: false } & ExchangeRefusal);

/** What `/authorize` makes of a presented token. */
export type Redemption =
  | {
      readonly kind: "accepted";
      readonly accountId: string;
      /** The native client that created the token, and where from (what post-login Actions are told). */
      readonly nativeClientId: string;
      readonly createdFromIp: string;
    }
  | { readonly kind: "refused"; readonly reason: RefusalReason };

/** One decision of the tenant about session transfer: what monitoring records. */
export type SessionTransferEvent =
  | {
      readonly type: "exchange_succeeded";
      readonly client: DeclaredClient;
      readonly ip: string;
      readonly asn: number | undefined;
    }
  | {
      readonly type: "exchange_failed";
      readonly client: DeclaredClient | undefined;
      readonly ip: string;
      readonly refusal: ExchangeRefusal;
    }
  | {
      readonly type: "authorize_accepted";
      readonly client: DeclaredClient;
      readonly method: SessionTransferMethod;
      readonly ip: string;
    }
  | {
      readonly type: "authorize_refused";
      readonly client: DeclaredClient;
      readonly method: SessionTransferMethod;
      readonly ip: string;
      readonly reason: RefusalReason;
    };

/** A session transfer token as the tenant remembers it. The value itself is only the map key. */
interface TransferRecord {
  readonly accountId: string;
  readonly clientId: string;
  readonly expiresAt: number;
  readonly ip: string;
  readonly asn: number | undefined;
  used: boolean;
}

/** The `audience` that asks the refresh token grant for a session transfer token [D1]. */
export function sessionTransferAudience(tenantHost: string): string {
  return `urn:${tenantHost}:session_transfer`;
}

/** May this client create session transfer tokens? `can_create_session_transfer_token`, default false [MAPI]. */
export function mayCreateSessionTransferToken(client: DeclaredClient): boolean {
  return client.sessionTransfer.canCreateSessionTransferToken;
}

/**
 * Does this client accept a session transfer token sent this way? `allowed_authentication_methods`
 * (`cookie`, `query`; default none) of the client that redeems it [MAPI].
 */
export function acceptsMethod(client: DeclaredClient, method: SessionTransferMethod): boolean {
  return client.sessionTransfer.allowedAuthenticationMethods.includes(method);
}

/**
 * Does the redeeming address satisfy the binding of a token made from `created`? The binding is the
 * redeeming client's `enforce_device_binding`: `ip` "consumption ... from the same IP of the
 * issuer", `asn` "from the same ASN as the issuer", none: not enforced [MAPI]; a mismatch is a
 * `w` warning at `/authorize` [D1]. `asn`: both addresses must be in the table, in the same system.
 */
export function bindingRefusal(
  binding: DeviceBinding,
  created: { readonly ip: string; readonly asn: number | undefined },
  ip: string,
  asns: AsnTable,
): "ip_mismatch" | "asn_mismatch" | undefined {
  if (binding === "ip" && created.ip !== ip) return "ip_mismatch";
  if (binding === "asn" && (created.asn === undefined || asns.get(ip) !== created.asn)) return "asn_mismatch";
  return undefined;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`: the form the ASN table and bindings compare. */
export function normalizeIp(ip: string): string {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}

/** Options of {@link SessionTransfers}. */
export interface SessionTransferOptions {
  /** The audience that asks for a session transfer token: {@link sessionTransferAudience}. */
  readonly audience: string;
  readonly clock: Clock;
  readonly asns: AsnTable;
  /** Makes a token value. Default: 32 random bytes, base64url. */
  readonly newToken?: () => string;
  /** Told of every exchange and every token presented at `/authorize`. */
  readonly onEvent?: (event: SessionTransferEvent) => void;
}

/** The tokens the tenant made, and the grants that session transfers started. */
export class SessionTransfers {
  private readonly tokens = new Map<string, TransferRecord>();
  // Grants of sessions started by a session transfer token: their refresh tokens cannot mint another.
  private readonly transferGrants = new Set<string>();

  constructor(private readonly options: SessionTransferOptions) {}

  /**
   * The refresh token exchange [D1]: a new token, or why not. Refused: another audience, an unknown
   * or spent refresh token, a refresh token born of a session transfer ("Refresh Tokens originated
   * from a previous Session Transfer Token transaction do not generate new Session Transfer
   * Tokens", [D2]), a client without `can_create_session_transfer_token` [MAPI]. Logged as
   * `sertft` / `fertft` [D1].
   */
  exchange(request: ExchangeRequest): ExchangeResult {
    const result = this.decideExchange(request);
    if (result.ok && request.client) {
      const asn = this.options.asns.get(request.ip);
      this.emit({ type: "exchange_succeeded", client: request.client, ip: request.ip, asn });
    } else if (!result.ok) {
      const { ok: _ok, ...refusal } = result;
      this.emit({ type: "exchange_failed", client: request.client, ip: request.ip, refusal });
    }
    return result;
  }

  /**
   * A token presented at `/authorize` for `client`: signs its account in once (single use, [EOC]),
   * within its 60 s [D1], by an allowed method and from an address its binding allows [MAPI], or
   * says why not (Auth0 logs a `w` warning and prompts for login, [D1], [D2]).
   */
  redeem(token: string, method: SessionTransferMethod, client: DeclaredClient, ip: string): Redemption {
    const outcome = this.decideRedemption(token, method, client, ip);
    if (outcome.kind === "accepted") this.emit({ type: "authorize_accepted", client, method, ip });
    else this.emit({ type: "authorize_refused", client, method, ip, reason: outcome.reason });
    return outcome;
  }

  /**
   * Mints a token for an account as the exchange does once its checks passed: opaque, bound to the
   * address it was made from (and that address's ASN), expiring {@link SESSION_TRANSFER_TOKEN_TTL_S}
   * seconds from now. For tests that start from a token rather than from a native app's exchange.
   */
  issue(grant: { readonly accountId: string; readonly clientId: string; readonly ip: string }): string {
    const token = (this.options.newToken ?? (() => randomBytes(32).toString("base64url")))();
    this.tokens.set(token, {
      accountId: grant.accountId,
      clientId: grant.clientId,
      expiresAt: this.options.clock.now() + SESSION_TRANSFER_TOKEN_TTL_S * 1000,
      ip: grant.ip,
      asn: this.options.asns.get(grant.ip),
      used: false,
    });
    return token;
  }

  /** Marks a grant as started by a session transfer. */
  rememberTransferGrant(grantId: string): void {
    this.transferGrants.add(grantId);
  }

  /** Was this grant started by a session transfer? */
  startedByTransfer(grantId: string): boolean {
    return this.transferGrants.has(grantId);
  }

  /** Forgets every token and grant (the tenant was reconfigured). */
  reset(): void {
    this.tokens.clear();
    this.transferGrants.clear();
  }

  private decideExchange({ audience, client, refreshToken, ip }: ExchangeRequest): ExchangeResult {
    if (audience !== this.options.audience) {
      return refuse("access_denied", `Service not found: ${audience ?? ""}`);
    }
    if (!client || !refreshToken || refreshToken.clientId !== client.clientId || refreshToken.spent) {
      return refuse("invalid_grant", "Unknown or invalid refresh token.");
    }
    // Checked before the client's own permission, so the rule holds whichever client presents it.
    if (this.startedByTransfer(refreshToken.grantId)) {
      return refuse(
        "invalid_grant",
        "A refresh token that originated from a session transfer cannot create a session transfer token.",
      );
    }
    if (!mayCreateSessionTransferToken(client)) {
      return refuse("unauthorized_client", "The client is not allowed to create session transfer tokens.");
    }
    const token = this.issue({ accountId: refreshToken.accountId, clientId: client.clientId, ip });
    return { ok: true, token, expiresIn: SESSION_TRANSFER_TOKEN_TTL_S };
  }

  private decideRedemption(
    token: string,
    method: SessionTransferMethod,
    client: DeclaredClient,
    ip: string,
  ): Redemption {
    if (!acceptsMethod(client, method)) return { kind: "refused", reason: "method_not_allowed" };
    const record = this.tokens.get(token);
    if (!record) return { kind: "refused", reason: "invalid_token" };
    if (record.used) return { kind: "refused", reason: "token_already_used" };
    if (this.options.clock.now() >= record.expiresAt) return { kind: "refused", reason: "token_expired" };
    const mismatch = bindingRefusal(
      client.sessionTransfer.enforceDeviceBinding,
      record,
      ip,
      this.options.asns,
    );
    if (mismatch) return { kind: "refused", reason: mismatch };
    record.used = true;
    return {
      kind: "accepted",
      accountId: record.accountId,
      nativeClientId: record.clientId,
      createdFromIp: record.ip,
    };
  }

  private emit(event: SessionTransferEvent): void {
    this.options.onEvent?.(event);
  }
}

function refuse(error: ExchangeRefusal["error"], description: string): ExchangeResult {
  return { ok: false, status: 403, error, description };
}
