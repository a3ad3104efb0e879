/**
 * The post-login Action's policy and the pattern of its refusals (`model/transferred-sessions.ts`),
 * as plain values: only the lifetimes asked for, the native and web client lists deduplicated and
 * sorted (a stack's clients in any order give the same Action), and the exact EventBridge pattern.
 */
import { describe, expect, it } from "vitest";
import { AUTH0_LOG_DETAIL_TYPE, AUTH0_PARTNER_SOURCE_PREFIX } from "../model/sso-event-patterns";
import {
  actionRefusalPattern,
  TRANSFER_REFUSAL_PREFIX,
  transferredSessionPolicy,
  unknownNativeClientReason,
} from "../model/transferred-sessions";

describe("transferredSessionPolicy", () => {
  it("holds only the lifetimes the stack asks for", () => {
    const none = { lifetimeSeconds: undefined, idleLifetimeSeconds: undefined, refuseUndeclared: false };
    expect(transferredSessionPolicy(none, ["n"], ["w"])).toEqual({});
    expect(Object.keys(transferredSessionPolicy(none, ["n"], ["w"]))).toEqual([]);
    expect(transferredSessionPolicy({ ...none, lifetimeSeconds: 3600 }, [], [])).toEqual({
      lifetimeSeconds: 3600,
    });
    expect(transferredSessionPolicy({ ...none, idleLifetimeSeconds: 900 }, [], [])).toEqual({
      idleLifetimeSeconds: 900,
    });
    expect(Object.keys(transferredSessionPolicy({ ...none, lifetimeSeconds: 60 }, [], []))).toEqual([
      "lifetimeSeconds",
    ]);
  });

  it("lists every native client once, sorted, with every web client once, sorted, when it refuses", () => {
    const policy = transferredSessionPolicy(
      { lifetimeSeconds: undefined, idleLifetimeSeconds: undefined, refuseUndeclared: true },
      ["native-ios", "native-android", "native-ios"],
      ["web-b", "web-a", "web-b"],
    );
    expect(JSON.stringify(policy)).toBe(
      '{"redeemableAt":{"native-android":["web-a","web-b"],"native-ios":["web-a","web-b"]}}',
    );
  });
});

describe("actionRefusalPattern", () => {
  it("matches a failed login at one of the stack's web clients whose reason is the Action's", () => {
    expect(actionRefusalPattern(["web-b", "web-a", "web-b"])).toEqual({
      source: [{ prefix: AUTH0_PARTNER_SOURCE_PREFIX }],
      "detail-type": [AUTH0_LOG_DETAIL_TYPE],
      detail: {
        data: {
          type: ["f"],
          client_id: ["web-a", "web-b"],
          description: [{ prefix: TRANSFER_REFUSAL_PREFIX }],
        },
      },
    });
  });

  it("refuses no web client, or an empty client ID among others", () => {
    const message = "The Action refusal pattern needs at least one web client ID, and no empty one.";
    expect(() => actionRefusalPattern([])).toThrow(message);
    expect(() => actionRefusalPattern(["web-a", ""])).toThrow(message);
  });

  it("gives a reason that starts with the prefix, names the client and says what to do", () => {
    const reason = unknownNativeClientReason("abc123");
    expect(reason.startsWith(`${TRANSFER_REFUSAL_PREFIX} `)).toBe(true);
    expect(reason).toContain("(client abc123)");
    expect(reason.endsWith("Sign in with your password instead.")).toBe(true);
  });
});
