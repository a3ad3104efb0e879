import { describe, expect, it } from "vitest";
import {
  EVENT_PATTERN_MAX_CHARS,
  SESSION_TRANSFER_WARNINGS,
  SSO_OUTCOMES,
  ssoEventPatterns,
  type SsoOutcome,
  type SsoPatternScope,
} from "../model/sso-event-patterns";
import {
  deliver,
  logData,
  sessionTransferLogs as logs,
  type Auth0EventBridgeEvent,
  type LogContext,
} from "../testkit/auth0-log-events";
import { matchesEventPattern } from "../testkit/event-pattern-matcher";
import { AUTH0_SUCCESSFUL_LOGIN, AWS_EC2_STATE_CHANGE } from "./fixtures/published-events";

const AUDIENCE = "urn:login.acme.test:session_transfer";
const SITE = { tenant: "acme-prod", account: "123456789012", region: "eu-west-1" };
const SCOPE: SsoPatternScope = {
  sessionTransferAudience: AUDIENCE,
  nativeClientIds: ["ios-native-client-0000000001", "android-native-client-000002"],
  webClientIds: ["shop-web-client-00000000003", "shop-spa-client-00000000004"],
};
const ctx = (clientId: string, extra: Partial<LogContext> = {}): LogContext => ({
  tenant: SITE.tenant,
  hostname: "login.acme.test",
  clientId,
  clientName: clientId,
  ip: "203.0.113.7",
  userId: "auth0|ada",
  ...extra,
});
const [IOS, ANDROID] = SCOPE.nativeClientIds;
const [WEB, SPA] = SCOPE.webClientIds;
const OTHER_NATIVE = "other-app-native-client-0005";
const OTHER_WEB = "other-app-web-client-0000006";

/** Which rules an event fires, evaluated by the matcher on the stack's own patterns. */
function outcomesOf(event: Auth0EventBridgeEvent, scope = SCOPE): SsoOutcome[] {
  const patterns = ssoEventPatterns(scope);
  return SSO_OUTCOMES.filter((o) => matchesEventPattern(JSON.stringify(patterns[o]), JSON.stringify(event)));
}

const CASES: { name: string; event: Auth0EventBridgeEvent; counted: SsoOutcome[] }[] = [
  {
    name: "iOS exchange",
    event: deliver(SITE, logs.exchangeSucceeded(ctx(IOS), AUDIENCE)),
    counted: ["exchangeSucceeded"],
  },
  {
    name: "Android exchange",
    event: deliver(SITE, logs.exchangeSucceeded(ctx(ANDROID), AUDIENCE)),
    counted: ["exchangeSucceeded"],
  },
  {
    name: "exchange refused: client may not create tokens",
    event: deliver(SITE, logs.exchangeFailed(ctx(IOS), AUDIENCE, "Unauthorized client")),
    counted: ["exchangeFailed"],
  },
  {
    name: "exchange refused: refresh token born of a transfer (presented by the web client)",
    event: deliver(SITE, logs.exchangeFailed(ctx(WEB), AUDIENCE, "Invalid refresh token")),
    counted: ["exchangeFailed"],
  },
  {
    name: "exchange refused: rotated refresh token replayed",
    event: deliver(SITE, logs.rotatingExchangeFailed(ctx(ANDROID), AUDIENCE)),
    counted: ["exchangeFailed"],
  },
  {
    name: "web sign-in by transfer",
    event: deliver(SITE, logs.login(ctx(WEB), true)),
    counted: ["handOverRedeemed"],
  },
  {
    name: "SPA sign-in by transfer",
    event: deliver(SITE, logs.login(ctx(SPA), true)),
    counted: ["handOverRedeemed"],
  },
  {
    name: "token expired or reused",
    event: deliver(SITE, logs.warning(ctx(WEB), SESSION_TRANSFER_WARNINGS.notFoundOrExpired)),
    counted: ["tokenNotFoundOrExpired"],
  },
  {
    name: "IP/ASN mismatch",
    event: deliver(SITE, logs.warning(ctx(WEB), SESSION_TRANSFER_WARNINGS.bindingMismatch)),
    counted: ["bindingMismatch"],
  },
  {
    name: "parent refresh token revoked",
    event: deliver(SITE, logs.warning(ctx(SPA), SESSION_TRANSFER_WARNINGS.parentRevoked)),
    counted: ["parentRefreshTokenRevoked"],
  },
  {
    name: "organization mismatch",
    event: deliver(SITE, logs.warning(ctx(WEB), SESSION_TRANSFER_WARNINGS.organizationMismatch)),
    counted: ["organizationOrUserMismatch"],
  },
  {
    name: "user mismatch",
    event: deliver(SITE, logs.warning(ctx(WEB), SESSION_TRANSFER_WARNINGS.userMismatch)),
    counted: ["organizationOrUserMismatch"],
  },
  // Not session transfer, or not this stack's: never counted.
  { name: "ordinary web login", event: deliver(SITE, logs.login(ctx(WEB), false)), counted: [] },
  {
    name: "ordinary refresh (another audience)",
    event: deliver(SITE, logs.exchangeSucceeded(ctx(IOS), "https://api.acme.test/")),
    counted: [],
  },
  {
    name: "ordinary refresh failure (another audience)",
    event: deliver(SITE, logs.exchangeFailed(ctx(IOS), "https://api.acme.test/", "Invalid refresh token")),
    counted: [],
  },
  {
    name: "another app's transfer exchange in the same tenant",
    event: deliver(SITE, logs.exchangeSucceeded(ctx(OTHER_NATIVE), AUDIENCE)),
    counted: [],
  },
  {
    name: "another app's failed transfer exchange",
    event: deliver(SITE, logs.exchangeFailed(ctx(OTHER_NATIVE), AUDIENCE, "Unauthorized client")),
    counted: [],
  },
  {
    name: "another app's sign-in by transfer",
    event: deliver(SITE, logs.login(ctx(OTHER_WEB), true)),
    counted: [],
  },
  {
    name: "another app's session transfer warning",
    event: deliver(SITE, logs.warning(ctx(OTHER_WEB), SESSION_TRANSFER_WARNINGS.bindingMismatch)),
    counted: [],
  },
  {
    name: "a session transfer warning for a native client (not an /authorize of this web app)",
    event: deliver(SITE, logs.warning(ctx(IOS), SESSION_TRANSFER_WARNINGS.bindingMismatch)),
    counted: [],
  },
  {
    name: "an unrelated warning on the web client",
    event: deliver(
      SITE,
      logs.warning(
        ctx(WEB),
        "You are using Auth0 development keys which are only intended for use in development.",
      ),
    ),
    counted: [],
  },
  {
    name: "a failed login that merely mentions the token",
    event: deliver(SITE, logData(ctx(WEB), "f", SESSION_TRANSFER_WARNINGS.bindingMismatch)),
    counted: [],
  },
];

describe("session transfer event patterns, evaluated on Auth0 events as delivered to EventBridge", () => {
  for (const c of CASES) {
    it(`${c.name}: counted by ${c.counted.join(", ") || "no rule"}`, () => {
      expect(outcomesOf(c.event)).toEqual(c.counted);
    });
  }

  it("counts an event only from Auth0's partner source and with Auth0's detail-type", () => {
    const event = deliver(SITE, logs.exchangeSucceeded(ctx(IOS), AUDIENCE));
    expect(outcomesOf({ ...event, source: "acme.forged" })).toEqual([]);
    expect(outcomesOf({ ...event, "detail-type": "Something else" })).toEqual([]);
  });

  it("counts each outcome of this stack with exactly one rule, and every rule counts something", () => {
    const counted = CASES.flatMap((c) => c.counted);
    for (const outcome of SSO_OUTCOMES) expect(counted, outcome).toContain(outcome);
    for (const c of CASES) expect(c.counted.length).toBeLessThanOrEqual(1);
  });

  it("matches the audience exactly: a custom-domain stack does not count the canonical domain's exchanges", () => {
    const canonical = deliver(
      SITE,
      logs.exchangeSucceeded(ctx(IOS), "urn:acme-prod.eu.auth0.com:session_transfer"),
    );
    expect(outcomesOf(canonical)).toEqual([]);
  });

  it("refuses a scope without native or web clients, naming what is missing", () => {
    expect(() => ssoEventPatterns({ ...SCOPE, nativeClientIds: [] })).toThrow(
      /at least one native client ID/,
    );
    expect(() => ssoEventPatterns({ ...SCOPE, webClientIds: [""] })).toThrow(
      /web client ID, and no empty one/,
    );
  });

  it("refuses patterns over EventBridge's size quota instead of failing at deploy time", () => {
    const many = Array.from({ length: 80 }, (_, i) => `native-client-${String(i).padStart(18, "0")}`);
    expect(JSON.stringify(many).length).toBeGreaterThan(EVENT_PATTERN_MAX_CHARS);
    expect(() => ssoEventPatterns({ ...SCOPE, nativeClientIds: many })).toThrow(/over EventBridge's 2048/);
  });

  it("renders the same patterns whatever the order of the client IDs (no diff on a reordered config)", () => {
    const reordered = { ...SCOPE, nativeClientIds: [...SCOPE.nativeClientIds].reverse() };
    expect(JSON.stringify(ssoEventPatterns(reordered))).toBe(JSON.stringify(ssoEventPatterns(SCOPE)));
  });
});

describe("session transfer event patterns, on events others published", () => {
  /** The published login's own client, in scope as one of the stack's web clients. */
  const PUBLISHED_CLIENT = AUTH0_SUCCESSFUL_LOGIN.detail.data.client_id;
  const scope: SsoPatternScope = { ...SCOPE, webClientIds: [...SCOPE.webClientIds, PUBLISHED_CLIENT] };

  it("counts a real tenant's ordinary password login of one of the stack's web clients with no rule", () => {
    expect(outcomesOf(AUTH0_SUCCESSFUL_LOGIN as unknown as Auth0EventBridgeEvent, scope)).toEqual([]);
  });

  it("counts that login as a hand-over once Auth0's schema field says a session transfer token triggered it", () => {
    // Our one edit of the published event: the field Auth0's logs schema gives `s` for a transfer
    // (auth0/docs-v2 main/docs/oas/tenant-logs/logs-schema.json, details.triggered_by_session_transfer_token).
    const data = AUTH0_SUCCESSFUL_LOGIN.detail.data;
    const transferred = {
      ...AUTH0_SUCCESSFUL_LOGIN,
      detail: {
        ...AUTH0_SUCCESSFUL_LOGIN.detail,
        data: { ...data, details: { ...data.details, triggered_by_session_transfer_token: true } },
      },
    } as unknown as Auth0EventBridgeEvent;
    expect(outcomesOf(transferred, scope)).toEqual(["handOverRedeemed"]);
    // Outside the stack's clients it stays uncounted: the rules are the stack's, not the tenant's.
    expect(outcomesOf(transferred)).toEqual([]);
  });

  it("counts AWS's documented example event with no rule", () => {
    expect(outcomesOf(AWS_EC2_STATE_CHANGE as unknown as Auth0EventBridgeEvent)).toEqual([]);
  });
});
