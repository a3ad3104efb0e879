/**
 * The local tenant's log stream, without HTTP or a browser: each session transfer decision of the
 * tenant's rules, for the dev stack's own clients, delivered as Auth0 would, fires exactly the rule
 * of its kind among the rules the rendered stack declares. (The browser suite checks the same on
 * every scenario it plays.)
 */

import { beforeAll, describe, expect, it, vi } from "vitest";
import { readStack, type StackUnderTest } from "../e2e/stack";
import { renderStack } from "../offline/render";
import { declaredPatterns, firedRules, ruleCounts } from "../testkit/stack-rules";
import { expectedRuleOf, TenantLogStream } from "../testkit/tenant-log-stream";
import {
  sessionTransferAudience,
  SESSION_TRANSFER_TOKEN_TTL_S,
  SessionTransfers,
  TenantClock,
  type PresentedRefreshToken,
} from "../testkit/tenant/session-transfer";

const PHONE = "198.51.100.7";
const OTHER_CARRIER = "203.0.113.5";

let stack: StackUnderTest;
beforeAll(async () => {
  stack = readStack(
    await renderStack({
      stack: "dev",
      preview: false,
      loadProgram: async () => {
        vi.resetModules();
        return (await import("../index")) as Record<string, unknown>;
      },
    }),
  );
});

function tenant() {
  const clock = new TenantClock();
  const stream = new TenantLogStream(
    { tenant: "acme-dev", account: "123456789012", region: "eu-west-1" },
    sessionTransferAudience(stack.tenantHost),
    stack.tenantHost,
  );
  const transfers = new SessionTransfers({
    audience: sessionTransferAudience(stack.tenantHost),
    clock,
    asns: new Map([
      [PHONE, 64_500],
      [OTHER_CARRIER, 64_501],
    ]),
    onEvent: stream.record,
  });
  const refreshToken = (grantId = "g1", spent = false): PresentedRefreshToken => ({
    accountId: "auth0|ada",
    clientId: stack.native.clientId,
    grantId,
    spent,
  });
  const mint = (): string => {
    const r = transfers.exchange({
      audience: sessionTransferAudience(stack.tenantHost),
      client: stack.native,
      refreshToken: refreshToken(),
      ip: PHONE,
    });
    if (!r.ok) throw new Error(r.description);
    return r.token;
  };
  return { clock, stream, transfers, refreshToken, mint };
}

describe("the local tenant's log stream, run through the stack's own rules", () => {
  it("counts a hand-over, a replayed refresh token and refusals at /authorize, each by its own rule", () => {
    const t = tenant();
    const patterns = declaredPatterns(stack.model);
    const token = t.mint();
    t.transfers.exchange({
      audience: sessionTransferAudience(stack.tenantHost),
      client: stack.native,
      refreshToken: t.refreshToken("g1", true),
      ip: PHONE,
    });
    expect(t.transfers.redeem(token, "cookie", stack.web, PHONE).kind).toBe("accepted");
    t.transfers.redeem(token, "cookie", stack.web, PHONE); // reused
    t.transfers.redeem(t.mint(), "query", stack.web, OTHER_CARRIER); // another network
    const late = t.mint();
    t.clock.advance(SESSION_TRANSFER_TOKEN_TTL_S + 1);
    t.transfers.redeem(late, "query", stack.web, PHONE); // expired

    const events = t.stream.delivered.map((d) => d.delivered);
    expect(ruleCounts(patterns, events)).toEqual({
      exchangeSucceeded: 3,
      exchangeFailed: 1,
      handOverRedeemed: 1,
      tokenNotFoundOrExpired: 2,
      bindingMismatch: 1,
      parentRefreshTokenRevoked: 0,
      organizationOrUserMismatch: 0,
    });
    for (const { decision, delivered } of t.stream.delivered) {
      expect(firedRules(patterns, delivered), decision.type).toEqual([expectedRuleOf(decision)]);
    }
    // The user's own password login on the web client is an ordinary login: no rule counts it.
    t.stream.recordPasswordLogin({ client: stack.web, ip: PHONE });
    const login = t.stream.delivered.at(-1);
    expect(login?.delivered.detail.data).toMatchObject({ type: "s", client_id: stack.web.clientId });
    expect(firedRules(patterns, login?.delivered)).toEqual([]);
  });

  it("counts a refused exchange of a client that may not create tokens, and of a transfer-born refresh token", () => {
    const t = tenant();
    const patterns = declaredPatterns(stack.model);
    const notAllowed = {
      ...stack.native,
      sessionTransfer: { ...stack.native.sessionTransfer, canCreateSessionTransferToken: false },
    };
    t.transfers.exchange({
      audience: sessionTransferAudience(stack.tenantHost),
      client: notAllowed,
      refreshToken: t.refreshToken(),
      ip: PHONE,
    });
    t.transfers.rememberTransferGrant("born-of-transfer");
    t.transfers.exchange({
      audience: sessionTransferAudience(stack.tenantHost),
      client: stack.web,
      refreshToken: { ...t.refreshToken("born-of-transfer"), clientId: stack.web.clientId },
      ip: PHONE,
    });
    const counts = ruleCounts(
      patterns,
      t.stream.delivered.map((d) => d.delivered),
    );
    expect(counts.exchangeFailed).toBe(2);
    expect(counts.exchangeSucceeded).toBe(0);
  });

  it("does not count an exchange for another audience, nor a token sent by a method the client refuses", () => {
    const t = tenant();
    const patterns = declaredPatterns(stack.model);
    t.transfers.exchange({
      audience: "https://api.acme.test/",
      client: stack.native,
      refreshToken: t.refreshToken(),
      ip: PHONE,
    });
    const queryOnly = {
      ...stack.web,
      sessionTransfer: { ...stack.web.sessionTransfer, allowedAuthenticationMethods: ["query" as const] },
    };
    t.transfers.redeem("whatever", "cookie", queryOnly, PHONE);
    expect(
      Object.values(
        ruleCounts(
          patterns,
          t.stream.delivered.map((d) => d.delivered),
        ),
      ),
    ).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(t.stream.delivered).toHaveLength(1); // the refused exchange, under another audience
  });
});
