/**
 * Post-login Actions in the local tenant: the code of each Action a stack binds to `post-login`,
 * run where Auth0 runs it and with what Auth0 documents, and the session lifetimes it sets, kept.
 *
 * - Where: after the user authenticated (password, or a session transfer token that `/authorize`
 *   accepted) and before the tenant answers the web app ("Actions Triggers: post-login", the login
 *   flow runs "after a user is authenticated but before a token is issued").
 * - How: the deployed `code` as a CommonJS module with nothing to `require`, on the tenant's clock;
 *   `event` and `api` as `actions/auth0-post-login.ts` types them from Auth0's reference pages.
 *   Actions run in order; `api.access.deny` stops the flow ("no further Actions will be
 *   executed") and the login ends with `access_denied` and the reason as `error_description`;
 *   `setExpiresAt` / `setIdleExpiresAt` called several times keep "the earliest expiration time".
 * - Kept: by the provider's session (its `uid`). `/authorize` with a session past its absolute
 *   expiry, or idle past its idle expiry, gets the login prompt: the session has ended. Reading of
 *   idle in this stand-in: the idle window is the time from the login to the idle expiry the Action
 *   set, and each `/authorize` with the session starts it again, never past the absolute expiry.
 *   A new login in the browser replaces what the previous one set (a new authentication).
 *
 * The tenant's hook (`./tenant/`): the option `postLoginActions`, {@link finishLogin} where the
 * login step completes, {@link sessionEndedCheck} in the login prompt and
 * {@link recordSessionLimits} as provider middleware. Nothing else of the tenant knows of Actions.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { runInNewContext } from "node:vm";
import type Provider from "oidc-provider";
import { interactionPolicy, type Middleware, type PolicyCheck } from "oidc-provider";
import type { OnExecutePostLogin, PostLoginApi, PostLoginEvent } from "../actions/auth0-post-login";
import { reveal, resourcesOf, type StackModel } from "../model/rendered";
import type { DeclaredClient } from "./tenant/clients";
import type { Clock } from "./tenant/session-transfer";

/** The code of each Action the stack binds to `post-login` with a `TriggerAction`. */
export function postLoginActionCodes(model: StackModel): string[] {
  const bound = new Set(
    resourcesOf(model, "auth0:index/triggerAction:TriggerAction")
      .filter((b) => reveal(b.inputs.trigger) === "post-login")
      .map((b) => b.parent),
  );
  // A component declares an Action and its binding side by side: the binding's parent is the Action's.
  return resourcesOf(model, "auth0:index/action:Action")
    .filter((a) => bound.has(a.parent))
    .map((a) => String(reveal(a.inputs.code)));
}

/** Loads an Action's code as Auth0's Node runtime would, on `clock` (its `Date.now()`). */
export function loadAction(code: string, clock: Clock): OnExecutePostLogin {
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string): never => {
    throw new Error(`the Action requires "${id}", which it does not declare as a dependency`);
  };
  const TenantDate = class extends Date {
    static override now(): number {
      return clock.now();
    }
  };
  runInNewContext(code, { module, exports: module.exports, require, Date: TenantDate, console });
  const handler = module.exports.onExecutePostLogin;
  if (typeof handler !== "function") throw new Error("the Action's code exports no onExecutePostLogin");
  return handler as OnExecutePostLogin;
}

/** A completed authentication, as the post-login trigger is told of it. */
export interface PostLoginLogin {
  /** The application logged in to; `undefined` when the tenant's registry does not know it. */
  readonly client: DeclaredClient | undefined;
  readonly accountId: string;
  /** Present when a session transfer token started the login. */
  readonly transfer?: { readonly nativeClientId: string; readonly ip: string };
}

/** What the Actions made of a login. */
export type PostLoginOutcome =
  | { readonly kind: "allowed"; readonly expiresAt?: number; readonly idleExpiresAt?: number }
  | { readonly kind: "denied"; readonly reason: string };

/** Runs the Actions in order on one login. */
export async function runPostLoginActions(
  actions: readonly OnExecutePostLogin[],
  login: PostLoginLogin,
): Promise<PostLoginOutcome> {
  let expiresAt: number | undefined;
  let idleExpiresAt: number | undefined;
  let denied: string | undefined;
  const earliest = (a: number | undefined, b: number) => (a === undefined ? b : Math.min(a, b));
  const api: PostLoginApi = {
    access: { deny: (reason) => (denied ??= reason) },
    session: {
      setExpiresAt: (at) => (expiresAt = earliest(expiresAt, at)),
      setIdleExpiresAt: (at) => (idleExpiresAt = earliest(idleExpiresAt, at)),
    },
  };
  const event: PostLoginEvent = {
    client: { client_id: login.client?.clientId ?? "", name: login.client?.resourceName ?? "" },
    user: { user_id: login.accountId },
    ...(login.transfer
      ? {
          session_transfer_token: {
            client_id: login.transfer.nativeClientId,
            scope: ["openid", "offline_access"],
            request: { ip: login.transfer.ip },
          },
          session: { session_transfer: {} },
        }
      : {}),
  };
  for (const action of actions) {
    await action(event, api);
    if (denied !== undefined) return { kind: "denied", reason: denied };
  }
  return { kind: "allowed", expiresAt, idleExpiresAt };
}

/** Where the outcome travels from the login step to the session, inside the interaction's result. */
const RESULT_KEY = "postLoginActions";

/** The lifetimes the Actions set, by provider session. */
export class SessionLimits {
  private readonly bySession = new Map<
    string,
    { expiresAt?: number; idleMs?: number; idleExpiresAt?: number }
  >();

  /** What a new login's Actions set (replacing the previous login's) at `now`. */
  record(sessionUid: string, outcome: PostLoginOutcome | undefined, now: number): void {
    if (
      outcome?.kind !== "allowed" ||
      (outcome.expiresAt === undefined && outcome.idleExpiresAt === undefined)
    ) {
      this.bySession.delete(sessionUid);
      return;
    }
    const { expiresAt, idleExpiresAt } = outcome;
    this.bySession.set(sessionUid, {
      expiresAt,
      idleExpiresAt,
      idleMs: idleExpiresAt === undefined ? undefined : idleExpiresAt - now,
    });
  }

  /** Has the session ended at `now`? If not, this use of it starts its idle window again. */
  ended(sessionUid: string, now: number): boolean {
    const limits = this.bySession.get(sessionUid);
    if (!limits) return false;
    if (limits.expiresAt !== undefined && now >= limits.expiresAt) return true;
    if (limits.idleExpiresAt !== undefined && now >= limits.idleExpiresAt) return true;
    if (limits.idleMs !== undefined) {
      const next = now + limits.idleMs;
      limits.idleExpiresAt = limits.expiresAt === undefined ? next : Math.min(next, limits.expiresAt);
    }
    return false;
  }
}

/** The parts of the provider's context this file reads, beyond the project's typing of it. */
interface OidcState {
  readonly route?: string;
  readonly session?: { readonly uid?: string };
  readonly result?: Readonly<Record<string, unknown>>;
}

/** The login prompt's check: a session the Actions time-boxed has ended. */
export function sessionEndedCheck(limits: SessionLimits, clock: Clock): PolicyCheck {
  return new interactionPolicy.Check(
    "session_ended_by_action",
    "the session's lifetime, set by a post-login Action, is over",
    (ctx) => {
      const uid = (ctx.oidc as unknown as OidcState).session?.uid;
      return uid !== undefined && limits.ended(uid, clock.now());
    },
  );
}

/** Provider middleware: once a login resumes into its session, keeps what the Actions set. */
export function recordSessionLimits(limits: SessionLimits, clock: Clock): Middleware {
  return async (ctx, next) => {
    await next();
    const oidc = ctx.oidc as unknown as OidcState | undefined;
    const uid = oidc?.session?.uid;
    if (oidc?.route !== "resume" || uid === undefined || !oidc.result?.login) return;
    limits.record(uid, oidc.result[RESULT_KEY] as PostLoginOutcome | undefined, clock.now());
  };
}

/**
 * Completes the login step: runs the Actions, then finishes the interaction with `result`, or with
 * `access_denied` and the reason when an Action denied the login.
 */
export async function finishLogin(
  provider: Provider,
  actions: readonly OnExecutePostLogin[],
  req: IncomingMessage,
  res: ServerResponse,
  result: Record<string, unknown>,
  login: PostLoginLogin,
): Promise<void> {
  const outcome = await runPostLoginActions(actions, login);
  const final =
    outcome.kind === "denied"
      ? { error: "access_denied", error_description: outcome.reason }
      : { ...result, [RESULT_KEY]: outcome };
  await provider.interactionFinished(req, res, final, { mergeWithLastSubmission: false });
}
