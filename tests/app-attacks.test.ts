/**
 * An outsider's attacks on the running app, over real HTTPS on loopback against a real OpenID
 * provider: forged and replayed cookies, smuggled tokens, open redirects, cross-site navigations,
 * header injection and method confusion. Each attack is kept as a test of what it must not achieve;
 * every token sent is searched for in the logs, in every response body and in every `Location`.
 */

import { randomBytes } from "node:crypto";
import { request as httpsRequest } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogRecord } from "../app/log";
import { createCookieSealer } from "../app/sealed-cookies";
import { BrowserLikeClient, parseSetCookie } from "../testkit/browser-like-client";
import { captureProcessOutput, type OutputCapture } from "../testkit/output-capture";
import { startWebFixture, type WebFixture } from "../testkit/web-fixture";

const ALICE = "auth0|alice";
const MALLORY = "auth0|mallory";
const accounts = {
  [ALICE]: { name: "Alice Example", email: "alice@example.test" },
  [MALLORY]: { name: "Mallory Attacker", email: "mallory@example.test" },
};
const YEAR_S = 365 * 24 * 3600;

let output: OutputCapture;
let web: WebFixture;
let strict: WebFixture;
const records: LogRecord[] = [];
/** Every token this file sends: none may appear in a log, a body or a Location but /authorize's. */
const sent = new Set<string>();

function token(owner?: string, fixture: WebFixture = web): string {
  const value = owner
    ? fixture.issuer.issueSessionTransferToken(owner)
    : `stt_${randomBytes(24).toString("base64url")}`;
  sent.add(value);
  return value;
}

/** Reads a response and checks that none of the given secrets came back anywhere but /authorize. */
async function bodyWithoutEcho(response: Response, secrets: Iterable<string>): Promise<string> {
  const body = await response.text();
  const location = response.headers.get("location") ?? "";
  const toAuthorize = location !== "" && new URL(location, web.baseURL).pathname === "/authorize";
  const cookies = response.headers.getSetCookie().join("\n");
  for (const secret of secrets) {
    expect(body).not.toContain(secret);
    expect(cookies).not.toContain(secret);
    if (!toAuthorize) expect(location).not.toContain(secret);
  }
  return body;
}

function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: "manual", ...init });
}

/** Starts a sign-in with `client` and walks the provider's hops up to the callback URL. */
async function untilCallback(
  client: BrowserLikeClient,
  loginUrl: string,
  fixture: WebFixture = web,
): Promise<{ transaction: string; callbackUrl: string }> {
  const { response, hop } = await client.request(loginUrl);
  await response.body?.cancel();
  const transaction = hop.setCookies.find((c) => c.name === "auth_verification")?.value ?? "";
  expect(transaction).not.toBe("");
  let next = hop.location ?? "";
  while (!next.startsWith(`${fixture.baseURL}/callback`)) {
    const step = await client.request(next);
    await step.response.body?.cancel();
    next = step.hop.location ?? "";
    expect(next).not.toBe("");
  }
  return { transaction, callbackUrl: next };
}

/** A signed-in browser and its session cookie. */
async function signedIn(fixture: WebFixture = web): Promise<{ client: BrowserLikeClient; session: string }> {
  const client = new BrowserLikeClient();
  const { final } = await client.follow(
    `${fixture.baseURL}/login?session_transfer_token=${token(ALICE, fixture)}`,
  );
  expect(await final.text()).toContain("Alice Example");
  const session = client.cookies(fixture.baseURL).find((c) => c.name === "appSession")?.value ?? "";
  expect(session).not.toBe("");
  return { client, session };
}

/** One request with headers fetch will not let a page set (Host, repeated headers), over HTTPS. */
function rawRequest(
  path: string,
  options: { method?: string; headers?: Record<string, string | string[]> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const port = Number(new URL(web.baseURL).port);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        servername: "localhost",
        port,
        path,
        method: options.method ?? "GET",
        headers: options.headers,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  output = captureProcessOutput();
  web = await startWebFixture({ accounts, app: { log: (r) => records.push(r) } });
  strict = await startWebFixture({ accounts, defaultAccountId: null, app: { log: (r) => records.push(r) } });
});

afterAll(async () => {
  await web?.close();
  await strict?.close();
  output?.stop();
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
        .find((c) => c.name === "auth_verification")?.value ?? "";
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
    ["this app's session cookie in place of a transaction", async () => (await signedIn()).session],
    ["a cookie over 4 KiB", (real) => real + "A".repeat(4096)],
  ];

  it.each(forgeries)("refuses %s before any request to the token endpoint", async (_name, forge) => {
    const { state, transaction } = await started();
    const forged = await forge(transaction, state);
    const before = web.issuer.counters.token;
    const response = await get(`${web.baseURL}/callback?code=attacker-code&state=${state}`, {
      headers: { cookie: `auth_verification=${forged}` },
    });
    expect(response.status).toBe(400);
    expect(await bodyWithoutEcho(response, [forged])).toContain("does not belong to a sign-in started here");
    expect(response.headers.getSetCookie().some((c) => c.startsWith("appSession="))).toBe(false);
    expect(web.issuer.counters.token).toBe(before);
  });

  it("opens a percent-encoded copy of a real cookie as the same cookie (the bytes are what is authenticated)", async () => {
    const client = new BrowserLikeClient();
    const { transaction, callbackUrl } = await untilCallback(client, `${web.baseURL}/login`);
    const encoded = [...transaction]
      .map((ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, "0")}`)
      .join("");
    const response = await get(callbackUrl, { headers: { cookie: `auth_verification=${encoded}` } });
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
          .find((c) => c.name === "auth_verification")?.value as string;
      },
    ],
  ];

  it.each(variants)(
    "treats %s as signed out: no user shown, nothing renewed, no tenant logout",
    async (_name, forge) => {
      const { session } = await signedIn();
      const forged = await forge(session);
      const home = await get(`${web.baseURL}/`, { headers: { cookie: `appSession=${forged}` } });
      expect(home.status).toBe(200);
      expect(await bodyWithoutEcho(home, [forged])).toContain('data-signed-in="false"');
      expect(home.headers.getSetCookie()).toEqual([]);
      const logout = await get(`${web.baseURL}/logout`, { headers: { cookie: `appSession=${forged}` } });
      await logout.body?.cancel();
      // Not signed in: straight back to BASE_URL, without a round trip through the tenant's logout.
      expect(logout.headers.get("location")).toBe(web.settings.baseURL);
    },
  );
});

describe("replayed cookies", () => {
  it("refuses a transaction cookie replayed to a second /callback, and sets no session", async () => {
    const client = new BrowserLikeClient();
    const { transaction, callbackUrl } = await untilCallback(
      client,
      `${web.baseURL}/login?session_transfer_token=${token(ALICE)}`,
    );
    const first = await client.request(callbackUrl);
    await first.response.body?.cancel();
    expect(first.response.status).toBe(302);
    // The browser was told to forget it...
    expect(first.hop.setCookies).toContainEqual(
      expect.objectContaining({ name: "auth_verification", value: "" }),
    );
    // ...but an attacker who copied it sends it again with the same code, and with a made-up one.
    for (const url of [callbackUrl, callbackUrl.replace(/code=[^&]+/, "code=made-up")]) {
      const replay = await get(url, { headers: { cookie: `auth_verification=${transaction}` } });
      expect(replay.status).toBe(400);
      expect(await replay.text()).toContain("invalid_grant");
      expect(replay.headers.getSetCookie().some((c) => /^appSession=[^;]/.test(c))).toBe(false);
    }
  });

  it("keeps a session cookie copied before logout valid until it expires: logout clears the browser's copy and ends the tenant session", async () => {
    // Sessions are stateless sealed cookies (no server-side store), so a copy taken before logout
    // still opens until its expiry (a day idle, a week at most). What logout guarantees: the
    // browser's cookie is cleared, and the tenant session is ended so no new sign-in happens silently.
    const { client, session } = await signedIn(strict);
    const { hops, final } = await client.follow(`${strict.baseURL}/logout`);
    expect(hops[0]?.setCookies).toContainEqual(
      expect.objectContaining({
        name: "appSession",
        value: "",
        attributes: expect.objectContaining({ "max-age": "0" }),
      }),
    );
    expect(await final.text()).toContain('data-signed-in="false"');
    const replayed = await get(`${strict.baseURL}/`, { headers: { cookie: `appSession=${session}` } });
    expect(await replayed.text()).toContain('data-signed-in="true"');
    // The tenant session is gone: the same browser signing in again without a token is refused.
    const again = await client.follow(`${strict.baseURL}/login`);
    expect(await again.final.text()).toContain("login_required");
  });
});

describe("session_transfer_token smuggling", () => {
  it.each([
    ["10 KB", 10 * 1024],
    ["100 KB", 100 * 1024],
  ])("refuses a %s token without contacting the issuer", async (_name, size) => {
    const stt = `stt_${"x".repeat(size)}`;
    sent.add(stt);
    const before = web.issuer.counters.authorize;
    const response = await get(`${web.baseURL}/login?session_transfer_token=${stt}`).catch(() => undefined);
    // 10 KB: the app's own 400. 100 KB: above Node's 16 KiB header limit, the server refuses (431)
    // or drops the connection before the app runs. Either way the token goes nowhere.
    if (response) {
      expect([400, 431]).toContain(response.status);
      await bodyWithoutEcho(response, [stt]);
    }
    expect(web.issuer.counters.authorize).toBe(before);
  });

  it.each([
    ["an encoded &", "%26prompt%3Dnone%26redirect_uri%3Dhttps%3A%2F%2Fevil.test%2F"],
    ["an encoded #", "%23redirect_uri%3Dhttps%3A%2F%2Fevil.test%2F"],
    ["an encoded ?", "%3Fclient_id%3Dother"],
  ])(
    "forwards a token with %s as one opaque value and injects no /authorize parameter",
    async (_name, suffix) => {
      const stt = token();
      const response = await get(`${web.baseURL}/login?session_transfer_token=${stt}${suffix}`);
      await response.body?.cancel();
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get("location") ?? "");
      expect(location.searchParams.getAll("session_transfer_token")).toEqual([
        stt + decodeURIComponent(suffix),
      ]);
      expect(location.searchParams.getAll("redirect_uri")).toEqual([`${web.baseURL}/callback`]);
      expect(location.searchParams.getAll("client_id")).toEqual(["web-app"]);
      expect(location.searchParams.has("prompt")).toBe(false);
      expect(location.hash).toBe("");
    },
  );

  it.each([
    ["a raw CR LF", "%0D%0ALocation:%20https://evil.test"],
    ["a raw tab", "%09"],
    ["a DEL", "%7F"],
  ])("refuses a token with %s", async (_name, suffix) => {
    const stt = token();
    const response = await get(`${web.baseURL}/login?session_transfer_token=${stt}${suffix}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    await bodyWithoutEcho(response, [stt]);
  });

  it.each([
    ["a non-ASCII letter", "%C3%A9"],
    ["a fullwidth percent sign", "%EF%BC%85"],
    ["a plus (a space once decoded)", "+x"],
  ])("refuses a token with %s", async (_name, suffix) => {
    const stt = token();
    const response = await get(`${web.baseURL}/login?session_transfer_token=${stt}${suffix}`);
    expect(response.status).toBe(400);
    await bodyWithoutEcho(response, [stt]);
  });

  it("counts a percent-encoded parameter name as the same parameter: a second token is a repeat", async () => {
    const [a, b] = [token(), token()];
    const response = await get(
      `${web.baseURL}/login?session%5Ftransfer%5Ftoken=${a}&session_transfer_token=${b}`,
    );
    expect(response.status).toBe(400);
    expect(await bodyWithoutEcho(response, [a, b])).toContain("session_transfer_token is repeated");
  });

  it.each(["Session_Transfer_Token", "session_transfer_token[]", "session-transfer-token"])(
    "forwards nothing for a look-alike parameter %s",
    async (name) => {
      const stt = token();
      const response = await get(`${web.baseURL}/login?${name}=${stt}`);
      await response.body?.cancel();
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).not.toContain(stt);
    },
  );

  it("never reads a token from a POST body", async () => {
    const stt = token();
    const before = web.issuer.counters.authorize;
    const response = await get(`${web.baseURL}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `session_transfer_token=${stt}`,
    });
    expect(response.status).toBe(404);
    await bodyWithoutEcho(response, [stt]);
    expect(web.issuer.counters.authorize).toBe(before);
  });

  it("never reads a token from a fragment, even one sent in the request line", async () => {
    const stt = token();
    // A browser never sends the fragment; a hand-made request line may.
    const answer = await rawRequest(`/login#session_transfer_token=${stt}`);
    expect(answer.status).toBe(302);
    expect(String(answer.headers.location)).not.toContain(stt);
    expect(answer.body).not.toContain(stt);
  });
});

describe("returnTo open redirects", () => {
  const refused = [
    "//evil.test",
    "///evil.test",
    "/\\evil.test",
    "\\/evil.test",
    "https:evil.test",
    "https:/evil.test",
    "https:\\\\evil.test",
    "http://localhost/",
    "%2F%2Fevil.test",
    "/%2F/evil.test/../..//evil.test",
    "/\t/evil.test",
    "/\n/evil.test",
    "\t//evil.test",
    " //evil.test",
    "//evil.test\u0000",
    "ftp://evil.test/",
    "data:text/html,<script>alert(1)</script>",
    "javascript://%0aalert(1)",
    `/${"a".repeat(1100)}`,
  ];

  it.each(refused)("refuses returnTo=%j with a 400 and no sign-in", async (value) => {
    const before = web.issuer.counters.authorize;
    const response = await get(`${web.baseURL}/login?returnTo=${encodeURIComponent(value)}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("Bad request");
    expect(web.issuer.counters.authorize).toBe(before);
  });

  const landOnThisSite = [
    "/\uFF0F\uFF0Fevil.test",
    "/\u2215\u2215evil.test",
    "\uFF0F\uFF0Fevil.test",
    "/%2F%2Fevil.test",
    "/%5Cevil.test",
    "/.%2F/evil.test",
    "/@evil.test",
    "/?next=//evil.test",
    "/#//evil.test",
  ];

  it.each(landOnThisSite)("signs in and lands on this site for returnTo=%j", async (value) => {
    const response = await get(`${web.baseURL}/login?returnTo=${encodeURIComponent(value)}`);
    await response.body?.cancel();
    if (response.status === 400) return; // refusing is as good as landing here
    expect(response.status).toBe(302);
    const client = new BrowserLikeClient();
    const { callbackUrl } = await untilCallback(
      client,
      `${web.baseURL}/login?returnTo=${encodeURIComponent(value)}`,
    );
    const { hop } = await client.request(callbackUrl);
    expect(hop.status).toBe(302);
    const landing = new URL(hop.location ?? "");
    expect(landing.origin).toBe(web.baseURL);
    expect(hop.location?.startsWith(`${web.baseURL}/`)).toBe(true);
  });
});

describe("a token carried through returnTo", () => {
  it.each([
    "/?session_transfer_token=stt_in_returnto",
    "/#session_transfer_token=stt_in_returnto",
    "/#/page?session_transfer_token=stt_in_returnto",
    "/#session%5Ftransfer%5Ftoken=stt_in_returnto",
  ])("refuses returnTo=%j: the URL the user lands on never holds a token", async (value) => {
    const response = await get(`${web.baseURL}/login?returnTo=${encodeURIComponent(value)}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("must not carry a session transfer token");
  });
});

describe("cross-site navigations (Sec-Fetch-Site)", () => {
  it.each([
    ["Cross-Site", "Cross-Site"],
    ["CROSS-SITE", "CROSS-SITE"],
    ["padded", " cross-site "],
    ["repeated headers", ["cross-site", "cross-site"]],
    ["a list", "cross-site, none"],
    ["an unknown value", "evil"],
    ["Same-Site", "Same-Site"],
  ] as Array<[string, string | string[]]>)(
    "does not forward a token when Sec-Fetch-Site is %s",
    async (_name, value) => {
      const stt = token(MALLORY);
      const before = web.issuer.counters.authorize;
      const answer = await rawRequest(`/login?session_transfer_token=${stt}`, {
        headers: { host: new URL(web.baseURL).host, "sec-fetch-site": value },
      });
      expect(answer.status).toBe(403);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.body).not.toContain(stt);
      expect(web.issuer.counters.authorize).toBe(before);
    },
  );

  it("starts a cookie-method sign-in (no token in the URL) from a same-site navigation, carrying no token", async () => {
    const stt = token(ALICE);
    const client = new BrowserLikeClient();
    // The token is in the cookie the native app set on the Auth0 domain; a link cannot carry it.
    client.setCookie(web.issuer.issuerBaseURL, "auth0_session_transfer_token", stt);
    const { response, hop } = await client.request(`${web.baseURL}/login`, {
      headers: { "sec-fetch-site": "same-site" },
    });
    await response.body?.cancel();
    expect(hop.status).toBe(302);
    const location = new URL(hop.location ?? "");
    expect(location.pathname).toBe("/authorize");
    expect(location.searchParams.has("session_transfer_token")).toBe(false);
  });
});

describe("Host, X-Forwarded-Host and X-Forwarded-Proto injection", () => {
  const injected = {
    host: "evil.test",
    "x-forwarded-host": "evil.test",
    "x-forwarded-proto": "http",
    forwarded: "host=evil.test;proto=http",
  };

  it("builds /authorize's redirect_uri and the cookies from BASE_URL only", async () => {
    const stt = token();
    const answer = await rawRequest(`/login?session_transfer_token=${stt}`, { headers: injected });
    expect(answer.status).toBe(302);
    const location = new URL(String(answer.headers.location));
    expect(location.origin).toBe(web.issuer.issuerBaseURL);
    expect(location.searchParams.get("redirect_uri")).toBe(`${web.baseURL}/callback`);
    expect(String(answer.headers["set-cookie"])).toMatch(/; Secure/);
    expect(JSON.stringify(answer.headers)).not.toContain("evil.test");
    expect(answer.body).not.toContain("evil.test");
  });

  it("signs out to exactly BASE_URL and lands on relative paths whatever the Host", async () => {
    const { session } = await signedIn();
    const logout = await rawRequest("/logout", { headers: { ...injected, cookie: `appSession=${session}` } });
    const url = new URL(String(logout.headers.location));
    expect(url.pathname).toBe("/v2/logout");
    expect(url.searchParams.get("returnTo")).toBe(web.baseURL);
    const signedOut = await rawRequest("/logout", { headers: injected });
    expect(signedOut.headers.location).toBe(web.baseURL);
  });

  it("completes a sign-in whose callback arrives with another Host, landing on a relative path", async () => {
    const client = new BrowserLikeClient();
    const { transaction, callbackUrl } = await untilCallback(client, `${web.baseURL}/login`);
    const callback = new URL(callbackUrl);
    const answer = await rawRequest(callback.pathname + callback.search, {
      headers: { ...injected, cookie: `auth_verification=${transaction}` },
    });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("/");
  });

  it("refuses a Host that smuggles a query, before the app runs", async () => {
    const stt = token();
    const answer = await rawRequest("/login", {
      headers: { host: `evil.test?session_transfer_token=${stt}` },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).not.toContain(stt);
  });
});

describe("HTTP method confusion", () => {
  it.each(["OPTIONS", "PUT", "DELETE", "PATCH"])(
    "answers %s on /login and /logout with 404, on /callback with 405",
    async (method) => {
      const { session } = await signedIn();
      const before = { ...web.issuer.counters };
      const stt = token();
      for (const [path, status] of [
        [`/login?session_transfer_token=${stt}`, 404],
        ["/logout", 404],
        ["/callback?code=a&state=b", 405],
      ] as const) {
        const response = await get(`${web.baseURL}${path}`, {
          method,
          headers: { cookie: `appSession=${session}` },
        });
        expect(response.status, `${method} ${path}`).toBe(status);
        expect(response.headers.get("location")).toBeNull();
        expect(response.headers.getSetCookie()).toEqual([]);
        expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d{8}/);
        await bodyWithoutEcho(response, [stt, session]);
      }
      expect(web.issuer.counters.authorize).toBe(before.authorize);
      expect(web.issuer.counters.token).toBe(before.token);
      const home = await get(`${web.baseURL}/`, { headers: { cookie: `appSession=${session}` } });
      expect(await home.text()).toContain('data-signed-in="true"');
    },
  );

  it("answers HEAD as GET without a body (Hono's rule): the same cross-site refusal and logout confirmation", async () => {
    const stt = token(MALLORY);
    const refused = await get(`${web.baseURL}/login?session_transfer_token=${stt}`, {
      method: "HEAD",
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe("");
    const { session } = await signedIn();
    const logout = await get(`${web.baseURL}/logout`, {
      method: "HEAD",
      headers: { cookie: `appSession=${session}`, "sec-fetch-site": "cross-site" },
    });
    expect(logout.status).toBe(200);
    expect(logout.headers.getSetCookie()).toEqual([]);
  });
});

describe("security headers on every answer", () => {
  let down: WebFixture;

  beforeAll(async () => {
    // An app whose issuer is not there: its sign-ins answer 503.
    down = await startWebFixture({ app: { issuerBaseURL: "https://localhost:1", log: () => undefined } });
  });

  afterAll(async () => {
    await down?.close();
  });

  it.each([
    ["a 400", () => `${web.baseURL}/login?returnTo=//evil.test`, 400],
    ["a 403", () => `${web.baseURL}/login?session_transfer_token=stt_x`, 403],
    ["a 404", () => `${web.baseURL}/nope`, 404],
    ["a 405", () => `${web.baseURL}/callback`, 405],
    ["a 503", () => `${down.baseURL}/login`, 503],
  ] as const)(
    "sends HSTS, no-store, no-referrer, nosniff and a CSP without framing on %s",
    async (_name, url, status) => {
      const response = await get(url(), {
        method: status === 405 ? "POST" : "GET",
        headers: { "sec-fetch-site": "cross-site" },
      });
      await response.body?.cancel();
      expect(response.status).toBe(status);
      const headers = response.headers;
      expect(
        Number(/max-age=(\d+)/.exec(headers.get("strict-transport-security") ?? "")?.[1]),
      ).toBeGreaterThanOrEqual(YEAR_S);
      expect(headers.get("cache-control")).toBe("no-store");
      expect(headers.get("referrer-policy")).toBe("no-referrer");
      expect(headers.get("x-content-type-options")).toBe("nosniff");
      expect(headers.get("content-security-policy")).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    },
  );
});

describe("logs under every attack above", () => {
  it("hold none of the tokens sent", () => {
    const text = output.text() + records.map((r) => JSON.stringify(r)).join("\n");
    expect(records.length).toBeGreaterThan(50);
    expect(sent.size).toBeGreaterThan(20);
    const leaked = [...sent].filter((t) => text.includes(t.slice(0, 40)));
    expect(leaked).toEqual([]);
    expect(text).not.toMatch(/session_transfer_token=(?!\[redacted\])/);
  });
});
