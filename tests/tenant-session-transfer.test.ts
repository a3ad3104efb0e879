/**
 * The Auth0 stand-in behaves as Auth0 documents (not a test of the product): its one
 * implementation of session transfer tokens, without HTTP: what the exchange mints, what
 * `/authorize` honours, and what each decision reports. The pages each rule comes from are cited
 * in `testkit/tenant/session-transfer.ts` ([D1], [D2], [MAPI], [EOC]).
 */

import { describe, expect, it } from "vitest";
import type { DeclaredClient, SessionTransferSettings } from "../testkit/tenant/clients";
import { ClientRegistry, providerClient } from "../testkit/tenant/clients";
import {
  acceptsMethod,
  bindingRefusal,
  mayCreateSessionTransferToken,
  normalizeIp,
  SESSION_TRANSFER_TOKEN_TTL_S,
  sessionTransferAudience,
  SessionTransfers,
  TenantClock,
  type ExchangeRequest,
  type PresentedRefreshToken,
  type SessionTransferEvent,
} from "../testkit/tenant/session-transfer";

const AUDIENCE = sessionTransferAudience("acme.test");
const PHONE = "198.51.100.7";
const SAME_CARRIER = "198.51.100.99";
const OTHER_CARRIER = "203.0.113.5";

function client(
  clientId: string,
  appType: DeclaredClient["appType"],
  sessionTransfer: Partial<SessionTransferSettings>,
): DeclaredClient {
  return {
    resourceName: `${clientId}-client`,
    clientId,
    clientSecret: appType === "native" ? undefined : "s3cret",
    appType,
    tokenEndpointAuthMethod: appType === "native" ? "none" : "client_secret_basic",
    grantTypes: ["authorization_code", "refresh_token"],
    callbacks: [`https://${clientId}.test/callback`],
    allowedLogoutUrls: [],
    allowedOrigins: [],
    isFirstParty: true,
    refreshTokenRotation: "rotating",
    sessionTransfer: {
      canCreateSessionTransferToken: false,
      allowedAuthenticationMethods: [],
      enforceDeviceBinding: "asn",
      allowRefreshToken: false,
      enforceOnlineRefreshTokens: true,
      enforceCascadeRevocation: true,
      ...sessionTransfer,
    },
  };
}

const native = client("native", "native", { canCreateSessionTransferToken: true });
const web = client("web", "regular_web", { allowedAuthenticationMethods: ["cookie", "query"] });

function refreshTokenOf(
  c: DeclaredClient,
  overrides: Partial<PresentedRefreshToken> = {},
): PresentedRefreshToken {
  return { accountId: "auth0|ada", clientId: c.clientId, grantId: "grant-1", spent: false, ...overrides };
}

function setUp() {
  const clock = new TenantClock();
  const asns = new Map([
    [PHONE, 64_500],
    [SAME_CARRIER, 64_500],
    [OTHER_CARRIER, 64_501],
  ]);
  const events: SessionTransferEvent[] = [];
  let counter = 0;
  const transfers = new SessionTransfers({
    audience: AUDIENCE,
    clock,
    asns,
    newToken: () => `stt-${++counter}`,
    onEvent: (e) => events.push(e),
  });
  const exchange = (overrides: Partial<ExchangeRequest> = {}) =>
    transfers.exchange({
      audience: AUDIENCE,
      client: native,
      refreshToken: refreshTokenOf(native),
      ip: PHONE,
      ...overrides,
    });
  const minted = (overrides: Partial<ExchangeRequest> = {}): string => {
    const result = exchange(overrides);
    if (!result.ok) throw new Error(`exchange refused: ${result.error}`);
    return result.token;
  };
  return { clock, asns, events, transfers, exchange, minted };
}

describe("the stand-in behaves as Auth0 documents: the refresh token exchange [D1, D2, MAPI]", () => {
  it("mints a token that lives 60 seconds for a client that may create one", () => {
    const { exchange } = setUp();
    expect(exchange()).toEqual({ ok: true, token: "stt-1", expiresIn: SESSION_TRANSFER_TOKEN_TTL_S });
    expect(SESSION_TRANSFER_TOKEN_TTL_S).toBe(60);
  });

  it("answers another audience with access_denied, naming it", () => {
    const { exchange } = setUp();
    expect(exchange({ audience: "urn:other.test:session_transfer" })).toEqual({
      ok: false,
      status: 403,
      error: "access_denied",
      description: "Service not found: urn:other.test:session_transfer",
    });
  });

  it.each([
    ["an unknown client", { client: undefined }],
    ["an unknown refresh token", { refreshToken: undefined }],
    ["another client's refresh token", { refreshToken: refreshTokenOf(web) }],
    ["a spent refresh token", { refreshToken: refreshTokenOf(native, { spent: true }) }],
  ] as const)("refuses %s as invalid_grant", (_what, overrides) => {
    const { exchange } = setUp();
    expect(exchange(overrides)).toMatchObject({
      ok: false,
      status: 403,
      error: "invalid_grant",
      description: "Unknown or invalid refresh token.",
    });
  });

  it("refuses a client that may not create session transfer tokens", () => {
    const { exchange } = setUp();
    expect(mayCreateSessionTransferToken(web)).toBe(false);
    expect(mayCreateSessionTransferToken(native)).toBe(true);
    expect(exchange({ client: web, refreshToken: refreshTokenOf(web) })).toEqual({
      ok: false,
      status: 403,
      error: "unauthorized_client",
      description: "The client is not allowed to create session transfer tokens.",
    });
  });

  it("never mints from a refresh token of a session a session transfer started, whichever client asks", () => {
    const { exchange, transfers } = setUp();
    transfers.rememberTransferGrant("grant-1");
    expect(transfers.startedByTransfer("grant-1")).toBe(true);
    const expected = {
      ok: false,
      error: "invalid_grant",
      description:
        "A refresh token that originated from a session transfer cannot create a session transfer token.",
    };
    expect(exchange()).toMatchObject(expected);
    expect(exchange({ client: web, refreshToken: refreshTokenOf(web) })).toMatchObject(expected);
    expect(exchange({ refreshToken: refreshTokenOf(native, { grantId: "grant-2" }) }).ok).toBe(true);
  });

  it("forgets its tokens and transfer-born grants on reset", () => {
    const { minted, transfers } = setUp();
    const token = minted();
    transfers.rememberTransferGrant("grant-9");
    transfers.reset();
    expect(transfers.startedByTransfer("grant-9")).toBe(false);
    expect(transfers.redeem(token, "query", web, PHONE)).toEqual({
      kind: "refused",
      reason: "invalid_token",
    });
  });
});

describe("the stand-in behaves as Auth0 documents: a session transfer token at /authorize [D1, MAPI, EOC]", () => {
  it("signs the token's account in once, then refuses it as already used", () => {
    const { minted, transfers } = setUp();
    const token = minted();
    expect(transfers.redeem(token, "cookie", web, PHONE)).toEqual({
      kind: "accepted",
      accountId: "auth0|ada",
      // What post-login Actions are told: the native client that created the token, and from where.
      nativeClientId: native.clientId,
      createdFromIp: PHONE,
    });
    expect(transfers.redeem(token, "cookie", web, PHONE)).toEqual({
      kind: "refused",
      reason: "token_already_used",
    });
  });

  it("holds a token minted directly (the local issuer's) to the same rules: single use, 60 s, bound to its address", () => {
    const { transfers, clock } = setUp();
    const ipBound = {
      ...web,
      sessionTransfer: { ...web.sessionTransfer, enforceDeviceBinding: "ip" as const },
    };
    const token = transfers.issue({ accountId: "auth0|ada", clientId: native.clientId, ip: PHONE });
    expect(transfers.redeem(token, "query", ipBound, SAME_CARRIER)).toEqual({
      kind: "refused",
      reason: "ip_mismatch",
    });
    expect(transfers.redeem(token, "query", ipBound, PHONE)).toEqual({
      kind: "accepted",
      accountId: "auth0|ada",
      nativeClientId: native.clientId,
      createdFromIp: PHONE,
    });
    expect(transfers.redeem(token, "query", ipBound, PHONE)).toEqual({
      kind: "refused",
      reason: "token_already_used",
    });
    const late = transfers.issue({ accountId: "auth0|ada", clientId: native.clientId, ip: PHONE });
    clock.advance(SESSION_TRANSFER_TOKEN_TTL_S);
    expect(transfers.redeem(late, "cookie", ipBound, PHONE)).toEqual({
      kind: "refused",
      reason: "token_expired",
    });
  });

  it("refuses an unknown token", () => {
    const { transfers } = setUp();
    expect(transfers.redeem("forged", "query", web, PHONE)).toEqual({
      kind: "refused",
      reason: "invalid_token",
    });
  });

  it("refuses the token at 60 s on the tenant's clock, and accepts it just before", () => {
    const first = setUp();
    const early = first.minted();
    first.clock.advance(SESSION_TRANSFER_TOKEN_TTL_S - 1);
    expect(first.transfers.redeem(early, "query", web, PHONE).kind).toBe("accepted");

    const second = setUp();
    const late = second.minted();
    second.clock.advance(SESSION_TRANSFER_TOKEN_TTL_S);
    expect(second.transfers.redeem(late, "query", web, PHONE)).toEqual({
      kind: "refused",
      reason: "token_expired",
    });
  });

  it("accepts only the methods the client lists, before looking at the token", () => {
    const cookieOnly = client("cookie-web", "regular_web", { allowedAuthenticationMethods: ["cookie"] });
    expect(acceptsMethod(cookieOnly, "cookie")).toBe(true);
    expect(acceptsMethod(cookieOnly, "query")).toBe(false);
    const { minted, transfers } = setUp();
    const token = minted();
    expect(transfers.redeem(token, "query", cookieOnly, PHONE)).toEqual({
      kind: "refused",
      reason: "method_not_allowed",
    });
    // The refusal did not spend the token.
    expect(transfers.redeem(token, "cookie", cookieOnly, PHONE).kind).toBe("accepted");
  });

  it("asn binding: accepts another IP of the same system, refuses another system and unknown addresses", () => {
    const { minted, transfers, asns } = setUp();
    expect(transfers.redeem(minted(), "query", web, SAME_CARRIER).kind).toBe("accepted");
    expect(transfers.redeem(minted(), "query", web, OTHER_CARRIER)).toEqual({
      kind: "refused",
      reason: "asn_mismatch",
    });
    expect(transfers.redeem(minted(), "query", web, "192.0.2.1")).toEqual({
      kind: "refused",
      reason: "asn_mismatch",
    });
    // A token made from an address outside the table binds to no system at all.
    asns.delete(PHONE);
    expect(transfers.redeem(minted(), "query", web, PHONE)).toEqual({
      kind: "refused",
      reason: "asn_mismatch",
    });
  });

  it("ip binding: refuses another IP even of the same system; none: accepts any address", () => {
    const ipBound = client("ip-web", "regular_web", {
      allowedAuthenticationMethods: ["query"],
      enforceDeviceBinding: "ip",
    });
    const unbound = client("free-web", "regular_web", {
      allowedAuthenticationMethods: ["query"],
      enforceDeviceBinding: "none",
    });
    const { minted, transfers } = setUp();
    expect(transfers.redeem(minted(), "query", ipBound, SAME_CARRIER)).toEqual({
      kind: "refused",
      reason: "ip_mismatch",
    });
    expect(transfers.redeem(minted(), "query", ipBound, PHONE).kind).toBe("accepted");
    expect(transfers.redeem(minted(), "query", unbound, OTHER_CARRIER).kind).toBe("accepted");
  });

  it("compares bindings as pure rules", () => {
    const asns = new Map([["10.0.0.1", 1]]);
    const created = { ip: "10.0.0.1", asn: 1 };
    expect(bindingRefusal("ip", created, "10.0.0.1", asns)).toBeUndefined();
    expect(bindingRefusal("ip", created, "10.0.0.2", asns)).toBe("ip_mismatch");
    expect(bindingRefusal("asn", created, "10.0.0.1", asns)).toBeUndefined();
    expect(bindingRefusal("asn", { ip: "10.0.0.3", asn: undefined }, "10.0.0.1", asns)).toBe("asn_mismatch");
    expect(bindingRefusal("none", created, "10.9.9.9", asns)).toBeUndefined();
    expect(normalizeIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeIp("::1")).toBe("::1");
  });
});

describe("the stand-in behaves as Auth0 documents: what it reports for its log events [D1]", () => {
  it("reports every exchange and every presented token, without the token", () => {
    const { exchange, minted, transfers, events } = setUp();
    const token = minted();
    exchange({ client: web, refreshToken: refreshTokenOf(web) });
    transfers.redeem(token, "cookie", web, PHONE);
    transfers.redeem(token, "cookie", web, PHONE);
    expect(events.map((e) => e.type)).toEqual([
      "exchange_succeeded",
      "exchange_failed",
      "authorize_accepted",
      "authorize_refused",
    ]);
    expect(events[0]).toMatchObject({ client: native, ip: PHONE, asn: 64_500 });
    expect(events[1]).toMatchObject({ client: web, refusal: { error: "unauthorized_client" } });
    expect(events[2]).toMatchObject({ client: web, method: "cookie", ip: PHONE });
    expect(events[3]).toMatchObject({ reason: "token_already_used" });
    expect(JSON.stringify(events)).not.toContain(token);
  });
});

describe("the stand-in behaves as Auth0 documents: its clients [MAPI]", () => {
  it("finds clients by ID only for a single string, and keeps their order", () => {
    const registry = new ClientRegistry([native, web]);
    expect(registry.all()).toEqual([native, web]);
    expect(registry.find("web")).toBe(web);
    expect(registry.find(["web", "web"])).toBeUndefined();
    expect(registry.find("nobody")).toBeUndefined();
    const second = client("native-2", "native", { canCreateSessionTransferToken: true });
    registry.replace([native, second, web]);
    expect(registry.find("native-2")).toBe(second);
  });

  it("registers a native client as a public native application and a web client with its secret", () => {
    expect(providerClient(native)).toEqual({
      client_id: "native",
      client_name: "native-client",
      application_type: "native",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: ["https://native.test/callback"],
    });
    expect(providerClient({ ...web, initiateLoginUri: "https://web.test/login" })).toMatchObject({
      client_secret: "s3cret",
      application_type: "web",
      post_logout_redirect_uris: [],
      initiate_login_uri: "https://web.test/login",
    });
  });
});
