/**
 * A local Auth0 tenant: a real OpenID provider (`oidc-provider`) over HTTPS under a tenant host
 * name, with Auth0's Native to Web SSO on top (the rules: `./session-transfer.ts`):
 *
 * - `POST /oauth/token` with `grant_type=refresh_token` and `audience=urn:<domain>:session_transfer`
 *   exchanges a refresh token for a session transfer token (`./exchange.ts`);
 * - `GET /authorize` takes it from the `auth0_session_transfer_token` cookie or the
 *   `session_transfer_token` parameter (`./authorize.ts`) and signs the user in without a prompt,
 *   or shows the login page with the reason (`./interactions.ts`);
 * - refresh tokens of a session that a session transfer token started are issued only when the
 *   client's `allow_refresh_token` is true, and can never create another session transfer token.
 *
 * Its clients are whatever the caller registers ({@link LocalTenant.configure} replaces them).
 */

import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type Provider from "oidc-provider";
import { closeServer, providerKeys } from "./oidc";
import { ClientRegistry, type DeclaredClient } from "./clients";
import type { PasswordLogin, TenantContext, TenantUser } from "./context";
import { loadAction, SessionLimits } from "../post-login-actions";
import { interaction } from "./interactions";
import { html } from "./pages";
import { buildTenantProvider } from "./provider";
import {
  SessionTransfers,
  sessionTransferAudience,
  TenantClock,
  type SessionTransferEvent,
} from "./session-transfer";

export type { PasswordLogin, TenantUser } from "./context";

/** A running tenant. */
export interface LocalTenant {
  /** `https://<tenant host>/`, with Auth0's trailing slash. */
  readonly issuer: string;
  readonly host: string;
  readonly clock: TenantClock;
  /** The test user; sign in with its email and password. */
  readonly user: TenantUser;
  /** Every request as `METHOD /path status`, and every session transfer decision: never a token. */
  readonly log: string[];
  /** The clients currently registered, exactly as given. */
  clients(): readonly DeclaredClient[];
  /** Registers these clients instead; sessions and tokens start afresh. */
  configure(clients: readonly DeclaredClient[]): void;
  /** Sets the autonomous system an IP address belongs to (the tenant's IP-to-ASN table). */
  setAsn(ip: string, asn: number): void;
  close(): Promise<void>;
}

/** Options of {@link startTenant}. */
export interface TenantOptions {
  /** The tenant's host name: its issuer is `https://<host>/`. */
  readonly host: string;
  readonly clients: readonly DeclaredClient[];
  /** Loopback address to listen on (port 443). */
  readonly address: string;
  /** Server certificate and key (PEM) for the host name. */
  readonly certificate: { readonly cert: string; readonly key: string };
  /** Told of every session transfer decision (exchanges, tokens at `/authorize`). */
  readonly onEvent?: (event: SessionTransferEvent) => void;
  /** Told of every login with the user's password (an ordinary login, no session transfer). */
  readonly onPasswordLogin?: (login: PasswordLogin) => void;
  /**
   * Post-login Actions: the code of each Action bound to `post-login`, in order
   * (`../post-login-actions.ts` `postLoginActionCodes`). Default: none.
   */
  readonly postLoginActions?: readonly string[];
}

/** The log line of a session transfer decision: names the client and the reason, never the token. */
export function describeEvent(event: SessionTransferEvent): string {
  switch (event.type) {
    case "exchange_succeeded":
      return `session transfer token issued to ${event.client.resourceName} from ${event.ip}`;
    case "exchange_failed":
      return `session transfer token refused to ${event.client?.resourceName ?? "an unknown client"}: ${event.refusal.error}`;
    case "authorize_accepted":
      return `session transfer by ${event.method} for ${event.client.resourceName}: accepted`;
    case "authorize_refused":
      return `session transfer by ${event.method} for ${event.client.resourceName}: ${event.reason}`;
  }
}

/** Starts the tenant on `<address>:443` with the given clients. */
export async function startTenant(options: TenantOptions): Promise<LocalTenant> {
  const { host } = options;
  const issuer = `https://${host}/`;
  const clock = new TenantClock();
  const log: string[] = [];
  const asns = new Map<string, number>();
  const user: TenantUser = {
    sub: "auth0|e2e-ada",
    email: "ada@acme.test",
    password: randomBytes(12).toString("base64url"),
    name: "Ada Lovelace",
  };
  // One signing key and cookie key for the tenant's life: the web app caches the JWKS it discovered.
  const keys = providerKeys("e2e");
  let provider: Provider | undefined;
  let handle: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;

  const tenant: TenantContext = {
    host,
    issuer,
    clock,
    user,
    log,
    clients: new ClientRegistry(),
    transfers: new SessionTransfers({
      audience: sessionTransferAudience(host),
      clock,
      asns,
      onEvent: (event) => {
        log.push(describeEvent(event));
        options.onEvent?.(event);
      },
    }),
    redemptions: new Map(),
    presented: new WeakSet(),
    onPasswordLogin: (login) => options.onPasswordLogin?.(login),
    postLogin: {
      actions: (options.postLoginActions ?? []).map((code) => loadAction(code, clock)),
      limits: new SessionLimits(),
    },
    provider: () => {
      if (!provider) throw new Error("the tenant has no provider yet");
      return provider;
    },
  };

  const configure = (clients: readonly DeclaredClient[]): void => {
    tenant.clients.replace(clients);
    provider = buildTenantProvider(tenant, keys);
    handle = provider.callback();
    tenant.transfers.reset();
    tenant.redemptions.clear();
  };
  configure(options.clients);

  const server: Server = createServer(
    { cert: options.certificate.cert, key: options.certificate.key },
    (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? "/", issuer).pathname;
      res.on("finish", () => log.push(`${req.method ?? "GET"} ${path} ${res.statusCode}`));
      if (path.startsWith("/interaction/")) {
        interaction(tenant, req, res, path).catch((error: unknown) => {
          log.push(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
          if (!res.headersSent) html(res, 500, "Error", "<h1>Something went wrong</h1>");
        });
        return;
      }
      handle(req, res);
    },
  );
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
    clients: () => tenant.clients.all(),
    configure,
    setAsn: (ip, asn) => void asns.set(ip, asn),
    close: () => closeServer(server),
  };
}
