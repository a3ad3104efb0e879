/**
 * An outsider's attacks on the app's cookies, over real HTTPS on loopback against a real OpenID
 * provider: forged, tampered, truncated, re-encoded and cross-purpose transaction and session
 * cookies, cookies sealed with a secret the app does not have, and replayed cookies. Every token
 * sent is searched for in the logs, in every response body and in every `Location`.
 */

import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HTTPS_SESSION_COOKIE, HTTPS_TRANSACTION_COOKIE } from "../testkit/app-cookies";
import type { LogRecord } from "../app/log";
import { createCookieSealer } from "../app/sealed-cookies";
import { BrowserLikeClient, parseSetCookie } from "../testkit/browser-like-client";
import { captureProcessOutput, type OutputCapture } from "../testkit/output-capture";
import { get, MALLORY, ALICE, Outsider, OUTSIDER_ACCOUNTS } from "../testkit/outsider";
import { startWebFixture, type WebFixture } from "../testkit/web-fixture";

let output: OutputCapture;
let web: WebFixture;
const records: LogRecord[] = [];
const outsider = new Outsider(() => web);
let strict: WebFixture;

beforeAll(async () => {
  output = captureProcessOutput();
  web = await startWebFixture({ accounts: OUTSIDER_ACCOUNTS, app: { log: (r) => records.push(r) } });
  strict = await startWebFixture({
    accounts: OUTSIDER_ACCOUNTS,
    defaultAccountId: null,
    app: { log: (r) => records.push(r) },
  });
});

afterAll(async () => {
  await web?.close();
  await strict?.close();
  output?.stop();
});

// Each test checks the logs for every token sent so far: it holds alone and in any order.
afterEach(async () => {
  // The default log sink writes at the end of the event loop's turn.
  await new Promise((resolve) => setImmediate(resolve));
  const text = output.text() + records.map((r) => JSON.stringify(r)).join("\n");
  expect([...outsider.sent].filter((t) => text.includes(t.slice(0, 40)))).toEqual([]);
  expect(text).not.toMatch(/session_transfer_token=(?!\[redacted\])/);
});

describe("forged, tampered, truncated and re-encoded transaction cookies", () => {
  /** A real sign-in's state, and the transaction cookie /login set for it. */
  async function started(): Promise<{ state: string; transaction: string }> {
    const response = await get(`${web.baseURL}/login`);
    await response.body?.cancel();
    const state = new URL(response.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const transaction =
      response.headers
        .getSetCookie()
        .map(parseSetCookie)
        .find((c) => c.name === HTTPS_TRANSACTION_COOKIE)?.value ?? "";
    return { state, transaction };
  }

  /** The value with one base64url character changed at `at` (counted from the end when negative). */
  const flip = (text: string, at: number): string => {
    const i = at < 0 ? text.length + at : at;
    return text.slice(0, i) + (text[i] === "A" ? "B" : "A") + text.slice(i + 1);
  };
  /** Whatever precedes the first ".": the key ID, or the protected header that names it. */
  const keyPart = (sealed: string): string => sealed.slice(0, sealed.indexOf("."));
  const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = (state: string) => ({ s: state, n: "n", v: "v", r: "/" });
  const inTenMinutes = (): number => Math.floor(Date.now() / 1000) + 600;

  const forgeries: Array<[string, (real: string, state: string) => Promise<string> | string]> = [
    ["random bytes", () => randomBytes(200).toString("base64url")],
    ["one character changed near the end", (real) => flip(real, -10)],
    ["one character changed in the middle", (real) => flip(real, real.lastIndexOf(".") + 12)],
    [
      "another key ID in front of the real ciphertext",
      (real) => `${randomBytes(6).toString("base64url")}${real.slice(real.indexOf("."))}`,
    ],
    [
      "the real key ID in front of random bytes",
      (real) => `${keyPart(real)}.${randomBytes(160).toString("base64url")}`,
    ],
    ["the last 22 characters (the tag) cut off", (real) => real.slice(0, -22)],
    ["the cookie cut in half", (real) => real.slice(0, Math.floor(real.length / 2))],
    [
      "an unsecured JWT (alg none) with the state",
      (_real, state) => `${b64({ alg: "none" })}.${b64(claims(state))}.`,
    ],
    ["a key ID of __proto__", () => `__proto__.${randomBytes(160).toString("base64url")}`],
    ["a key ID of constructor", () => `constructor.${randomBytes(160).toString("base64url")}`],
    [
      "a cookie sealed with a secret that is neither current nor previous",
      async (_real, state) =>
        (await createCookieSealer(randomBytes(32).toString("base64url"))).seal(claims(state), inTenMinutes()),
    ],
    [
      "an expired cookie sealed with the app's own secret",
      async (_real, state) =>
        (await createCookieSealer(web.settings.secret)).seal(
          claims(state),
          Math.floor(Date.now() / 1000) - 10,
        ),
    ],
    ["this app's session cookie in place of a transaction", async () => (await outsider.signedIn()).session],
    ["a cookie over 4 KiB", (real) => real + "A".repeat(4096)],
  ];

  it.each(forgeries)("refuses %s before any request to the token endpoint", async (_name, forge) => {
    const { state, transaction } = await started();
    const forged = await forge(transaction, state);
    const before = web.issuer.counters.token;
    const response = await get(`${web.baseURL}/callback?code=attacker-code&state=${state}`, {
      headers: { cookie: `${HTTPS_TRANSACTION_COOKIE}=${forged}` },
    });
    expect(response.status).toBe(400);
    expect(await outsider.bodyWithoutEcho(response, [forged])).toContain(
      "does not belong to a sign-in started here",
    );
    expect(response.headers.getSetCookie().some((c) => c.startsWith(`${HTTPS_SESSION_COOKIE}=`))).toBe(false);
    expect(web.issuer.counters.token).toBe(before);
  });

  it("opens a percent-encoded copy of a real cookie as the same cookie (the bytes are what is authenticated)", async () => {
    const client = new BrowserLikeClient();
    const { transaction, callbackUrl } = await outsider.untilCallback(client, `${web.baseURL}/login`);
    const encoded = [...transaction]
      .map((ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, "0")}`)
      .join("");
    const response = await get(callbackUrl, {
      headers: { cookie: `${HTTPS_TRANSACTION_COOKIE}=${encoded}` },
    });
    await response.body?.cancel();
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
  });
});

describe("forged, tampered, truncated and re-encoded session cookies", () => {
  const variants: Array<[string, (real: string) => Promise<string> | string]> = [
    ["random bytes", () => randomBytes(300).toString("base64url")],
    [
      "one character changed near the end",
      (real) => real.slice(0, -40) + (real.at(-40) === "A" ? "B" : "A") + real.slice(-39),
    ],
    ["everything after the last dot cut off", (real) => real.slice(0, real.lastIndexOf("."))],
    ["the cookie cut in half", (real) => real.slice(0, Math.floor(real.length / 2))],
    [
      "an unsecured JWT (alg none) naming another user",
      () =>
        `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(
          JSON.stringify({ u: { sub: MALLORY, name: "Mallory Attacker" }, c: 1, t: 1 }),
        ).toString("base64url")}.`,
    ],
    [
      "a session sealed with a secret that is neither current nor previous",
      async () =>
        (await createCookieSealer(randomBytes(32).toString("base64url"))).seal(
          { u: { sub: MALLORY, name: "Mallory Attacker" }, c: 1, t: 1 },
          Math.floor(Date.now() / 1000) + 600,
        ),
    ],
    [
      "a transaction cookie in place of a session",
      async () => {
        const response = await get(`${web.baseURL}/login`);
        await response.body?.cancel();
        return response.headers
          .getSetCookie()
          .map(parseSetCookie)
          .find((c) => c.name === HTTPS_TRANSACTION_COOKIE)?.value as string;
      },
    ],
  ];

  it.each(variants)(
    "treats %s as signed out: no user shown, nothing renewed, no tenant logout",
    async (_name, forge) => {
      const { session } = await outsider.signedIn();
      const forged = await forge(session);
      const home = await get(`${web.baseURL}/`, { headers: { cookie: `${HTTPS_SESSION_COOKIE}=${forged}` } });
      expect(home.status).toBe(200);
      expect(await outsider.bodyWithoutEcho(home, [forged])).toContain('data-signed-in="false"');
      expect(home.headers.getSetCookie()).toEqual([]);
      const logout = await get(`${web.baseURL}/logout`, {
        headers: { cookie: `${HTTPS_SESSION_COOKIE}=${forged}` },
      });
      await logout.body?.cancel();
      // Not signed in: straight back to BASE_URL, without a round trip through the tenant's logout.
      expect(logout.headers.get("location")).toBe(web.settings.baseURL);
    },
  );
});

describe("replayed cookies", () => {
  it("refuses a transaction cookie replayed to a second /callback, and sets no session", async () => {
    const client = new BrowserLikeClient();
    const { transaction, callbackUrl } = await outsider.untilCallback(
      client,
      `${web.baseURL}/login?session_transfer_token=${outsider.token(ALICE)}`,
    );
    const first = await client.request(callbackUrl);
    await first.response.body?.cancel();
    expect(first.response.status).toBe(302);
    // The browser was told to forget it...
    expect(first.hop.setCookies).toContainEqual(
      expect.objectContaining({ name: HTTPS_TRANSACTION_COOKIE, value: "" }),
    );
    // ...but an attacker who copied it sends it again with the same code, and with a made-up one:
    // refused before the token endpoint (the transaction was redeemed once already).
    for (const url of [callbackUrl, callbackUrl.replace(/code=[^&]+/, "code=made-up")]) {
      const replay = await get(url, { headers: { cookie: `${HTTPS_TRANSACTION_COOKIE}=${transaction}` } });
      expect(replay.status).toBe(400);
      expect(await replay.text()).toContain("transaction_used");
      expect(
        replay.headers
          .getSetCookie()
          .some(
            (c) => c.startsWith(`${HTTPS_SESSION_COOKIE}=`) && !c.startsWith(`${HTTPS_SESSION_COOKIE}=;`),
          ),
      ).toBe(false);
    }
  });

  it("keeps a session cookie copied before logout valid until it expires: logout clears the browser's copy and ends the tenant session", async () => {
    // Sessions are stateless sealed cookies (no server-side store), so a copy taken before logout
    // still opens until its expiry (a day idle, a week at most). What logout guarantees: the
    // browser's cookie is cleared, and the tenant session is ended so no new sign-in happens silently.
    const { client, session } = await outsider.signedIn(strict);
    const { hops, final } = await client.follow(`${strict.baseURL}/logout`);
    expect(hops[0]?.setCookies).toContainEqual(
      expect.objectContaining({
        name: HTTPS_SESSION_COOKIE,
        value: "",
        attributes: expect.objectContaining({ "max-age": "0" }),
      }),
    );
    expect(await final.text()).toContain('data-signed-in="false"');
    const replayed = await get(`${strict.baseURL}/`, {
      headers: { cookie: `${HTTPS_SESSION_COOKIE}=${session}` },
    });
    expect(await replayed.text()).toContain('data-signed-in="true"');
    // The tenant session is gone: the same browser signing in again without a token is refused.
    const again = await client.follow(`${strict.baseURL}/login`);
    expect(await again.final.text()).toContain("login_required");
  });
});

describe("logs", () => {
  it("record a sign-in by its paths, without its token", async () => {
    const before = records.length;
    await outsider.signedIn();
    const lines = records.slice(before);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "request", path: "/login", status: 302 }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: "request", path: "/callback", status: 302 }));
    expect(JSON.stringify(lines)).not.toMatch(/stt_|session_transfer_token=/);
  });
});
