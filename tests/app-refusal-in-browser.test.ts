/**
 * A refused /login in a real browser (headless Chromium): the address bar, reload and history end
 * on a URL without the token, and a cross-site navigation's token is not used.
 */

import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, chromiumAvailable, historyEntries, launchChromium } from "../e2e/browser";
import { startWebFixture, type WebFixture } from "../testkit/web-fixture";

const RUNNABLE = chromiumAvailable();
const IN_CI = Boolean(process.env.CI) && process.env.CI !== "false";

describe.skipIf(!RUNNABLE && !IN_CI)("a refused /login in Chromium", () => {
  let web: WebFixture;
  let browser: Browser;
  let context: BrowserContext;
  let port: string;

  beforeAll(async () => {
    if (!RUNNABLE) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}`);
    web = await startWebFixture({ appHost: "web.test" });
    port = new URL(web.baseURL).port;
    // web.test is the app; evil.test is another site served by the same loopback server.
    browser = await launchChromium("MAP web.test 127.0.0.1, MAP evil.test 127.0.0.1", []);
    context = await browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: false });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await web?.close();
  });

  it("leaves no token in the address bar, on reload or in history after a 400", async () => {
    const page = await context.newPage();
    const token = "stt_refused%20token";
    const response = await page.goto(`${web.baseURL}/login?session_transfer_token=${token}`);
    expect(response?.status()).toBe(400);
    expect(await page.locator("#message").textContent()).toContain("characters a token cannot have");
    expect(page.url()).toBe(`${web.baseURL}/login?refused=1`);
    for (const entry of await historyEntries(page)) expect(entry.url).not.toContain("stt_refused");
    await page.reload();
    expect(page.url()).toBe(`${web.baseURL}/login?refused=1`);
    expect(await page.locator("#message").textContent()).toContain("open the web page again");
    await page.close();
  });

  it("does not use a token from a link on another site, and cleans the address bar", async () => {
    const page = await context.newPage();
    const before = web.issuer.counters.authorize;
    await page.goto(`https://evil.test:${port}/nope`);
    const target = `${web.baseURL}/login?session_transfer_token=stt_planted_by_evil`;
    await page.setContent(`<a id="go" href="${target}">win a prize</a>`);
    await Promise.all([page.waitForURL(`${web.baseURL}/login?refused=1`), page.click("#go")]);
    expect(await page.locator("h1").textContent()).toBe("Sign-in link refused");
    expect(await page.content()).not.toContain("stt_planted_by_evil");
    expect(web.issuer.counters.authorize).toBe(before);
    await page.close();
  });
});
