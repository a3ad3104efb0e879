import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TRANSACTION_COOKIE } from "../app/app";
import { MAX_TOKEN_BYTES } from "../app/input";
import { HTTPS_SESSION_COOKIE, HTTPS_TRANSACTION_COOKIE } from "../testkit/app-cookies";
import { BrowserLikeClient, type Hop, type ReceivedCookie } from "../testkit/browser-like-client";
import { startWebFixture, type WebFixture } from "../testkit/web-fixture";
import { captureProcessOutput, type OutputCapture } from "../testkit/output-capture";

const ALICE = "auth0|alice";
const BOB = "auth0|bob";
const accounts = {
  [ALICE]: { name: "Alice Example", email: "alice@example.test" },
  [BOB]: { name: "Bob Example", email: "bob@example.test" },
};

let output: OutputCapture;
let web: WebFixture;
let strict: WebFixture; // an issuer that signs nobody in without a valid token
/** Every session transfer token this file used; none may ever appear in the output. */
const usedTokens = new Set<string>();

function token(owner?: string): string {
  const value = owner
    ? web.issuer.issueSessionTransferToken(owner)
    : `stt_${randomBytes(24).toString("base64url")}`;
  usedTokens.add(value);
  return value;
}

function cookieNamed(hops: Hop[], name: string): ReceivedCookie | undefined {
  return hops.flatMap((h) => h.setCookies).find((c) => c.name === name && c.value !== "");
}

async function loginLocation(url: string): Promise<URL> {
  const response = await fetch(url, { redirect: "manual" });
  await response.body?.cancel();
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location") ?? "");
}

beforeAll(async () => {
  output = captureProcessOutput();
  web = await startWebFixture({ accounts });
  strict = await startWebFixture({ accounts, defaultAccountId: null });
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
  const text = output.text();
  expect([...usedTokens].filter((t) => text.includes(t.slice(0, 40)))).toEqual([]);
  expect(text).not.toMatch(/session_transfer_token=(?!\[redacted\])/);
});

describe("sign-in through /login", () => {
  it("completes the code flow from /login with a query token to a signed-in home page, token only in the /authorize hop", async () => {
    const client = new BrowserLikeClient();
    const stt = token(BOB);
    const { hops, final, finalUrl } = await client.follow(
      `${web.baseURL}/login?session_transfer_token=${stt}`,
    );
    const html = await final.text();

    expect(final.status).toBe(200);
    expect(finalUrl).toBe(`${web.baseURL}/`);
    expect(html).toContain('Signed in as <strong id="user">Bob Example</strong>');
    expect(web.issuer.redeemedTokens).toContainEqual({ token: stt, accountId: BOB, via: "query" });
    // The only place the token travels is the redirect to /authorize.
    const carrying = hops.filter((h) => h.location?.includes(stt));
    expect(carrying).toHaveLength(1);
    expect(new URL(carrying[0]?.location ?? "").pathname).toBe("/authorize");
    expect(new URL(carrying[0]?.url ?? "").pathname).toBe("/login");
    expect(finalUrl).not.toContain(stt);
  });

  it("uses the authorization code flow with state, nonce and PKCE at /authorize", async () => {
    const location = await loginLocation(`${web.baseURL}/login`);
    const params = location.searchParams;
    expect(location.origin + location.pathname).toBe(`${web.issuer.issuerBaseURL}/authorize`);
    expect(params.get("response_type")).toBe("code");
    expect(params.get("client_id")).toBe("web-app");
    expect(params.get("redirect_uri")).toBe(`${web.baseURL}/callback`);
    expect(params.get("scope")).toBe("openid profile email");
    expect(params.get("state")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(params.get("nonce")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.has("session_transfer_token")).toBe(false);
  });

  it("signs in with a token from the Auth0-domain cookie without any parameter from the app", async () => {
    const client = new BrowserLikeClient();
    const stt = token(BOB);
    client.setCookie(web.issuer.issuerBaseURL, "auth0_session_transfer_token", stt);
    const { hops, final } = await client.follow(`${web.baseURL}/login`);
    expect(await final.text()).toContain("Bob Example");
    expect(web.issuer.redeemedTokens).toContainEqual({ token: stt, accountId: BOB, via: "cookie" });
    expect(hops.some((h) => h.location?.includes(stt))).toBe(false);
  });

  it("sets the session and transaction cookies Secure, HttpOnly and SameSite=Lax, with a small unchunked session", async () => {
    const client = new BrowserLikeClient();
    const { hops } = await client.follow(`${web.baseURL}/login?session_transfer_token=${token(ALICE)}`);
    for (const name of [HTTPS_TRANSACTION_COOKIE, HTTPS_SESSION_COOKIE]) {
      const cookie = cookieNamed(hops, name);
      expect(cookie, name).toBeDefined();
      expect(cookie?.attributes).toMatchObject({ secure: true, httponly: true, samesite: "Lax" });
    }
    const all = hops.flatMap((h) => h.setCookies.map((c) => c.name));
    // Neither the legacy transaction cookie of express-openid-connect nor a chunked session.
    expect(all).not.toContain(`_${TRANSACTION_COOKIE}`);
    expect(all.some((n) => new RegExp(`^${HTTPS_SESSION_COOKIE}\\.\\d+$`).test(n))).toBe(false);
    // Only the ID token is kept: far below API Gateway's 10,240-byte limit for all headers.
    expect(cookieNamed(hops, HTTPS_SESSION_COOKIE)?.value.length).toBeLessThan(2500);
  });

  it("returns to a path on this app after sign-in when returnTo asks for it", async () => {
    const client = new BrowserLikeClient();
    const { finalUrl, final } = await client.follow(
      `${web.baseURL}/login?session_transfer_token=${token(ALICE)}&returnTo=${encodeURIComponent("/?from=app")}`,
    );
    expect(finalUrl).toBe(`${web.baseURL}/?from=app`);
    expect(await final.text()).toContain("Alice Example");
  });

  it("accepts an absolute returnTo on this app's own origin and keeps only its path", async () => {
    const client = new BrowserLikeClient();
    const { finalUrl } = await client.follow(
      `${web.baseURL}/login?returnTo=${encodeURIComponent(`${web.baseURL}/?tab=2`)}`,
    );
    expect(finalUrl).toBe(`${web.baseURL}/?tab=2`);
  });

  it("accepts the iss parameter Auth0 may append to the Application Login URI", async () => {
    const location = await loginLocation(`${web.baseURL}/login?iss=${encodeURIComponent(web.issuer.issuer)}`);
    expect(location.pathname).toBe("/authorize");
  });

  it("signs out through Auth0 logout and lands signed out on the home page", async () => {
    const client = new BrowserLikeClient();
    await client.follow(`${web.baseURL}/login?session_transfer_token=${token(ALICE)}`);
    const { hops, final, finalUrl } = await client.follow(`${web.baseURL}/logout`);
    const logoutHop = new URL(hops[0]?.location ?? "");
    expect(logoutHop.origin + logoutHop.pathname).toBe(`${web.issuer.issuerBaseURL}/v2/logout`);
    expect(logoutHop.searchParams.get("client_id")).toBe("web-app");
    expect(logoutHop.searchParams.get("returnTo")).toBe(web.baseURL);
    expect(new URL(finalUrl).pathname).toBe("/");
    expect(await final.text()).toContain('data-signed-in="false"');
  });
});

describe("one token per request", () => {
  it("sends exactly the given token to /authorize and none on the next request without one", async () => {
    const stt = token();
    const first = await loginLocation(
      `${web.baseURL}/login?session_transfer_token=${encodeURIComponent(stt)}`,
    );
    expect(first.searchParams.getAll("session_transfer_token")).toEqual([stt]);
    const second = await loginLocation(`${web.baseURL}/login`);
    expect(second.searchParams.has("session_transfer_token")).toBe(false);
    expect(second.toString()).not.toContain(stt);
  });

  it("never gives one of 200 interleaved concurrent requests a token that is not its own", async () => {
    const plan = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? undefined : token()));
    const locations = await Promise.all(
      plan.map((stt) =>
        loginLocation(
          stt
            ? `${web.baseURL}/login?session_transfer_token=${encodeURIComponent(stt)}`
            : `${web.baseURL}/login`,
        ),
      ),
    );
    locations.forEach((location, i) => {
      const expected = plan[i];
      expect(location.searchParams.getAll("session_transfer_token")).toEqual(expected ? [expected] : []);
    });
    // And every transaction is distinct.
    expect(new Set(locations.map((l) => l.searchParams.get("state"))).size).toBe(200);
  });
});

describe("operations", () => {
  it("answers /healthz without any request to the issuer", async () => {
    const before = web.issuer.requests.length;
    const response = await fetch(`${web.baseURL}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(web.issuer.requests.length).toBe(before);
  });

  it("shows who is signed in on the home page, and nobody without a session", async () => {
    const response = await fetch(`${web.baseURL}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Nobody is signed in.");
  });

  it("sends no Referer from its pages and lets no cache keep them", async () => {
    const response = await fetch(`${web.baseURL}/login?session_transfer_token=${token()}`, {
      redirect: "manual",
    });
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("discovers the issuer once for all the requests of this process", async () => {
    // Whatever other tests ran against this app before, three more sign-ins add no discovery.
    const before = web.issuer.counters.authorize;
    for (let i = 0; i < 3; i++) {
      const { final } = await new BrowserLikeClient().follow(
        `${web.baseURL}/login?session_transfer_token=${token(ALICE)}`,
      );
      expect(final.status).toBe(200);
    }
    expect(web.issuer.counters.authorize - before).toBe(3);
    expect(web.issuer.counters.discovery).toBe(1);
  });
});

describe("bad input gets a clear 400", () => {
  const cases: Array<[string, () => string, RegExp]> = [
    [
      "a repeated token",
      () => `session_transfer_token=${token()}&session_transfer_token=${token()}`,
      /query parameter session_transfer_token is repeated/,
    ],
    ["a repeated returnTo", () => "returnTo=/a&returnTo=/b", /query parameter returnTo is repeated/],
    ["an empty token", () => "session_transfer_token=", /session_transfer_token is empty/],
    [
      "a token over 2 KiB",
      () => `session_transfer_token=${"a".repeat(MAX_TOKEN_BYTES + 1)}`,
      /longer than 2048 bytes/,
    ],
    ["a NUL in the token", () => `session_transfer_token=ab%00cd`, /contains control characters/],
    ["a line break in the token", () => `session_transfer_token=ab%0D%0Acd`, /contains control characters/],
    ["a space in the token", () => `session_transfer_token=ab%20cd`, /characters a token cannot have/],
    ["a control character in returnTo", () => "returnTo=/a%0A", /contains control characters/],
    [
      "a returnTo to another host",
      () => "returnTo=https%3A%2F%2Fevil.test%2F",
      /returnTo must be a path on this site/,
    ],
    [
      "a protocol-relative returnTo",
      () => "returnTo=%2F%2Fevil.test%2F",
      /returnTo must be a path on this site/,
    ],
    ["a backslash returnTo", () => "returnTo=%2F%5Cevil.test", /returnTo must be a path on this site/],
    // Each of these normalises to "//evil.test/..." once parsed: protocol-relative, another host.
    [
      "a dot-dot returnTo",
      () => "returnTo=%2F..%2F%2Fevil.test%2Fphish",
      /returnTo must be a path on this site/,
    ],
    ["a dot returnTo", () => "returnTo=%2F.%2F%2Fevil.test%2Fphish", /returnTo must be a path on this site/],
    [
      "an encoded dot-dot returnTo",
      () => "returnTo=%2F%252e%252e%2F%2Fevil.test",
      /returnTo must be a path on this site/,
    ],
    [
      "an absolute returnTo with a double slash path",
      () => `returnTo=${encodeURIComponent(`${web.baseURL}//evil.test/phish`)}`,
      /returnTo must be a path on this site/,
    ],
    [
      "a javascript: returnTo",
      () => "returnTo=javascript%3Aalert(1)",
      /returnTo must be a path on this site/,
    ],
    ["a returnTo back to /login", () => "returnTo=%2Flogin", /must not point at a sign-in/],
    [
      "a returnTo carrying a token",
      () => "returnTo=%2F%3Fsession_transfer_token%3Dx",
      /must not carry a session transfer token/,
    ],
  ];

  it.each(cases)("rejects %s on /login", async (_name, query, message) => {
    const response = await fetch(`${web.baseURL}/login?${query()}`, { redirect: "manual" });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toMatch(message);
    expect(body).toContain("<h1>Bad request</h1>");
  });

  it("accepts a token of exactly 2 KiB", async () => {
    const stt = "b".repeat(MAX_TOKEN_BYTES);
    const location = await loginLocation(`${web.baseURL}/login?session_transfer_token=${stt}`);
    expect(location.searchParams.get("session_transfer_token")).toBe(stt);
  });

  it("answers JSON to clients that ask for it", async () => {
    const response = await fetch(`${web.baseURL}/login?session_transfer_token=`, {
      headers: { accept: "application/json" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_session_transfer_token",
      message: "session_transfer_token is empty.",
    });
  });

  it("rejects a callback whose state does not match the sign-in started in this browser", async () => {
    const client = new BrowserLikeClient();
    await client.request(`${web.baseURL}/login`); // sets the transaction cookie
    const { response } = await client.request(`${web.baseURL}/callback?code=abc&state=not-the-state`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/does not belong to a sign-in started here/);
  });

  it("rejects a callback without state", async () => {
    const client = new BrowserLikeClient();
    await client.request(`${web.baseURL}/login`);
    const { response } = await client.request(`${web.baseURL}/callback?code=abc`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/state is missing, wrong or already used/);
  });

  it("rejects a callback that no sign-in started (no transaction cookie)", async () => {
    const response = await fetch(`${web.baseURL}/callback?code=abc&state=xyz`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/does not belong to a sign-in started here/);
  });

  it("rejects a callback with a repeated code", async () => {
    const response = await fetch(`${web.baseURL}/callback?code=a&code=b&state=x`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/query parameter code is repeated/);
  });

  it("shows what happened when the identity provider answers the callback with error=", async () => {
    const client = new BrowserLikeClient();
    const stt = `stt_unknown_${randomBytes(8).toString("hex")}`;
    usedTokens.add(stt);
    const { final, finalUrl } = await client.follow(`${strict.baseURL}/login?session_transfer_token=${stt}`);
    expect(new URL(finalUrl).pathname).toBe("/callback");
    expect(new URL(finalUrl).searchParams.get("error")).toBe("login_required");
    expect(finalUrl).not.toContain(stt);
    expect(final.status).toBe(400);
    const body = await final.text();
    expect(body).toContain("Sign-in did not complete");
    expect(body).toContain("The identity provider did not sign you in (login_required)");
    expect(body).toContain("No valid session transfer token and no default account");
  });

  it("answers 404 for an unknown path", async () => {
    const response = await fetch(`${web.baseURL}/nope`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("There is no page here.");
  });

  it("keeps serving after all of the above", async () => {
    const response = await fetch(`${web.baseURL}/healthz`);
    expect(response.status).toBe(200);
  });
});

describe("logs", () => {
  it("log a sign-in's requests on stdout as paths only, without its token", async () => {
    const before = output.text().length;
    const stt = token(ALICE);
    const client = new BrowserLikeClient();
    const { final } = await client.follow(`${web.baseURL}/login?session_transfer_token=${stt}`);
    expect(final.status).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    const lines = output.text().slice(before);
    expect(lines).toMatch(/"msg":"request","method":"GET","path":"\/login","status":302/);
    expect(lines).toMatch(/"msg":"request","method":"GET","path":"\/callback","status":302/);
    expect(lines).not.toContain(stt);
  });
});
