/**
 * An outsider's attacks on the running app's requests, over real HTTPS on loopback against a real
 * OpenID provider: smuggled and oversized tokens, open redirects, cross-site navigations, Host and
 * forwarding header injection, method confusion, the security headers of every answer. Every token
 * sent is searched for in the logs, response bodies and `Location`s (cookies: app-attacks-cookies).
 */

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HTTPS_SESSION_COOKIE, HTTPS_TRANSACTION_COOKIE } from "../testkit/app-cookies";
import type { LogRecord } from "../app/log";
import { BrowserLikeClient } from "../testkit/browser-like-client";
import { captureProcessOutput, type OutputCapture } from "../testkit/output-capture";
import { ALICE, get, MALLORY, Outsider, OUTSIDER_ACCOUNTS } from "../testkit/outsider";
import { startWebFixture, type WebFixture } from "../testkit/web-fixture";

const YEAR_S = 365 * 24 * 3600;

let output: OutputCapture;
let web: WebFixture;
const records: LogRecord[] = [];
const outsider = new Outsider(() => web);

beforeAll(async () => {
  output = captureProcessOutput();
  web = await startWebFixture({ accounts: OUTSIDER_ACCOUNTS, app: { log: (r) => records.push(r) } });
});

afterAll(async () => {
  await web?.close();
  output?.stop();
});

// Each test checks the logs for the tokens sent so far: it holds alone and in any order.
afterEach(() => {
  const text = output.text() + records.map((r) => JSON.stringify(r)).join("\n");
  expect([...outsider.sent].filter((t) => text.includes(t.slice(0, 40)))).toEqual([]);
  expect(text).not.toMatch(/session_transfer_token=(?!\[redacted\])/);
});

describe("session_transfer_token smuggling", () => {
  it("refuses a 10 KB token with its own 400, without contacting the issuer", async () => {
    const stt = `stt_${"x".repeat(10 * 1024)}`;
    outsider.sent.add(stt);
    const before = web.issuer.counters.authorize;
    const response = await get(`${web.baseURL}/login?session_transfer_token=${stt}`);
    expect(response.status).toBe(400);
    expect(await outsider.bodyWithoutEcho(response, [stt])).toContain("longer than 8192 characters");
    expect(web.issuer.counters.authorize).toBe(before);
  });

  it("has a 100 KB token refused by the server before the app runs (431), without contacting the issuer", async () => {
    const stt = `stt_${"x".repeat(100 * 1024)}`;
    outsider.sent.add(stt);
    const before = web.issuer.counters.authorize;
    // Above Node's 16 KiB header limit (http.maxHeaderSize): node:http answers 431 and closes the
    // connection, which the client may see as a reset while it is still sending.
    const outcome = await outsider.rawRequest(`/login?session_transfer_token=${stt}`).then(
      (answer) => ({ status: answer.status, echoed: answer.body.includes(stt) }),
      (error: NodeJS.ErrnoException) => ({ status: error.code, echoed: false }),
    );
    expect([431, "ECONNRESET"]).toContain(outcome.status);
    expect(outcome.echoed).toBe(false);
    expect(web.issuer.counters.authorize).toBe(before);
  });

  it.each([
    ["an encoded &", "%26prompt%3Dnone%26redirect_uri%3Dhttps%3A%2F%2Fevil.test%2F"],
    ["an encoded #", "%23redirect_uri%3Dhttps%3A%2F%2Fevil.test%2F"],
    ["an encoded ?", "%3Fclient_id%3Dother"],
  ])(
    "forwards a token with %s as one opaque value and injects no /authorize parameter",
    async (_name, suffix) => {
      const stt = outsider.token();
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
    const stt = outsider.token();
    const response = await get(`${web.baseURL}/login?session_transfer_token=${stt}${suffix}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    await outsider.bodyWithoutEcho(response, [stt]);
  });

  it.each([
    ["a non-ASCII letter", "%C3%A9"],
    ["a fullwidth percent sign", "%EF%BC%85"],
    ["a plus (a space once decoded)", "+x"],
  ])("refuses a token with %s", async (_name, suffix) => {
    const stt = outsider.token();
    const response = await get(`${web.baseURL}/login?session_transfer_token=${stt}${suffix}`);
    expect(response.status).toBe(400);
    await outsider.bodyWithoutEcho(response, [stt]);
  });

  it("counts a percent-encoded parameter name as the same parameter: a second token is a repeat", async () => {
    const [a, b] = [outsider.token(), outsider.token()];
    const response = await get(
      `${web.baseURL}/login?session%5Ftransfer%5Ftoken=${a}&session_transfer_token=${b}`,
    );
    expect(response.status).toBe(400);
    expect(await outsider.bodyWithoutEcho(response, [a, b])).toContain("session_transfer_token is repeated");
  });

  it.each(["Session_Transfer_Token", "session_transfer_token[]", "session-transfer-token"])(
    "forwards nothing for a look-alike parameter %s",
    async (name) => {
      const stt = outsider.token();
      const response = await get(`${web.baseURL}/login?${name}=${stt}`);
      await response.body?.cancel();
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).not.toContain(stt);
    },
  );

  it("never reads a token from a POST body", async () => {
    const stt = outsider.token();
    const before = web.issuer.counters.authorize;
    const response = await get(`${web.baseURL}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `session_transfer_token=${stt}`,
    });
    expect(response.status).toBe(404);
    await outsider.bodyWithoutEcho(response, [stt]);
    expect(web.issuer.counters.authorize).toBe(before);
  });

  it("never reads a token from a fragment, even one sent in the request line", async () => {
    const stt = outsider.token();
    // A browser never sends the fragment; a hand-made request line may.
    const answer = await outsider.rawRequest(`/login#session_transfer_token=${stt}`);
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
    "\uFF0F\uFF0Fevil.test",
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
    expect(response.status).toBe(302);
    const client = new BrowserLikeClient();
    const { callbackUrl } = await outsider.untilCallback(
      client,
      `${web.baseURL}/login?returnTo=${encodeURIComponent(value)}`,
    );
    const { hop } = await client.request(callbackUrl);
    expect(hop.status).toBe(302);
    const landing = new URL(hop.location ?? "");
    expect(landing.origin).toBe(web.baseURL);
    expect(hop.location?.startsWith(`${web.baseURL}/`)).toBe(true);
  });

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
      const stt = outsider.token(MALLORY);
      const before = web.issuer.counters.authorize;
      const answer = await outsider.rawRequest(`/login?session_transfer_token=${stt}`, {
        headers: { host: new URL(web.baseURL).host, "sec-fetch-site": value },
      });
      expect(answer.status).toBe(403);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.body).not.toContain(stt);
      expect(web.issuer.counters.authorize).toBe(before);
    },
  );

  it("starts a cookie-method sign-in (no token in the URL) from a same-site navigation, carrying no token", async () => {
    const stt = outsider.token(ALICE);
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
    const stt = outsider.token();
    const answer = await outsider.rawRequest(`/login?session_transfer_token=${stt}`, { headers: injected });
    expect(answer.status).toBe(302);
    const location = new URL(String(answer.headers.location));
    expect(location.origin).toBe(web.issuer.issuerBaseURL);
    expect(location.searchParams.get("redirect_uri")).toBe(`${web.baseURL}/callback`);
    expect(String(answer.headers["set-cookie"])).toMatch(/; Secure/);
    expect(JSON.stringify(answer.headers)).not.toContain("evil.test");
    expect(answer.body).not.toContain("evil.test");
  });

  it("signs out to exactly BASE_URL and lands on relative paths whatever the Host", async () => {
    const { session } = await outsider.signedIn();
    const logout = await outsider.rawRequest("/logout", {
      headers: { ...injected, cookie: `${HTTPS_SESSION_COOKIE}=${session}` },
    });
    const url = new URL(String(logout.headers.location));
    expect(url.pathname).toBe("/v2/logout");
    expect(url.searchParams.get("returnTo")).toBe(web.baseURL);
    const signedOut = await outsider.rawRequest("/logout", { headers: injected });
    expect(signedOut.headers.location).toBe(web.baseURL);
  });

  it("completes a sign-in whose callback arrives with another Host, landing on a relative path", async () => {
    const client = new BrowserLikeClient();
    const { transaction, callbackUrl } = await outsider.untilCallback(client, `${web.baseURL}/login`);
    const callback = new URL(callbackUrl);
    const answer = await outsider.rawRequest(callback.pathname + callback.search, {
      headers: { ...injected, cookie: `${HTTPS_TRANSACTION_COOKIE}=${transaction}` },
    });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("/");
  });

  it("refuses a Host that smuggles a query, before the app runs", async () => {
    const stt = outsider.token();
    const answer = await outsider.rawRequest("/login", {
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
      const { session } = await outsider.signedIn();
      const before = { ...web.issuer.counters };
      const stt = outsider.token();
      for (const [path, status] of [
        [`/login?session_transfer_token=${stt}`, 404],
        ["/logout", 404],
        ["/callback?code=a&state=b", 405],
      ] as const) {
        const response = await get(`${web.baseURL}${path}`, {
          method,
          headers: { cookie: `${HTTPS_SESSION_COOKIE}=${session}` },
        });
        expect(response.status, `${method} ${path}`).toBe(status);
        expect(response.headers.get("location")).toBeNull();
        expect(response.headers.getSetCookie()).toEqual([]);
        expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d{8}/);
        await outsider.bodyWithoutEcho(response, [stt, session]);
      }
      expect(web.issuer.counters.authorize).toBe(before.authorize);
      expect(web.issuer.counters.token).toBe(before.token);
      const home = await get(`${web.baseURL}/`, {
        headers: { cookie: `${HTTPS_SESSION_COOKIE}=${session}` },
      });
      expect(await home.text()).toContain('data-signed-in="true"');
    },
  );

  it("answers HEAD as GET without a body (Hono's rule): the same cross-site refusal and logout confirmation", async () => {
    const stt = outsider.token(MALLORY);
    const refused = await get(`${web.baseURL}/login?session_transfer_token=${stt}`, {
      method: "HEAD",
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe("");
    const { session } = await outsider.signedIn();
    const logout = await get(`${web.baseURL}/logout`, {
      method: "HEAD",
      headers: { cookie: `${HTTPS_SESSION_COOKIE}=${session}`, "sec-fetch-site": "cross-site" },
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

describe("logs", () => {
  it("record a refused sign-in by its path and status, without its token", async () => {
    const before = records.length;
    const stt = outsider.token();
    const response = await get(`${web.baseURL}/login?session_transfer_token=${stt}%09`);
    await response.body?.cancel();
    expect(response.status).toBe(400);
    const lines = records.slice(before);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "request", path: "/login", status: 400 }));
    expect(JSON.stringify(lines)).not.toContain(stt);
  });
});
