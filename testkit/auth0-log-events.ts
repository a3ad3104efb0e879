/**
 * Auth0 tenant log events as an Auth0 log stream delivers them to Amazon EventBridge: the
 * EventBridge envelope (`version`, `id`, `detail-type: "Auth0 log"`, `source:
 * aws.partner/auth0.com/<tenant>-<id>/auth0.logs`, `account`, `time`, `region`, `resources`) around
 * `detail: { log_id, data }`, as in events captured from real tenants (this-andy/thiscovery-core
 * `api/tests/test_data/auth0_test_events.py`). `data` carries the fields Auth0's tenant log schema
 * requires for its type (auth0/docs-v2 `main/docs/oas/tenant-logs/logs-schema.json`).
 */

import { randomUUID } from "node:crypto";
import {
  AUTH0_LOG_DETAIL_TYPE,
  AUTH0_LOG_TYPES,
  AUTH0_PARTNER_SOURCE_PREFIX,
} from "../model/sso-event-patterns";

/** A tenant log event (the `data` of a delivered event). */
export interface Auth0LogData {
  readonly type: string;
  readonly date: string;
  readonly description: string;
  readonly client_id: string;
  readonly client_name: string;
  readonly ip: string;
  readonly log_id: string;
  readonly [field: string]: unknown;
}

/** A delivered event. */
export interface Auth0EventBridgeEvent {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: { readonly log_id: string; readonly data: Auth0LogData };
}

/** Where the events come from and go to. */
export interface Auth0StreamSite {
  /** The tenant's name, e.g. `acme-dev` (the first label of `acme-dev.eu.auth0.com`). */
  readonly tenant: string;
  readonly account: string;
  readonly region: string;
}

/** The event source Auth0 creates for a stream: `aws.partner/auth0.com/<tenant>-<id>/auth0.logs`. */
export function partnerEventSource(site: Auth0StreamSite): string {
  return `${AUTH0_PARTNER_SOURCE_PREFIX}${site.tenant}-5fa1d592-8ea4-4c3b-9a21-2308531e1ba0/auth0.logs`;
}

let sequence = 0;
/** A log ID in Auth0's format (a 56-digit string), unique within the process. */
function logId(): string {
  sequence += 1;
  return `900${String(Date.now()).padStart(20, "0")}${String(sequence).padStart(33, "0")}`;
}

/** What every log of a tenant carries besides its own fields. */
export interface LogContext {
  readonly tenant: string;
  readonly hostname: string;
  readonly clientId: string;
  readonly clientName: string;
  readonly ip: string;
  readonly userId?: string;
  readonly date?: Date;
}

/** A tenant log event of a type, with the fields its schema requires. */
export function logData(
  ctx: LogContext,
  type: string,
  description: string,
  extra: Record<string, unknown> = {},
): Auth0LogData {
  const date = (ctx.date ?? new Date()).toISOString();
  return {
    date,
    type,
    description,
    client_id: ctx.clientId,
    client_name: ctx.clientName,
    ip: ctx.ip,
    hostname: ctx.hostname,
    user_id: ctx.userId ?? "",
    user_name: "",
    connection: "",
    connection_id: "",
    strategy: "",
    strategy_type: "",
    environment_name: "prod-eu-1",
    tenant_name: ctx.tenant,
    details: {},
    log_id: logId(),
    ...extra,
  };
}

/** Wraps a log event the way the log stream delivers it. */
export function deliver(site: Auth0StreamSite, data: Auth0LogData): Auth0EventBridgeEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": AUTH0_LOG_DETAIL_TYPE,
    source: partnerEventSource(site),
    account: site.account,
    // EventBridge's own time has second precision.
    time: `${data.date.slice(0, 19)}Z`,
    region: site.region,
    resources: [],
    detail: { log_id: data.log_id, data },
  };
}

/** The logs of the Native to Web SSO steps. */
export const sessionTransferLogs = {
  /** `sertft`: the refresh token was exchanged (for the given audience). */
  exchangeSucceeded: (ctx: LogContext, audience: string): Auth0LogData =>
    logData(ctx, AUTH0_LOG_TYPES.exchangeSucceeded, "", {
      audience,
      scope: "openid profile offline_access",
      details: { requested_audience: audience, requested_client_id: ctx.clientId },
    }),
  /** `fertft`: the exchange was refused, with Auth0's reason. */
  exchangeFailed: (ctx: LogContext, audience: string, reason: string): Auth0LogData =>
    logData(ctx, AUTH0_LOG_TYPES.exchangeFailed, reason, {
      audience,
      details: { requested_client_id: ctx.clientId },
    }),
  /** `ferrt`: a rotated-away refresh token was presented again. */
  rotatingExchangeFailed: (ctx: LogContext, audience: string): Auth0LogData =>
    logData(
      ctx,
      AUTH0_LOG_TYPES.rotatingExchangeFailed,
      "Unsuccessful Refresh Token exchange, reused refresh token detected",
      {
        audience,
        details: {},
      },
    ),
  /** `s`: a login; `byTransfer` when a session transfer token started it. */
  login: (ctx: LogContext, byTransfer: boolean): Auth0LogData =>
    logData(ctx, AUTH0_LOG_TYPES.login, "Successful login", {
      details: byTransfer ? { triggered_by_session_transfer_token: true } : {},
    }),
  /** `w` at `/authorize`. */
  warning: (ctx: LogContext, description: string): Auth0LogData =>
    logData(ctx, AUTH0_LOG_TYPES.warning, description, { audience: "", details: {} }),
} as const;
