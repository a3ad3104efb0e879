/**
 * What an outsider can make the product's pages say or keep: text chosen by the attacker on a 400
 * page, a token left in the address bar by a 404, a sign-out route reached through a
 * percent-encoded `returnTo`, and a query smuggled behind a `#` in the request line. Over real
 * HTTPS against a real OpenID provider.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEAN_ADDRESS_SCRIPT } from "../app/pages";
import { get, Outsider, OUTSIDER_ACCOUNTS } from "../testkit/outsider";
import { startWebFixture, type WebFixture } from "../testkit/web-fixture";

let web: WebFixture;
const outsider = new Outsider(() => web);

beforeAll(async () => {
  web = await startWebFixture({ accounts: OUTSIDER_ACCOUNTS, app: { log: () => undefined } });
});

afterAll(async () => {
  await web?.close();
});

describe("attacker-chosen parameter names on a 400 page", () => {
  const PHISH = "ACCOUNT_LOCKED.Call-support-at-555-0100";

  it.each(["/", "/login", "/callback"])("are not echoed by %s", async (path) => {
    const response = await get(`${web.baseURL}${path}?${PHISH}=1&${PHISH}=2`);
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain("repeated");
    expect(body).not.toContain("555");
    expect(body).not.toContain("ACCOUNT_LOCKED");
  });

  it("names a parameter the app knows", async () => {
    const response = await get(`${web.baseURL}/login?returnTo=/a&returnTo=/b`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("The query parameter returnTo is repeated");
  });

  it("does not echo a made-up parameter with control characters either", async () => {
    const response = await get(`${web.baseURL}/login?${PHISH}=%07`);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain("555");
  });
});

describe("a token in the address bar of a page that is not /login", () => {
  it.each(["/login/", "/Login", "/login/x"])("is replaced by a clean URL on the 404 for %s", async (path) => {
    const stt = outsider.token();
    const response = await get(`${web.baseURL}${path}?session_transfer_token=${stt}`);
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(body).toContain(`<script>${CLEAN_ADDRESS_SCRIPT}</script>`);
    expect(body).not.toContain(stt);
    expect(web.issuer.redeemedTokens.map((r) => r.token)).not.toContain(stt);
  });
});

describe("returnTo that is a sign-in or sign-out route once decoded", () => {
  it.each(["%2F%256Cogout", "/%6Cogout", "/%6C%6F%67%6F%75%74", "/%63allback", "/logi%6E", "/%2E/logout"])(
    "refuses returnTo=%s",
    async (value) => {
      const before = web.issuer.counters.authorize;
      const response = await get(`${web.baseURL}/login?returnTo=${value}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("must not point at a sign-in or sign-out route");
      expect(web.issuer.counters.authorize).toBe(before);
    },
  );

  it("still lands on an encoded path that is no route of the app", async () => {
    const response = await get(`${web.baseURL}/login?returnTo=${encodeURIComponent("/%6Cogin-help")}`);
    await response.body?.cancel();
    expect(response.status).toBe(302);
  });
});

describe("a query behind a # in the request line", () => {
  it("is not read: the token after it is not forwarded", async () => {
    const stt = outsider.token();
    const answer = await outsider.rawRequest(`/login#x?session_transfer_token=${stt}`);
    expect(answer.status).toBe(302);
    expect(String(answer.headers.location)).not.toContain(stt);
    expect(answer.body).not.toContain(stt);
  });

  it("is not read: a returnTo after it is not used", async () => {
    const answer = await outsider.rawRequest(`/login#x?returnTo=//evil.test`);
    expect(answer.status).toBe(302);
    expect(new URL(String(answer.headers.location)).pathname).toBe("/authorize");
  });

  it("does not hide the real query before it", async () => {
    const stt = outsider.token();
    const answer = await outsider.rawRequest(`/login?session_transfer_token=${stt}#x`);
    expect(answer.status).toBe(302);
    expect(new URL(String(answer.headers.location)).searchParams.get("session_transfer_token")).toBe(stt);
  });
});
