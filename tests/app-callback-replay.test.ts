/**
 * One sign-in transaction, replayed: a kept transaction cookie sent to `/callback` many times at
 * once with made-up codes, and `HEAD /callback`. Over real HTTPS against a real OpenID provider,
 * whose token endpoint counts every call (each one signed with the app's client secret).
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_EXCHANGES_IN_FLIGHT } from "../app/app";
import { SpentTransactions } from "../app/spent-transactions";
import { HTTPS_SESSION_COOKIE, HTTPS_TRANSACTION_COOKIE } from "../testkit/app-cookies";
import { BrowserLikeClient } from "../testkit/browser-like-client";
import { ALICE, get, Outsider, OUTSIDER_ACCOUNTS } from "../testkit/outsider";
import { startWebFixture, type WebFixture } from "../testkit/web-fixture";

let web: WebFixture;
const outsider = new Outsider(() => web);

beforeAll(async () => {
  web = await startWebFixture({ accounts: OUTSIDER_ACCOUNTS, app: { log: () => undefined } });
});

afterAll(async () => {
  await web?.close();
});

/** A sign-in walked up to its callback: the transaction cookie and the callback URL. */
async function startedSignIn(): Promise<{ transaction: string; callbackUrl: string }> {
  const client = new BrowserLikeClient();
  const { transaction, callbackUrl } = await outsider.untilCallback(
    client,
    `${web.baseURL}/login?session_transfer_token=${outsider.token(ALICE)}`,
  );
  return { transaction, callbackUrl };
}

const sessionSet = (response: Response): boolean =>
  response.headers
    .getSetCookie()
    .some((c) => c.startsWith(`${HTTPS_SESSION_COOKIE}=`) && !c.startsWith(`${HTTPS_SESSION_COOKIE}=;`));

describe("a sign-in transaction is redeemed at most once", () => {
  it("calls the token endpoint once for 50 parallel callbacks with one kept transaction cookie", async () => {
    const { transaction, callbackUrl } = await startedSignIn();
    const before = web.issuer.counters.token;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        get(callbackUrl.replace(/code=[^&]+/, `code=made-up-${i}`), {
          headers: { cookie: `${HTTPS_TRANSACTION_COOKIE}=${transaction}` },
        }),
      ),
    );
    const statuses = await Promise.all(
      answers.map(async (response) => {
        await response.body?.cancel();
        expect(sessionSet(response)).toBe(false);
        return response.status;
      }),
    );
    expect(web.issuer.counters.token - before).toBe(1);
    expect(statuses.every((status) => status === 400)).toBe(true);
  });

  it("refuses the same transaction after it completed a sign-in, without calling the token endpoint", async () => {
    const { transaction, callbackUrl } = await startedSignIn();
    const first = await get(callbackUrl, {
      headers: { cookie: `${HTTPS_TRANSACTION_COOKIE}=${transaction}` },
    });
    await first.body?.cancel();
    expect(first.status).toBe(302);
    expect(sessionSet(first)).toBe(true);
    const before = web.issuer.counters.token;
    const replay = await get(callbackUrl, {
      headers: { cookie: `${HTTPS_TRANSACTION_COOKIE}=${transaction}` },
    });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain("already used");
    expect(sessionSet(replay)).toBe(false);
    expect(web.issuer.counters.token).toBe(before);
  });
});

describe("code exchanges in flight", () => {
  it("are capped: while the token endpoint is slow, the callback past the cap gets a 503 to retry, and none is lost", async () => {
    const signIns = await Promise.all(
      Array.from({ length: MAX_EXCHANGES_IN_FLIGHT + 1 }, () => startedSignIn()),
    );
    const release = web.issuer.holdTokenRequests();
    const callback = ({ transaction, callbackUrl }: { transaction: string; callbackUrl: string }) =>
      get(callbackUrl, { headers: { cookie: `${HTTPS_TRANSACTION_COOKIE}=${transaction}` } });
    const before = web.issuer.counters.token;
    const inFlight = signIns.slice(0, MAX_EXCHANGES_IN_FLIGHT).map(callback);
    // Every one of them has reached the (held) token endpoint before the next callback comes.
    while (web.issuer.counters.token - before < MAX_EXCHANGES_IN_FLIGHT)
      await new Promise((r) => setTimeout(r, 10));
    const last = signIns[MAX_EXCHANGES_IN_FLIGHT];
    const busy = await callback(last);
    expect(busy.status).toBe(503);
    expect(Number(busy.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await busy.text()).toContain('data-code="busy"');
    // Refused before it was spent: the same callback goes through once the others are done.
    release();
    const finished = await Promise.all(inFlight);
    expect(finished.map((r) => r.status)).toEqual(finished.map(() => 302));
    expect(finished.every(sessionSet)).toBe(true);
    const retried = await callback(last);
    expect(retried.status).toBe(302);
    expect(sessionSet(retried)).toBe(true);
  });
});

describe("HEAD /callback", () => {
  it("exchanges no code and leaves the transaction for the GET that follows", async () => {
    const { transaction, callbackUrl } = await startedSignIn();
    const before = web.issuer.counters.token;
    const head = await get(callbackUrl, {
      method: "HEAD",
      headers: { cookie: `${HTTPS_TRANSACTION_COOKIE}=${transaction}` },
    });
    expect(head.status).toBe(405);
    expect(head.headers.get("allow")).toBe("GET");
    expect(head.headers.getSetCookie()).toEqual([]);
    expect(web.issuer.counters.token).toBe(before);
    const answer = await get(callbackUrl, {
      headers: { cookie: `${HTTPS_TRANSACTION_COOKIE}=${transaction}` },
    });
    await answer.body?.cancel();
    expect(answer.status).toBe(302);
    expect(sessionSet(answer)).toBe(true);
  });
});

describe("the set of redeemed transactions", () => {
  it("stays bounded: when full it forgets the expired ones first, then the oldest", () => {
    const spent = new SpentTransactions(3);
    expect(spent.claim("a", 100, 0)).toBe(true);
    expect(spent.claim("b", 10, 0)).toBe(true);
    expect(spent.claim("c", 100, 0)).toBe(true);
    expect(spent.claim("a", 100, 0)).toBe(false);
    // Full at 20: "b" has expired and goes; "a" and "c" are still remembered.
    expect(spent.claim("d", 100, 20)).toBe(true);
    expect([spent.claim("a", 100, 20), spent.claim("c", 100, 20)]).toEqual([false, false]);
    // Full of unexpired ones: the oldest ("a") goes.
    expect(spent.claim("e", 100, 20)).toBe(true);
    expect([spent.claim("c", 100, 20), spent.claim("d", 100, 20), spent.claim("e", 100, 20)]).toEqual([
      false,
      false,
      false,
    ]);
    expect(spent.claim("a", 100, 20)).toBe(true);
  });
});
