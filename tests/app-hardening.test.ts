/**
 * What an outsider can send the running app, and what it must not achieve: each attack below was
 * run against the app and is kept as a test. Over real HTTPS against a real OpenID provider.
 */

import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BrowserLikeClient } from "../testkit/browser-like-client";
import { startWebFixture, type WebFixture } from "../testkit/web-fixture";
import { captureProcessOutput, type OutputCapture } from "../testkit/output-capture";

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
const usedTokens = new Set<string>();

function token(owner?: string): string {
  const value = owner
    ? web.issuer.issueSessionTransferToken(owner)
    : `stt_${randomBytes(24).toString("base64url")}`;
  usedTokens.add(value);
  return value;
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

describe("login CSRF with the query method", () => {
  const loginWith = (stt: string, site?: string): Promise<Response> =>
    fetch(`${web.baseURL}/login?session_transfer_token=${stt}`, {
      redirect: "manual",
      headers: site ? { "sec-fetch-site": site, "sec-fetch-mode": "navigate" } : {},
    });

  it.each(["cross-site", "same-site"])(
    "does not forward a token from a %s navigation and refuses with a page that never shows it",
    async (site) => {
      const before = web.issuer.counters.authorize;
      const stt = token(MALLORY);
      const response = await loginWith(stt, site);
      expect(response.status).toBe(403);
      expect(response.headers.get("location")).toBeNull();
      const body = await response.text();
      expect(body).toContain("was opened from another site");
      expect(body).not.toContain(stt);
      expect(web.issuer.counters.authorize).toBe(before);
      expect(web.issuer.redeemedTokens.map((r) => r.token)).not.toContain(stt);
    },
  );

  it.each([["none"], ["same-origin"], [undefined]])(
    "forwards the token when the navigation's Sec-Fetch-Site is %s",
    async (site) => {
      const stt = token();
      const response = await loginWith(stt, site);
      await response.body?.cancel();
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get("location") ?? "");
      expect(location.pathname).toBe("/authorize");
      expect(location.searchParams.get("session_transfer_token")).toBe(stt);
    },
  );

  it("still starts a plain sign-in (no token) from a cross-site link", async () => {
    const response = await fetch(`${web.baseURL}/login`, {
      redirect: "manual",
      headers: { "sec-fetch-site": "cross-site" },
    });
    await response.body?.cancel();
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get("location") ?? "").pathname).toBe("/authorize");
  });
});

describe("no token left in the address bar after /login refuses", () => {
  it.each([
    ["a token with characters a token cannot have", "session_transfer_token=ab%20cd"],
    ["a repeated token", "session_transfer_token=abc&session_transfer_token=def"],
  ])("replaces the refused URL (%s) with a clean one", async (_name, query) => {
    const response = await fetch(`${web.baseURL}/login?${query}`, { redirect: "manual" });
    expect(response.status).toBe(400);
    const body = await response.text();
    // The page replaces its own history entry before anything else, with a CSP that allows only it.
    const script = /<script>(history\.replaceState\(null,"","\/login\?refused=1"\))<\/script>/.exec(body);
    expect(script).not.toBeNull();
    const csp = response.headers.get("content-security-policy") ?? "";
    const { createHash } = await import("node:crypto");
    const hash = createHash("sha256")
      .update(script?.[1] ?? "")
      .digest("base64");
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(body).not.toMatch(/abc|def|ab cd/);
  });

  it("refuses a cross-site token the same way", async () => {
    const stt = token();
    const response = await fetch(`${web.baseURL}/login?session_transfer_token=${stt}`, {
      redirect: "manual",
      headers: { "sec-fetch-site": "cross-site" },
    });
    const body = await response.text();
    expect(body).toContain('history.replaceState(null,"","/login?refused=1")');
  });

  it("answers the clean URL without starting a sign-in", async () => {
    const before = web.issuer.counters.authorize;
    const response = await fetch(`${web.baseURL}/login?refused=1`, { redirect: "manual" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Go back to the app and open the web page again");
    expect(web.issuer.counters.authorize).toBe(before);
  });
});

describe("attacker-chosen text on the product's page", () => {
  const PHISH = "Your account is locked. Call +1 555 0100 to unlock it";

  it("does not show error_description for a response to no sign-in started here", async () => {
    const response = await fetch(
      `${web.baseURL}/callback?error=access_denied&error_description=${encodeURIComponent(PHISH)}&state=forged`,
    );
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).not.toContain("Call +1 555");
    expect(body).toContain("does not belong to a sign-in started here");
  });

  it("does not show it either when the state is not the one of this browser's sign-in", async () => {
    const client = new BrowserLikeClient();
    await client.request(`${web.baseURL}/login`);
    const { response } = await client.request(
      `${web.baseURL}/callback?error=access_denied&error_description=${encodeURIComponent(PHISH)}&state=forged`,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain("Call +1 555");
  });

  it("shows the provider's description for a response to a sign-in started here", async () => {
    const client = new BrowserLikeClient();
    const { final } = await client.follow(`${strict.baseURL}/login`);
    expect(final.status).toBe(400);
    expect(await final.text()).toContain("No valid session transfer token and no default account");
  });
});

describe("HSTS", () => {
  it.each([
    ["/healthz", 200],
    ["/", 200],
    ["/login", 302],
    ["/login?session_transfer_token=", 400],
    ["/nope", 404],
    ["/callback?code=a&state=b", 400],
  ])("sends Strict-Transport-Security of a year or more on %s", async (path, status) => {
    const response = await fetch(`${web.baseURL}${path}`, { redirect: "manual" });
    await response.body?.cancel();
    expect(response.status).toBe(status);
    const hsts = response.headers.get("strict-transport-security") ?? "";
    const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
    expect(maxAge).toBeGreaterThanOrEqual(YEAR_S);
  });
});

describe("logout", () => {
  async function signedIn(): Promise<BrowserLikeClient> {
    const client = new BrowserLikeClient();
    const { final } = await client.follow(`${web.baseURL}/login?session_transfer_token=${token(ALICE)}`);
    expect(await final.text()).toContain("Alice Example");
    return client;
  }

  it("does not end the session for a cross-site GET, and offers a same-origin button instead", async () => {
    const client = await signedIn();
    const { response, hop } = await client.request(`${web.baseURL}/logout`, {
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(response.status).toBe(200);
    expect(hop.location).toBeUndefined();
    expect(await response.text()).toContain('<form method="post" action="/logout">');
    const { final } = await client.follow(`${web.baseURL}/`);
    expect(await final.text()).toContain("Alice Example");
  });

  it("refuses a POST from another origin", async () => {
    const client = await signedIn();
    const { response } = await client.request(`${web.baseURL}/logout`, {
      method: "POST",
      headers: { origin: "https://evil.test", "sec-fetch-site": "cross-site" },
    });
    expect(response.status).toBe(403);
    const { final } = await client.follow(`${web.baseURL}/`);
    expect(await final.text()).toContain("Alice Example");
  });

  it("signs out with the page's own POST button, to exactly BASE_URL", async () => {
    const client = await signedIn();
    const home = await (await client.request(`${web.baseURL}/`)).response.text();
    expect(home).toContain('<form method="post" action="/logout">');
    const { hop } = await client.request(`${web.baseURL}/logout`, {
      method: "POST",
      headers: { origin: web.baseURL, "sec-fetch-site": "same-origin" },
    });
    const logout = new URL(hop.location ?? "");
    expect(logout.pathname).toBe("/v2/logout");
    expect(logout.searchParams.get("returnTo")).toBe(web.baseURL);
    const { final } = await client.follow(hop.location ?? "");
    expect(await final.text()).toContain('data-signed-in="false"');
  });
});

describe("logs", () => {
  it("record a refused sign-in on stdout by its path, without its token", async () => {
    const before = output.text().length;
    const stt = token();
    const response = await fetch(`${web.baseURL}/login?session_transfer_token=${stt}`, {
      redirect: "manual",
      headers: { "sec-fetch-site": "cross-site" },
    });
    await response.body?.cancel();
    expect(response.status).toBe(403);
    await new Promise((resolve) => setImmediate(resolve));
    const lines = output.text().slice(before);
    expect(lines).toContain('"msg":"cross_site_token_refused"');
    expect(lines).toMatch(/"msg":"request","method":"GET","path":"\/login","status":403/);
    expect(lines).not.toContain(stt);
  });
});
