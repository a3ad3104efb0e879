/**
 * `GET /callback`: redeems the issuer's answer to a sign-in this browser started, at most once,
 * and seals the session. Other methods get a 405 (Hono answers HEAD with a GET route: a HEAD must
 * not redeem the code nor spend the transaction).
 */

import { getCookie, setCookie } from "hono/cookie";
import { ROUTES } from "../contract";
import { DiscoveryError, exchangeErrorCode, isClientRejected, isIssuerUnavailable } from "../oidc";
import { exchangeRefused, PROBLEMS, providerRefused } from "../problems";
import { CLOCK_SKEW_S, sealSession, sessionCookieOptions, SESSION_COOKIE } from "../session";
import { SpentTransactions } from "../spent-transactions";
import type { AppContext, LoginApp, RouteContext } from "./context";
import { nowS } from "../sealed-cookies";
import { TRANSACTION_COOKIE, TRANSACTION_LIFETIME_S, type TransactionPayload } from "./login";

/** Code exchanges one process runs at once; more callbacks meanwhile get a 503 (try again). */
export const MAX_EXCHANGES_IN_FLIGHT = 16;

/** Adds `/callback` to the app. */
export function addCallback(app: LoginApp, ctx: RouteContext): void {
  const { sealer, log, cookie } = ctx;
  const spent = new SpentTransactions();
  let exchangesInFlight = 0;

  const callback = async (c: AppContext): Promise<Response> => {
    if (c.req.method !== "GET") return ctx.refuse(c, PROBLEMS.callbackMethod);
    const query = c.get("query");
    const now = nowS();
    const transaction = sealer.open<TransactionPayload>(getCookie(c, TRANSACTION_COOKIE, cookie.prefix), now);
    // Provider text is shown only for a response to a sign-in this browser started.
    // A transaction that expires later than one sealed now would was not sealed by this app.
    const expiresAt = transaction?.exp;
    if (
      !transaction ||
      typeof expiresAt !== "number" ||
      expiresAt > now + TRANSACTION_LIFETIME_S + CLOCK_SKEW_S ||
      typeof query.state !== "string" ||
      query.state !== transaction.s
    ) {
      log({ level: "warn", msg: "callback_rejected", code: "state_mismatch" });
      return ctx.refuse(c, PROBLEMS.stateMismatch);
    }
    if (exchangesInFlight >= MAX_EXCHANGES_IN_FLIGHT) {
      log({ level: "warn", msg: "callback_busy" });
      return ctx.refuse(c, PROBLEMS.busy);
    }
    // The transaction is spent either way: one response per sign-in, and at most one code exchange
    // per transaction in this process (app/spent-transactions.ts).
    setCookie(c, TRANSACTION_COOKIE, "", { ...cookie, maxAge: 0 });
    if (!spent.claim(transaction.s, expiresAt, now)) {
      log({ level: "warn", msg: "callback_rejected", code: "transaction_used" });
      return ctx.refuse(c, PROBLEMS.transactionUsed);
    }
    if (typeof query.error === "string") {
      const description = typeof query.error_description === "string" ? query.error_description : undefined;
      const refused = providerRefused(query.error, description);
      log({ level: "warn", msg: "callback_rejected", code: refused.code });
      return ctx.refuse(c, refused);
    }
    let user;
    exchangesInFlight++;
    try {
      user = await ctx.client.finishSignIn(new URL(`${ctx.callbackUrl}?${c.get("rawQuery")}`), {
        state: transaction.s,
        nonce: transaction.n,
        codeVerifier: transaction.v,
        returnTo: transaction.r,
      });
    } catch (error) {
      if (error instanceof DiscoveryError || isIssuerUnavailable(error)) throw error;
      const code = exchangeErrorCode(error);
      log({ level: "warn", msg: "callback_rejected", code });
      if (isClientRejected(error)) ctx.settings.onClientRejected?.();
      return ctx.refuse(c, exchangeRefused(code));
    } finally {
      exchangesInFlight--;
    }
    const session = sealSession(sealer, user, nowS());
    setCookie(c, SESSION_COOKIE, session.sealed, sessionCookieOptions(cookie, session.maxAge));
    return c.redirect(transaction.r, 302);
  };

  app.get(ROUTES.callback, callback);
  app.all(ROUTES.callback, (c) => ctx.refuse(c, PROBLEMS.callbackMethod));
}
