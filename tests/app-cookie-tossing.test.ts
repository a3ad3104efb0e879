/**
 * Cookie tossing: a page on a sibling subdomain (or a man in the middle of a plain-http sibling)
 * can set a cookie on the parent domain, and the browser sends it to this app alongside, and often
 * before, the app's own cookie of the same name. The app must read only cookies a sibling cannot
 * set (`__Host-` names on https, RFC 6265bis §4.1.3.2), so a tossed session never signs the victim
 * in as the attacker, and a tossed transaction neither breaks the victim's sign-in nor lets the
 * attacker finish a sign-in of their own in the victim's browser.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, TRANSACTION_COOKIE } from "../app/app";
import { SESSION_COOKIE } from "../app/session";
import { HTTPS_SESSION_COOKIE, HTTPS_TRANSACTION_COOKIE } from "../testkit/app-cookies";
import { BrowserLikeClient, parseSetCookie, type ReceivedCookie } from "../testkit/browser-like-client";
import { ALICE, get, MALLORY, Outsider, OUTSIDER_ACCOUNTS } from "../testkit/outsider";
import { startWebFixture, type WebFixture } from "../testkit/web-fixture";

let web: WebFixture;
const outsider = new Outsider(() => web);

beforeAll(async () => {
  web = await startWebFixture({ accounts: OUTSIDER_ACCOUNTS });
});

afterAll(async () => {
  await web?.close();
});

/** The browser's cookies for the app as one Cookie header, after `tossed` ones from the parent domain. */
function cookieHeader(tossed: string[], own: ReceivedCookie[]): string {
  return [...tossed, ...own.map((c) => `${c.name}=${c.value}`)].join("; ");
}

/** A session cookie the app sealed for Mallory, as she would copy it from her own browser. */
async function mallorysSession(): Promise<string> {
  const client = new BrowserLikeClient();
  const { final } = await client.follow(
    `${web.baseURL}/login?session_transfer_token=${outsider.token(MALLORY)}`,
  );
  expect(await final.text()).toContain("Mallory Attacker");
  const session = client.cookies(web.baseURL).find((c) => c.name === HTTPS_SESSION_COOKIE)?.value ?? "";
  expect(session).not.toBe("");
  return session;
}

describe("a session cookie tossed from a sibling subdomain", () => {
  it("is ignored when it comes before the victim's own session: the victim stays herself", async () => {
    const tossed = `${SESSION_COOKIE}=${await mallorysSession()}`;
    const { client } = await outsider.signedIn();
    const home = await get(`${web.baseURL}/`, {
      headers: { cookie: cookieHeader([tossed], client.cookies(web.baseURL)) },
    });
    const body = await home.text();
    expect(body).toContain("Alice Example");
    expect(body).not.toContain("Mallory");
  });

  it("is ignored when it is the only one: the victim is not signed in as the attacker", async () => {
    const tossed = `${SESSION_COOKIE}=${await mallorysSession()}`;
    const home = await get(`${web.baseURL}/`, { headers: { cookie: tossed } });
    const body = await home.text();
    expect(body).toContain('data-signed-in="false"');
    expect(body).not.toContain("Mallory");
    expect(home.headers.getSetCookie()).toEqual([]);
  });

  it("is ignored under the prefix in another case (`__host-`), which the app never sets", async () => {
    const home = await get(`${web.baseURL}/`, {
      headers: { cookie: `__host-${SESSION_COOKIE}=${await mallorysSession()}` },
    });
    expect(await home.text()).toContain('data-signed-in="false"');
  });
});

describe("a transaction cookie tossed from a sibling subdomain", () => {
  it("does not break the victim's sign-in when it comes before her own", async () => {
    const mallory = await outsider.untilCallback(new BrowserLikeClient(), `${web.baseURL}/login`);
    const alice = new BrowserLikeClient();
    const { callbackUrl } = await outsider.untilCallback(
      alice,
      `${web.baseURL}/login?session_transfer_token=${outsider.token(ALICE)}`,
    );
    const callback = await get(callbackUrl, {
      headers: {
        cookie: cookieHeader([`${TRANSACTION_COOKIE}=${mallory.transaction}`], alice.cookies(web.baseURL)),
      },
    });
    await callback.body?.cancel();
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/");
  });

  it("does not let the attacker finish her own sign-in in the victim's browser (login CSRF)", async () => {
    // Mallory starts a sign-in, stops at the callback, tosses her transaction cookie to Alice's
    // browser and sends Alice to her callback URL.
    const mallory = await outsider.untilCallback(
      new BrowserLikeClient(),
      `${web.baseURL}/login?session_transfer_token=${outsider.token(MALLORY)}`,
    );
    const before = web.issuer.counters.token;
    const callback = await get(mallory.callbackUrl, {
      headers: { cookie: `${TRANSACTION_COOKIE}=${mallory.transaction}` },
    });
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain("does not belong to a sign-in started here");
    expect(callback.headers.getSetCookie().some((c) => c.includes(`${SESSION_COOKIE}=`))).toBe(false);
    expect(web.issuer.counters.token).toBe(before);
  });
});

describe("the cookies' names", () => {
  it("are __Host- names on https: Secure, Path=/, no Domain, so no sibling subdomain can set them", async () => {
    const client = new BrowserLikeClient();
    const { hops } = await client.follow(
      `${web.baseURL}/login?session_transfer_token=${outsider.token(ALICE)}`,
    );
    const ours = hops
      .filter((h) => h.url.startsWith(web.baseURL))
      .flatMap((h) => h.setCookies)
      .filter((c) => c.value !== "");
    expect(ours.map((c) => c.name).sort()).toEqual([HTTPS_SESSION_COOKIE, HTTPS_TRANSACTION_COOKIE].sort());
    for (const cookie of ours) {
      expect(cookie.name.startsWith("__Host-"), cookie.name).toBe(true);
      expect(cookie.attributes).toMatchObject({ secure: true, path: "/" });
      expect(cookie.attributes.domain).toBeUndefined();
    }
  });

  it("are the bare names, without Secure, on a plain-http BASE_URL (local development), and are read back", async () => {
    const baseURL = "http://localhost:3000";
    const app = createApp({ ...web.settings, baseURL });
    const login = await app.fetch(new Request(`${baseURL}/login`));
    expect(login.status).toBe(302);
    const [transaction, ...others] = login.headers.getSetCookie().map(parseSetCookie);
    expect(others).toEqual([]);
    expect(transaction?.name).toBe(TRANSACTION_COOKIE);
    expect(transaction?.attributes.secure).toBeUndefined();
    // The callback reads the bare name: the state check passes, so the code reaches the issuer.
    const state = new URL(login.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const callback = await app.fetch(
      new Request(`${baseURL}/callback?code=made-up&state=${state}`, {
        headers: { cookie: `${TRANSACTION_COOKIE}=${transaction?.value}` },
      }),
    );
    expect(await callback.text()).not.toContain("does not belong to a sign-in started here");
    const home = await app.fetch(
      new Request(`${baseURL}/`, { headers: { cookie: `${SESSION_COOKIE}=${await mallorysSession()}` } }),
    );
    expect(await home.text()).toContain("Mallory Attacker");
  });
});
