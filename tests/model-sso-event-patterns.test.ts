import { describe, expect, it } from "vitest";
import {
  EVENT_PATTERN_MAX_CHARS,
  OUTCOME_DESCRIPTIONS,
  SESSION_TRANSFER_WARNINGS,
  SSO_OUTCOMES,
  ssoEventPatterns,
  type SsoPatternScope,
} from "../model/sso-event-patterns.js";
import { matchesEventPattern } from "../testkit/event-pattern-matcher.js";
import { AUTH0_SUCCESSFUL_LOGIN, AWS_EC2_STATE_CHANGE } from "./fixtures/published-events.js";

// The patterns as functions of the stack's clients, held to events published by others.

const scope: SsoPatternScope = {
  sessionTransferAudience: "urn:login.example.com:session_transfer",
  nativeClientIds: ["native-b", "native-a"],
  webClientIds: ["web-b", "web-a"],
};

/** The published login as the stack's web client would log it after a session transfer. */
function transferredLogin(source: string = AUTH0_SUCCESSFUL_LOGIN.source): unknown {
  const { data } = AUTH0_SUCCESSFUL_LOGIN.detail;
  return {
    ...AUTH0_SUCCESSFUL_LOGIN,
    source,
    detail: {
      ...AUTH0_SUCCESSFUL_LOGIN.detail,
      data: {
        ...data,
        client_id: "web-a",
        details: { ...data.details, triggered_by_session_transfer_token: true },
      },
    },
  };
}

/** A `w` warning in the published envelope, for a web client of the stack. */
function warningEvent(description: string): unknown {
  const { data } = AUTH0_SUCCESSFUL_LOGIN.detail;
  return {
    ...AUTH0_SUCCESSFUL_LOGIN,
    detail: {
      ...AUTH0_SUCCESSFUL_LOGIN.detail,
      data: { ...data, type: "w", client_id: "web-b", description },
    },
  };
}

describe("the envelope of every pattern", () => {
  it("matches an Auth0 log stream event as a real tenant delivered it", () => {
    expect(matchesEventPattern(ssoEventPatterns(scope).handOverRedeemed, transferredLogin())).toBe(true);
  });

  it("does not match the same log from a source that is not an Auth0 partner source", () => {
    const patterns = ssoEventPatterns(scope);
    expect(
      matchesEventPattern(patterns.handOverRedeemed, transferredLogin(AWS_EC2_STATE_CHANGE.source)),
    ).toBe(false);
    expect(
      matchesEventPattern(patterns.handOverRedeemed, {
        ...(transferredLogin() as object),
        "detail-type": "x",
      }),
    ).toBe(false);
  });
});

describe("client IDs", () => {
  it("are listed once and sorted, so the rendered rule does not change with the order of the config", () => {
    const patterns = ssoEventPatterns({ ...scope, webClientIds: ["web-b", "web-a", "web-b"] });
    const data = (p: unknown) => (p as { detail: { data: { client_id: string[] } } }).detail.data.client_id;
    expect(data(patterns.handOverRedeemed)).toEqual(["web-a", "web-b"]);
    expect(data(patterns.exchangeSucceeded)).toEqual(["native-a", "native-b", "web-a", "web-b"]);
  });

  it("refuses an empty client ID among others", () => {
    expect(() => ssoEventPatterns({ ...scope, webClientIds: ["web-a", ""] })).toThrow(/no empty one/);
    expect(() => ssoEventPatterns({ ...scope, nativeClientIds: [] })).toThrow(/at least one native/);
  });
});

describe("warning patterns", () => {
  it("match the first sentence of Auth0's warning, with whatever detail Auth0 adds after it", () => {
    const patterns = ssoEventPatterns(scope);
    const sentence = SESSION_TRANSFER_WARNINGS.notFoundOrExpired.split(". ")[0] + ".";
    const prefixes = (patterns.tokenNotFoundOrExpired as { detail: { data: { description: unknown } } })
      .detail.data.description;
    expect(prefixes).toEqual([{ prefix: sentence }]);
    expect(
      matchesEventPattern(patterns.tokenNotFoundOrExpired, warningEvent(`${sentence} Other detail.`)),
    ).toBe(true);
    expect(
      matchesEventPattern(
        patterns.tokenNotFoundOrExpired,
        warningEvent(SESSION_TRANSFER_WARNINGS.bindingMismatch),
      ),
    ).toBe(false);
  });
});

describe("the size of a pattern", () => {
  it("is accepted up to EventBridge's quota exactly and refused one character over it", () => {
    const largest = (s: SsoPatternScope) =>
      Math.max(...Object.values(ssoEventPatterns(s)).map((p) => JSON.stringify(p).length));
    const exchangeSize = (s: SsoPatternScope) => JSON.stringify(ssoEventPatterns(s).exchangeFailed).length;
    // A longer native ID grows only the exchange patterns, one character per character.
    const base = exchangeSize({ ...scope, nativeClientIds: ["n"] });
    const atQuota = { ...scope, nativeClientIds: ["n".repeat(1 + EVENT_PATTERN_MAX_CHARS - base)] };
    expect(largest(atQuota)).toBe(EVENT_PATTERN_MAX_CHARS);
    const over = { ...scope, nativeClientIds: [`${atQuota.nativeClientIds[0]}n`] };
    expect(() => ssoEventPatterns(over)).toThrow(/over EventBridge's 2048: .*4096-character quota/);
  });
});

describe("outcome descriptions", () => {
  it("give every outcome its own sentence for its rule and dashboard", () => {
    const sentences = SSO_OUTCOMES.map((o) => OUTCOME_DESCRIPTIONS[o]);
    for (const s of sentences) expect(s.length).toBeGreaterThan(20);
    expect(new Set(sentences).size).toBe(SSO_OUTCOMES.length);
  });
});
