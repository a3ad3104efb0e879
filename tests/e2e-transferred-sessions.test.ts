/**
 * The stack's post-login Action in Chromium: the local tenant runs the code the dev stack declares
 * (rendered with the Action's keys set) where Auth0 runs post-login Actions. A web session that a
 * session transfer token started ends at the configured absolute lifetime however active it is,
 * and after the configured idle lifetime without use; an ordinary password login at the same web
 * app keeps the tenant's lifetime. With refusals on, a token of a native app the stack does not
 * declare is refused with the Action's message.
 */

import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHROMIUM, chromiumAvailable, openWebView } from "../e2e/browser";
import { startEnvironment, type Environment } from "../e2e/harness";
import { devStackRenderer, type StackUnderTest } from "../e2e/stack";
import { TRANSFER_REFUSAL_PREFIX } from "../model/transferred-sessions";

const RUNNABLE = chromiumAvailable();
const IN_CI = Boolean(process.env.CI) && process.env.CI !== "false";
const LIFETIME_S = 3600;
const IDLE_S = 900;

const devStack = devStackRenderer(async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
});

describe.skipIf(!RUNNABLE && !IN_CI)("the transferred-session Action in Chromium", () => {
  let env: Environment;
  let stack: StackUnderTest;

  beforeAll(async () => {
    if (!RUNNABLE) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}`);
    stack = await devStack({
      "native-web-sso:transferredSessionLifetime": String(LIFETIME_S),
      "native-web-sso:transferredSessionIdleLifetime": String(IDLE_S),
      "native-web-sso:transferredSessionRefuseUndeclared": "true",
    });
    env = await startEnvironment(stack);
    // The dev stack binds tokens to the network (asn): the browser and the app share a carrier.
    env.tenant.setAsn(env.plan.browserDevice, 64_500);
  }, 120_000);

  afterAll(async () => {
    await env?.close();
  });

  const webHost = () => new URL(stack.webAppSettings.baseURL).hostname;

  /** Signed in on the web app as the tenant's user. */
  async function expectSignedIn(page: Page): Promise<void> {
    expect(page.url()).toBe(`${stack.webAppSettings.baseURL}/`);
    await expect.poll(() => page.locator("#status").getAttribute("data-signed-in")).toBe("true");
    expect(await page.locator("#user").textContent()).toBe(env.tenant.user.name);
  }

  /**
   * Forgets the web app's own session and signs in there again without a token: answered from the
   * tenant's session when it is alive, or the tenant's login page when it has ended.
   */
  async function revisit(context: BrowserContext, page: Page): Promise<"signed in" | "login page"> {
    await context.clearCookies({ domain: webHost() });
    await page.goto(stack.mobileApp.webLoginUri);
    await page.waitForLoadState("load");
    const url = new URL(page.url());
    if (url.hostname === stack.tenantHost && url.pathname.startsWith("/interaction/")) {
      expect(await page.locator("h1").textContent()).toBe("Log in");
      return "login page";
    }
    await expectSignedIn(page);
    return "signed in";
  }

  async function transferredSession(): Promise<{ context: BrowserContext; page: Page }> {
    const app = env.mobileApp();
    await app.signIn(env.tenant.user.email, env.tenant.user.password);
    const view = await openWebView(env.browser, stack.mobileApp, "cookie", await app.sessionTransferToken());
    await expectSignedIn(view.page);
    return view;
  }

  it("ends a transferred session at the configured lifetime, however active it is", async () => {
    const { context, page } = await transferredSession();
    try {
      // Used every 800 s, inside the idle lifetime: alive until the absolute lifetime is over.
      for (let used = 800; used < LIFETIME_S; used += 800) {
        env.tenant.clock.advance(800);
        expect(await revisit(context, page), `after ${used} s`).toBe("signed in");
      }
      env.tenant.clock.advance(LIFETIME_S - 3200 + 1);
      expect(await revisit(context, page)).toBe("login page");
    } finally {
      await context.close();
    }
  }, 120_000);

  it("ends a transferred session left idle for the configured idle lifetime", async () => {
    const { context, page } = await transferredSession();
    try {
      env.tenant.clock.advance(IDLE_S - 60);
      expect(await revisit(context, page)).toBe("signed in");
      env.tenant.clock.advance(IDLE_S + 1);
      expect(await revisit(context, page)).toBe("login page");
    } finally {
      await context.close();
    }
  }, 120_000);

  it("leaves an ordinary login's session alone", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(stack.mobileApp.webLoginUri);
      await page.locator('input[name="email"]').fill(env.tenant.user.email);
      await page.locator('input[name="password"]').fill(env.tenant.user.password);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(`${stack.webAppSettings.baseURL}/`);
      await expectSignedIn(page);
      env.tenant.clock.advance(LIFETIME_S + IDLE_S + 1);
      expect(await revisit(context, page)).toBe("signed in");
    } finally {
      await context.close();
    }
  }, 120_000);

  it("refuses a token of a native app the stack does not declare, with the Action's message", async () => {
    // A native client the tenant knows but the stack does not: registered next to the stack's own.
    const stranger = {
      ...stack.native,
      clientId: "sTrAnGeRnAtIvEaPp0000000000000001",
      resourceName: "stranger",
    };
    env.tenant.configure([...stack.clients, stranger]);
    const strangerApp = env.mobileApp().withSettings({ clientId: stranger.clientId });
    await strangerApp.signIn(env.tenant.user.email, env.tenant.user.password);
    const view = await openWebView(
      env.browser,
      stack.mobileApp,
      "cookie",
      await strangerApp.sessionTransferToken(),
    );
    try {
      // access_denied comes back to the web app's callback with the Action's reason.
      const text = (await view.page.locator("body").textContent()) ?? "";
      expect(`${view.page.url()} ${text}`).toContain("access_denied");
      expect(env.tenant.log.join("\n")).not.toContain("server error");
      expect(decodeURIComponent(view.page.url()) + text).toContain(TRANSFER_REFUSAL_PREFIX);
    } finally {
      await view.context.close();
      env.tenant.configure(stack.clients);
    }
  }, 120_000);
});
