/**
 * The local tenant's log stream: every session transfer decision of the tenant (its events hook)
 * turned into the log event Auth0 writes for it, delivered in the shape an Auth0 log stream puts on
 * its EventBridge partner bus (`./auth0-log-events.ts`), so the stack's own rules can be run on
 * what a browser scenario really did.
 *
 * Which log Auth0 writes for which decision (auth0/docs-v2 configure-implement-native-to-web.mdx,
 * "Monitoring"; logs-schema.json):
 * - an exchange that minted a token: `sertft` with the session transfer audience;
 * - a refused exchange: `fertft` with the audience that was asked for (a refresh token the tenant
 *   does not know, or a replayed one, is `invalid_grant`; Auth0 may log a detected reuse as `ferrt`,
 *   which the failure rule counts too);
 * - a token accepted at `/authorize`: the login it starts, `s` with
 *   `details.triggered_by_session_transfer_token: true`;
 * - a token refused at `/authorize`: the `w` warning of its kind. A token sent by a method the web
 *   client does not accept is ignored by Auth0 without a documented log, so nothing is recorded.
 */

import { SESSION_TRANSFER_WARNINGS, type SsoOutcome } from "../model/sso-event-patterns";
import {
  deliver,
  sessionTransferLogs as logs,
  type Auth0EventBridgeEvent,
  type Auth0StreamSite,
  type LogContext,
} from "./auth0-log-events";
import type { StackModel } from "../model/rendered";
import { expectRuleCounts } from "./stack-rules";
import type { PasswordLogin } from "./tenant/context";
import type { RefusalReason, SessionTransferEvent } from "./tenant/session-transfer";

/** What the tenant decided: a session transfer step, or an ordinary login with the password. */
export type TenantDecision = SessionTransferEvent | ({ readonly type: "password_login" } & PasswordLogin);

/** The warning Auth0 logs for each refusal at `/authorize` (`undefined`: none documented). */
export const WARNING_OF_REFUSAL: Readonly<Record<RefusalReason, string | undefined>> = {
  method_not_allowed: undefined,
  invalid_token: SESSION_TRANSFER_WARNINGS.notFoundOrExpired,
  token_already_used: SESSION_TRANSFER_WARNINGS.notFoundOrExpired,
  token_expired: SESSION_TRANSFER_WARNINGS.notFoundOrExpired,
  ip_mismatch: SESSION_TRANSFER_WARNINGS.bindingMismatch,
  asn_mismatch: SESSION_TRANSFER_WARNINGS.bindingMismatch,
};

/** The one rule a decision of the tenant about this stack's clients must fire (none for a plain login). */
export function expectedRuleOf(d: TenantDecision): SsoOutcome | undefined {
  switch (d.type) {
    case "password_login":
      return undefined;
    case "exchange_succeeded":
      return "exchangeSucceeded";
    case "exchange_failed":
      return "exchangeFailed";
    case "authorize_accepted":
      return "handOverRedeemed";
    case "authorize_refused":
      return WARNING_OF_REFUSAL[d.reason] === SESSION_TRANSFER_WARNINGS.bindingMismatch
        ? "bindingMismatch"
        : "tokenNotFoundOrExpired";
  }
}

/** One recorded decision with the event delivered for it. */
export interface StreamedDecision {
  readonly decision: TenantDecision;
  readonly delivered: Auth0EventBridgeEvent;
}

/** Records what the tenant's log stream would have delivered. */
export class TenantLogStream {
  /** Everything delivered since the last {@link clear}, in order. */
  readonly delivered: StreamedDecision[] = [];

  constructor(
    private readonly site: Auth0StreamSite,
    /** `urn:<tenant host>:session_transfer`. */
    private readonly audience: string,
    private readonly hostname: string,
  ) {}

  /** The tenant's events hook. */
  readonly record = (decision: SessionTransferEvent): void => this.deliver(decision);

  /** The tenant's password-login hook: Auth0 logs an ordinary `s`, which no rule may count. */
  readonly recordPasswordLogin = (login: PasswordLogin): void =>
    this.deliver({ type: "password_login", ...login });

  private deliver(decision: TenantDecision): void {
    const data = this.logOf(decision);
    if (data) this.delivered.push({ decision, delivered: deliver(this.site, data) });
  }

  /** Forgets what was delivered (a new scenario starts). */
  clear(): void {
    this.delivered.length = 0;
  }

  private logOf(d: TenantDecision) {
    const ctx = (clientId: string, clientName: string, ip: string): LogContext => ({
      tenant: this.site.tenant,
      hostname: this.hostname,
      clientId,
      clientName,
      ip,
    });
    switch (d.type) {
      case "password_login":
        return logs.login(ctx(d.client?.clientId ?? "", d.client?.resourceName ?? "", d.ip), false);
      case "exchange_succeeded":
        return logs.exchangeSucceeded(ctx(d.client.clientId, d.client.resourceName, d.ip), this.audience);
      case "exchange_failed":
        return logs.exchangeFailed(
          ctx(d.client?.clientId ?? "", d.client?.resourceName ?? "", d.ip),
          // Only a wrong audience is refused as access_denied: that exchange asked for another one.
          d.refusal.error === "access_denied" ? "" : this.audience,
          d.refusal.description,
        );
      case "authorize_accepted":
        return logs.login(ctx(d.client.clientId, d.client.resourceName, d.ip), true);
      case "authorize_refused": {
        const warning = WARNING_OF_REFUSAL[d.reason];
        return warning
          ? logs.warning(ctx(d.client.clientId, d.client.resourceName, d.ip), warning)
          : undefined;
      }
    }
  }
}

/**
 * The stack's own rules count exactly `expected` (every other rule zero) of what the stream
 * delivered, and each event fires the rule of the tenant's own decision (none for a plain login).
 */
export function expectStreamCounted(
  model: StackModel,
  stream: TenantLogStream,
  expected: Partial<Record<SsoOutcome, number>>,
): void {
  expectRuleCounts(model, stream.delivered, expected, expectedRuleOf);
}
