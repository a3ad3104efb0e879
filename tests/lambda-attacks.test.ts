/**
 * An outsider's attacks through the Lambda handler, with API Gateway HTTP API (payload 2.0) events
 * as API Gateway would pass them on, against a real OpenID provider and settings read from a local
 * SSM endpoint. Nothing an outsider sends may make the function read SSM or discover the issuer
 * again, answer without its security headers, or write a token to its logs.
 */

import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { HTTPS_SESSION_COOKIE, HTTPS_TRANSACTION_COOKIE } from "../testkit/app-cookies";
import { createHandler, loadSettingsFromSsm, type WebHandler } from "../app/lambda";
import { BrowserLikeClient } from "../testkit/browser-like-client";
import { httpApiEvent, lambdaContext, resultHeader, ResultCookieJar } from "../testkit/api-gateway";
import { startLocalIssuer, type LocalIssuer } from "../testkit/local-issuer";
import { startLocalSsm, type LocalSsm } from "../testkit/local-ssm";
import { captureProcessOutput, type OutputCapture } from "../testkit/output-capture";

const BASE_URL = "https://web.test";
const SETTINGS_PATH = "/native-web-sso/dev/web";
const CLIENT = { clientId: "web-attacks", clientSecret: "web-attacks-secret" };
/** API Gateway's cap on the request line and headers together. */
const API_GATEWAY_HEADER_LIMIT = 10_240;
const YEAR_S = 365 * 24 * 3600;

let output: OutputCapture;
let issuer: LocalIssuer;
let ssm: LocalSsm;
let handler: WebHandler;
const sent = new Set<string>();

function token(owner?: string): string {
  const value = owner
    ? issuer.issueSessionTransferToken(owner)
    : `stt_${randomBytes(24).toString("base64url")}`;
  sent.add(value);
  return value;
}

type EventChange = (event: APIGatewayProxyEventV2) => void;

function invoke(
  url: string,
  init: { method?: string; cookies?: string[]; headers?: Record<string, string>; change?: EventChange } = {},
): Promise<APIGatewayProxyStructuredResultV2> {
  const event = httpApiEvent({ url, method: init.method, cookies: init.cookies, headers: init.headers });
  init.change?.(event);
  return handler(event, lambdaContext());
}

/** The answer's body, cookies and Location carry none of `secrets` (but a Location to /authorize may). */
function expectNoEcho(result: APIGatewayProxyStructuredResultV2, secrets: Iterable<string>): void {
  const location = resultHeader(result, "location") ?? "";
  const toAuthorize = location !== "" && new URL(location, BASE_URL).pathname === "/authorize";
  for (const secret of secrets) {
    expect(result.body ?? "").not.toContain(secret);
    expect((result.cookies ?? []).join("\n")).not.toContain(secret);
    if (!toAuthorize) expect(location).not.toContain(secret);
  }
}

function expectSecurityHeaders(result: APIGatewayProxyStructuredResultV2): void {
  const hsts = resultHeader(result, "strict-transport-security") ?? "";
  expect(Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0)).toBeGreaterThanOrEqual(YEAR_S);
  expect(resultHeader(result, "cache-control")).toBe("no-store");
  expect(resultHeader(result, "referrer-policy")).toBe("no-referrer");
  expect(resultHeader(result, "x-content-type-options")).toBe("nosniff");
  expect(resultHeader(result, "content-security-policy")).toMatch(
    /default-src 'none'.*frame-ancestors 'none'/,
  );
}

function ssmEnv(): NodeJS.ProcessEnv {
  return {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIDTESTTEST",
    AWS_SECRET_ACCESS_KEY: "test-secret",
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    ISSUER_BASE_URL: issuer.issuerBaseURL,
    BASE_URL,
    SETTINGS_PATH,
  };
}

beforeAll(async () => {
  output = captureProcessOutput();
  issuer = await startLocalIssuer({
    clients: [{ ...CLIENT, redirectUris: [`${BASE_URL}/callback`], allowedLogoutUrls: [BASE_URL] }],
  });
  ssm = await startLocalSsm();
  ssm.parameters.set(`${SETTINGS_PATH}/client-id`, CLIENT.clientId);
  ssm.parameters.set(`${SETTINGS_PATH}/client-secret`, CLIENT.clientSecret);
  ssm.parameters.set(`${SETTINGS_PATH}/cookie-secret`, randomBytes(32).toString("base64url"));
  issuer.resetLog();
  handler = createHandler({
    loadSettings: () => loadSettingsFromSsm({ env: ssmEnv() }),
    issuerBaseURL: issuer.issuerBaseURL,
  });
  // The cold start: one SSM read and one discovery, before any attack.
  const first = await invoke(`${BASE_URL}/login`);
  expect(first.statusCode).toBe(302);
});

afterAll(async () => {
  await issuer?.close();
  await ssm?.close();
  output?.stop();
});

// Each test checks the logs for every token sent so far: it holds alone and in any order.
afterEach(async () => {
  // The default log sink writes at the end of the event loop's turn.
  await new Promise((resolve) => setImmediate(resolve));
  const text = output.text();
  expect([...sent].filter((t) => text.includes(t.slice(0, 40)))).toEqual([]);
  expect(text).not.toMatch(/session_transfer_token=(?!\[redacted\])/);
});

describe("oversized and repeated input, up to API Gateway's caps", () => {
  it("refuses a 10,000-character query string with a 400 that cleans the address bar", async () => {
    const stt = `stt_${"q".repeat(10_000)}`;
    sent.add(stt);
    const result = await invoke(`${BASE_URL}/login?session_transfer_token=${stt}`);
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain("query_too_long");
    expect(result.body).toContain("history.replaceState");
    expectNoEcho(result, [stt]);
    expectSecurityHeaders(result);
  });

  it("serves a sign-in whose headers fill API Gateway's 10,240 bytes", async () => {
    const stt = token("auth0|alice");
    const headers: Record<string, string> = {};
    const line = `GET /login?session_transfer_token=${stt} HTTP/1.1\r\n`.length;
    let size = line;
    for (let i = 0; size < API_GATEWAY_HEADER_LIMIT - 40; i++) {
      headers[`x-filler-${i}`] = "f".repeat(10);
      size += `x-filler-${i}: ffffffffff\r\n`.length;
    }
    expect(Object.keys(headers).length).toBeGreaterThan(300);
    const result = await invoke(`${BASE_URL}/login?session_transfer_token=${stt}`, { headers });
    expect(result.statusCode).toBe(302);
    expect(
      new URL(resultHeader(result, "location") ?? "").searchParams.getAll("session_transfer_token"),
    ).toEqual([stt]);
  });

  it("refuses a token repeated under 1,000 filler parameters", async () => {
    const [a, b] = [token(), token()];
    const filler = Array.from({ length: 1000 }, (_, i) => `f${i}=1`).join("&");
    const result = await invoke(
      `${BASE_URL}/login?${filler}&session_transfer_token=${a}&session_transfer_token=${b}`,
    );
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain("session_transfer_token is repeated");
    expectNoEcho(result, [a, b]);
  });

  it("ignores 150 forged cookies named like the app's own and signs nobody in", async () => {
    const cookies = Array.from({ length: 150 }, (_, i) =>
      i % 2
        ? `${HTTPS_SESSION_COOKIE}=${randomBytes(40).toString("base64url")}`
        : `${HTTPS_TRANSACTION_COOKIE}=${randomBytes(40).toString("base64url")}`,
    );
    const home = await invoke(`${BASE_URL}/`, { cookies });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('data-signed-in="false"');
    expect(home.cookies ?? []).toEqual([]);
  });

  it("serves a browser that also carries another app's cookie with non-ASCII text (set on the parent domain)", async () => {
    // A sibling app on the company's domain may set `Domain=.example.com` cookies with any UTF-8
    // text; API Gateway hands them on in `cookies`. They must not break this app for that browser.
    for (const foreign of ["greeting=Grüß Gott", "currency=€", "emoji=\u{1F600}", "lone=\uD800"]) {
      const home = await invoke(`${BASE_URL}/`, { cookies: [foreign] });
      expect(home.statusCode, foreign).toBe(200);
      expect(home.body).toContain('data-signed-in="false"');
      expectSecurityHeaders(home);
      const login = await invoke(`${BASE_URL}/login`, { cookies: [foreign] });
      expect(login.statusCode, foreign).toBe(302);
    }
  });
});

describe("headers and paths an outsider controls", () => {
  it("refuses a token when API Gateway joins repeated Sec-Fetch-Site headers with a comma", async () => {
    const stt = token("auth0|alice");
    const result = await invoke(`${BASE_URL}/login?session_transfer_token=${stt}`, {
      headers: { "sec-fetch-site": "cross-site,cross-site" },
    });
    expect(result.statusCode).toBe(403);
    expectNoEcho(result, [stt]);
  });

  it("builds every URL from BASE_URL whatever Host, X-Forwarded-Host and X-Forwarded-Proto say", async () => {
    const evil = {
      host: "evil.test",
      "x-forwarded-host": "evil.test",
      "x-forwarded-proto": "http",
      forwarded: "host=evil.test;proto=http",
    };
    const jar = new ResultCookieJar();
    const login = await invoke(`${BASE_URL}/login?session_transfer_token=${token("auth0|alice")}`, {
      headers: evil,
      change: (event) => {
        event.requestContext.domainName = "evil.test";
      },
    });
    expect(login.statusCode).toBe(302);
    jar.apply(login);
    const authorize = new URL(resultHeader(login, "location") ?? "");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${BASE_URL}/callback`);
    expect(login.cookies?.[0]).toMatch(/; Secure/);
    const browser = new BrowserLikeClient();
    let next = authorize.toString();
    while (!next.startsWith(`${BASE_URL}/callback`)) next = (await browser.request(next)).hop.location ?? "";
    const callback = await invoke(next, { cookies: jar.list(), headers: evil });
    expect(callback.statusCode).toBe(302);
    expect(resultHeader(callback, "location")).toBe("/");
    jar.apply(callback);
    const logout = await invoke(`${BASE_URL}/logout`, { cookies: jar.list(), headers: evil });
    expect(new URL(resultHeader(logout, "location") ?? "").searchParams.get("returnTo")).toBe(BASE_URL);
    for (const result of [login, callback, logout]) {
      expect(JSON.stringify(result)).not.toContain("evil.test");
    }
  });

  it.each(["//login", "/login/", "/LOGIN", "/%6Cogin", "/login%00", "/./login", "/login;x=1"])(
    "answers the odd path %s without using the token anywhere but /authorize",
    async (path) => {
      const stt = token();
      const result = await invoke(`${BASE_URL}/login`, {
        change: (event) => {
          event.rawPath = path;
          event.requestContext.http.path = path;
          event.rawQueryString = `session_transfer_token=${stt}`;
        },
      });
      expect(result.statusCode).toBeLessThan(500);
      expectNoEcho(result, [stt]);
      expectSecurityHeaders(result);
    },
  );

  it.each([
    ["HEAD", "/login", 302],
    ["OPTIONS", "/login", 404],
    ["PUT", "/login", 404],
    ["DELETE", "/logout", 404],
    ["PUT", "/callback", 405],
  ])("answers %s %s with %i and no new sign-in state", async (method, path, status) => {
    const stt = token();
    const result = await invoke(`${BASE_URL}${path}?session_transfer_token=${stt}`, { method });
    expect(result.statusCode).toBe(status);
    if (method === "HEAD") expect(result.body).toBe("");
    else expect(result.cookies ?? []).toEqual([]);
    expectNoEcho(result, [stt]);
    expectSecurityHeaders(result);
  });

  it("never reads a token from a POST body, plain or base64", async () => {
    const stt = token();
    for (const isBase64Encoded of [false, true]) {
      const body = `session_transfer_token=${stt}`;
      const result = await invoke(`${BASE_URL}/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        change: (event) =>
          Object.assign(event, {
            body: isBase64Encoded ? Buffer.from(body).toString("base64") : body,
            isBase64Encoded,
          }),
      });
      expect(result.statusCode).toBe(404);
      expectNoEcho(result, [stt]);
    }
  });
});

describe("events Hono's adapter cannot turn into a Request", () => {
  it.each(["GET", "HEAD"])(
    "serves a %s that carries a body as the app would, ignoring the body",
    async (method) => {
      const stt = token();
      const result = await invoke(`${BASE_URL}/login`, {
        method,
        change: (event) =>
          Object.assign(event, { body: `session_transfer_token=${stt}`, isBase64Encoded: false }),
      });
      expect(result.statusCode).toBe(302);
      expect(new URL(resultHeader(result, "location") ?? "").searchParams.has("session_transfer_token")).toBe(
        false,
      );
      expectSecurityHeaders(result);
    },
  );

  it("answers a rawPath that does not start with / from the app, without writing its URL to the logs", async () => {
    const stt = `stt_raw_path_${randomBytes(12).toString("base64url")}`;
    sent.add(stt);
    const result = await invoke(`${BASE_URL}/login`, {
      change: (event) => {
        event.rawPath = ":99999/login";
        event.rawQueryString = `session_transfer_token=${stt}`;
      },
    });
    expect(result.statusCode).toBeLessThan(500);
    expectSecurityHeaders(result);
    expectNoEcho(result, [stt]);
    expect(output.text()).not.toContain(stt);
  });
});

describe("an outsider cannot make the function reload", () => {
  it("forged callbacks (bad code, POSTed and hidden errors, invalid_client in the query) leave settings alone", async () => {
    // The attacker's own sign-in gives a matching state and transaction cookie.
    const jar = new ResultCookieJar();
    const login = await invoke(`${BASE_URL}/login`);
    jar.apply(login);
    const browser = new BrowserLikeClient();
    let next = resultHeader(login, "location") ?? "";
    while (!next.startsWith(`${BASE_URL}/callback`)) next = (await browser.request(next)).hop.location ?? "";
    const state = new URL(next).searchParams.get("state") ?? "";
    const iss = encodeURIComponent(issuer.issuer);
    const attempts = [
      `${BASE_URL}/callback?code=made-up&state=${state}&iss=${iss}`,
      `${BASE_URL}/callback?error=invalid_client&state=${state}&iss=${iss}`,
      `${BASE_URL}/callback?error=access_denied&error_description=Unauthorized&state=${state}`,
      `${BASE_URL}/callback?${Array.from({ length: 1000 }, (_, i) => `f${i}=1`).join("&")}&error=access_denied&state=${state}`,
      next.replace(/code=[^&]+/, "code=made-up-too"),
    ];
    for (const url of attempts) {
      const result = await invoke(url, { cookies: jar.list() });
      expect(result.statusCode).toBe(400);
    }
    const post = await invoke(`${BASE_URL}/callback`, {
      method: "POST",
      cookies: jar.list(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      change: (event) =>
        Object.assign(event, { body: `error=invalid_client&state=${state}`, isBase64Encoded: false }),
    });
    expect(post.statusCode).toBe(405);
  });

  it("read SSM once and discovered the issuer once for everything in this file", () => {
    expect(ssm.calls).toHaveLength(1);
    expect(issuer.counters.discovery).toBe(1);
    expect(output.text()).not.toContain("client_rejected_reloading_settings");
  });
});

describe("answers before the app exists", () => {
  it("sends the security headers on the 503 of a cold start that cannot load its settings", async () => {
    const failing = createHandler({
      loadSettings: () => Promise.reject(new Error("SSM throttled")),
      log: () => undefined,
    });
    const result = await failing(
      httpApiEvent({ url: `${BASE_URL}/login?session_transfer_token=${token()}` }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(503);
    // The first failure's back-off (app/backoff.ts).
    expect(resultHeader(result, "retry-after")).toBe("1");
    expectSecurityHeaders(result);
    expectNoEcho(result, sent);
  });
});

describe("logs", () => {
  it("record a refused sign-in on stdout by its path, without its token", async () => {
    const before = output.text().length;
    const stt = token();
    const result = await invoke(`${BASE_URL}/login?session_transfer_token=${stt}%09`);
    expect(result.statusCode).toBe(400);
    const lines = output.text().slice(before);
    expect(lines).toMatch(/"msg":"request","method":"GET","path":"\/login","status":400/);
    expect(lines).not.toContain(stt);
  });
});
