/**
 * Native to Web SSO to several apps, in Chromium against the local tenant: the hosted web app, a
 * single-page app that signs in with Auth0's own `@auth0/auth0-spa-js` (nobody here wrote its login
 * code), and per-platform native clients. Every client the tenant knows is read from what
 * `index.ts` declares for the dev stack with these apps configured.
 */

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHROMIUM, chromiumAvailable, historyEntries, openWebView, type OpenedWebView } from "../e2e/browser";
import { startEnvironment, type Environment } from "../e2e/harness";
import type { MobileAppSimulator } from "../e2e/mobile-app-simulator";
import {
  devStackRenderer,
  type MobileAppSettings,
  type SpaUnderTest,
  type StackUnderTest,
} from "../e2e/stack";
import type { SessionTransferMethod } from "../model/session-transfer";
import { REFUSAL_MESSAGES, type RefusalReason } from "../testkit/tenant/session-transfer";
import type { SsoOutcome } from "../model/sso-event-patterns";
import { DEV_SHOP_SPA as SPA } from "../testkit/many-apps";
import { expectStreamCounted } from "../testkit/tenant-log-stream";

const RUNNABLE = chromiumAvailable();
const IN_CI = Boolean(process.env.CI) && process.env.CI !== "false";
if (!RUNNABLE && !IN_CI) {
  process.stderr.write(`\n!!! SKIPPING the many-apps browser tests: no Chromium at ${CHROMIUM}.\n\n`);
}

const withApps = (spa: Record<string, unknown> = {}, more: Record<string, string> = {}) => ({
  "native-web-sso:externalWebApps": JSON.stringify([{ ...SPA, ...spa }]),
  ...more,
});

/** The dev stack as the real program declares it, with config overrides (rendered once per set). */
const devStack = devStackRenderer(async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
});

const CARRIER_A = 64_500;
const CARRIER_B = 64_501;

describe.skipIf(!RUNNABLE && !IN_CI)("Native to Web SSO to several apps, in Chromium", () => {
  let env: Environment;

  beforeAll(async () => {
    if (!RUNNABLE) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}`);
    env = await startEnvironment(await devStack(withApps()));
  });
  afterAll(async () => {
    await env?.close();
  });

  async function useStack(overrides: Record<string, string>): Promise<StackUnderTest> {
    const stack = await devStack(overrides);
    await env.reconfigure(stack);
    env.logStream.clear();
    env.tenant.setAsn(env.plan.browserDevice, CARRIER_A);
    env.tenant.setAsn(env.plan.otherDevice, CARRIER_B);
    return stack;
  }

  /** The stack's own rules count exactly this of what the tenant's log stream delivered (see the other suite). */
  function expectCounted(expected: Partial<Record<SsoOutcome, number>>): void {
    expectStreamCounted(env.stack.model, env.logStream, expected);
  }

  function spaOf(stack: StackUnderTest): SpaUnderTest {
    const [spa] = stack.spas;
    expect(spa?.name).toBe("shop");
    return spa;
  }

  /** What the native app opens for a web app: the same settings with that app's login URI. */
  function opening(app: MobileAppSimulator, loginUri: string): MobileAppSettings {
    return { ...app.settings, webLoginUri: loginUri };
  }

  async function signedIn(deviceAddress?: string, nativeClient?: string): Promise<MobileAppSimulator> {
    const app = env.mobileApp(deviceAddress, nativeClient);
    await app.signIn(env.tenant.user.email, env.tenant.user.password);
    return app;
  }

  /**
   * No trace of the token where the user or an operator could find it: not in the URL the user ends
   * on, not in what Back, Forward or reload go to, not in any server's log. Chromium keeps, in the
   * web view's memory only, the URL each navigation started with: the one the native app opened,
   * and (for the SPA, whose SDK navigates to `/authorize` itself) that `/authorize` request.
   */
  async function expectNoTraceOf(token: string, view: OpenedWebView, tenantHost: string): Promise<void> {
    const { page, openedUrl } = view;
    expect(page.url()).not.toContain(token);
    const history = await historyEntries(page);
    for (const entry of history) {
      expect(entry.url).not.toContain(token);
      if (entry.userTypedURL.includes(token)) {
        const started =
          entry.userTypedURL === openedUrl ||
          entry.userTypedURL.startsWith(`https://${tenantHost}/authorize?`);
        expect(started, entry.userTypedURL).toBe(true);
      }
    }
    expect(await page.evaluate("history.length")).toBe(history.length);
    for (const log of [env.webLog, env.spaLog, env.tenant.log]) expect(log.join("\n")).not.toContain(token);
  }

  /** The page's `#status` flag, `null` where there is none (e.g. the tenant's login page); never waits. */
  const signedInFlag = (page: Page) =>
    page.evaluate('document.querySelector("#status")?.getAttribute("data-signed-in") ?? null');

  async function expectSignedIn(
    page: Page,
    url: string,
    app: MobileAppSimulator,
    timeout = 15_000,
  ): Promise<void> {
    await expect.poll(() => signedInFlag(page), { timeout }).toBe("true");
    expect(page.url()).toBe(url);
    expect(await page.locator("#sub").textContent()).toBe(app.subject);
    expect(await page.locator("#user").textContent()).toBe(env.tenant.user.name);
  }

  /** Hands a fresh token to the single-page app and expects it signed in, with no trace of the token. */
  async function handOverToSpa(
    stack: StackUnderTest,
    app: MobileAppSimulator,
    method: SessionTransferMethod,
  ): Promise<void> {
    const spa = spaOf(stack);
    const token = await app.sessionTransferToken();
    const view = await openWebView(env.browser, opening(app, spa.loginUri), method, token);
    try {
      await expectSignedIn(view.page, `https://${spa.host}/`, app);
      await expectNoTraceOf(token, view, stack.tenantHost);
    } finally {
      await view.context.close();
    }
  }

  async function handOverToHostedApp(
    stack: StackUnderTest,
    app: MobileAppSimulator,
    method: SessionTransferMethod,
  ): Promise<void> {
    const token = await app.sessionTransferToken();
    const view = await openWebView(env.browser, opening(app, stack.mobileApp.webLoginUri), method, token);
    try {
      await expectSignedIn(view.page, `${stack.webAppSettings.baseURL}/`, app);
      await expectNoTraceOf(token, view, stack.tenantHost);
    } finally {
      await view.context.close();
    }
  }

  async function expectRefused(
    stack: StackUnderTest,
    app: MobileAppSimulator,
    loginUri: string,
    method: SessionTransferMethod,
    reason: RefusalReason,
  ): Promise<void> {
    const token = await app.sessionTransferToken();
    const view = await openWebView(env.browser, opening(app, loginUri), method, token);
    try {
      await expect
        .poll(() => new URL(view.page.url()).pathname, { timeout: 15_000 })
        .toMatch(/^\/interaction\//);
      expect(new URL(view.page.url()).hostname).toBe(stack.tenantHost);
      expect(await view.page.locator("#error").textContent()).toBe(REFUSAL_MESSAGES[reason]);
      await expectNoTraceOf(token, view, stack.tenantHost);
    } finally {
      await view.context.close();
    }
  }

  it("registers the single-page app's client at the tenant exactly as the stack declares it", async () => {
    const stack = await useStack(withApps());
    const spa = spaOf(stack);
    expect(env.tenant.clients()).toEqual(stack.clients);
    expect(env.tenant.clients().find((c) => c.resourceName === "shop-client")).toEqual(spa.client);
    expect(spa.client).toMatchObject({
      appType: "spa",
      tokenEndpointAuthMethod: "none",
      clientSecret: undefined,
      grantTypes: ["authorization_code"],
      callbacks: SPA.callbackUrls,
      allowedOrigins: SPA.webOrigins,
      initiateLoginUri: SPA.loginUri,
      sessionTransfer: { allowedAuthenticationMethods: ["cookie", "query"], enforceDeviceBinding: "asn" },
    });
    expect(spa.settings).toEqual({
      domain: stack.tenantHost,
      clientId: spa.client.clientId,
      redirectUri: "https://shop-dev.acme.com/callback",
    });
    expectCounted({});
  });

  for (const method of ["query", "cookie"] as const) {
    it(`${method}: the native app signs in once and hands over to the hosted app and to the single-page app, the same user in both`, async () => {
      const stack = await useStack(withApps());
      const app = await signedIn();
      await handOverToHostedApp(stack, app, method);
      const before = env.tenant.log.length;
      await handOverToSpa(stack, app, method);
      // The SDK exchanged its code cross-origin, from the page's origin that the client allows.
      const spaLines = env.tenant.log.slice(before);
      expect(spaLines).toContain(`session transfer by ${method} for shop-client: accepted`);
      expect(spaLines).toContain("OPTIONS /oauth/token 204");
      expect(spaLines).toContain("POST /oauth/token 200");
      // Both hand-overs count, the single-page app's as much as the hosted app's.
      expectCounted({ exchangeSucceeded: 2, handOverRedeemed: 2 });
    });
  }

  it("fails the single-page app's query hand-over when the stack does not allow query for it", async () => {
    const stack = await useStack(withApps({ allowedAuthenticationMethods: ["cookie"] }));
    const spa = spaOf(stack);
    expect(spa.client.sessionTransfer.allowedAuthenticationMethods).toEqual(["cookie"]);
    const app = await signedIn();
    const token = await app.sessionTransferToken();
    const view = await openWebView(env.browser, opening(app, spa.loginUri), "query", token);
    try {
      // The hand-over's own check fails: the SPA never gets signed in...
      await expect(expectSignedIn(view.page, `https://${spa.host}/`, app, 3_000)).rejects.toThrow();
      // ...because the tenant refused the token sent that way and asks the user to log in.
      expect(new URL(view.page.url()).hostname).toBe(stack.tenantHost);
      expect(await view.page.locator("#error").textContent()).toBe(REFUSAL_MESSAGES.method_not_allowed);
      await expectNoTraceOf(token, view, stack.tenantHost);
    } finally {
      await view.context.close();
    }
    // The hosted app still allows query, and the SPA still takes the cookie.
    await handOverToHostedApp(stack, app, "query");
    await handOverToSpa(stack, app, "cookie");
    // A token sent by a method the client does not accept is ignored without a documented log.
    expectCounted({ exchangeSucceeded: 3, handOverRedeemed: 2 });
  });

  it("a token the hosted app redeemed, replayed at the single-page app: the user sees the tenant's login prompt, the token nowhere", async () => {
    const stack = await useStack(withApps());
    const app = await signedIn();
    const token = await app.sessionTransferToken();
    const hosted = await openWebView(env.browser, opening(app, stack.mobileApp.webLoginUri), "query", token);
    try {
      await expectSignedIn(hosted.page, `${stack.webAppSettings.baseURL}/`, app);
    } finally {
      await hosted.context.close();
    }
    const replay = await openWebView(env.browser, opening(app, spaOf(stack).loginUri), "query", token);
    try {
      await expect
        .poll(() => new URL(replay.page.url()).pathname, { timeout: 15_000 })
        .toMatch(/^\/interaction\//);
      await replay.page.waitForLoadState("load");
      expect(await replay.page.locator("#error").textContent()).toBe(REFUSAL_MESSAGES.token_already_used);
      await expectNoTraceOf(token, replay, stack.tenantHost);
    } finally {
      await replay.context.close();
    }
  });

  it("answers the token endpoint's CORS only for the single-page app's own origin", async () => {
    const stack = await useStack(withApps());
    const spa = spaOf(stack);
    const preflight = async (origin: string) =>
      fetch(`https://${stack.tenantHost}/oauth/token`, {
        method: "POST",
        headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          client_id: spa.client.clientId,
          code: "x",
        }),
      });
    const own = await preflight("https://shop-dev.acme.com");
    expect(own.headers.get("access-control-allow-origin")).toBe("https://shop-dev.acme.com");
    const forged = await preflight("https://evil.example");
    expect(forged.headers.get("access-control-allow-origin")).toBeNull();
    expect(((await forged.json()) as { error_description?: string }).error_description).toContain(
      "origin https://evil.example not allowed",
    );
    expectCounted({});
  });

  describe("with one native client per platform", () => {
    const PER_PLATFORM = withApps({}, { "native-web-sso:nativeClients": "per-platform" });

    for (const platform of ["ios", "android"] as const) {
      it(`${platform}: its own client signs in and hands over to the hosted app and to the single-page app`, async () => {
        const stack = await useStack(PER_PLATFORM);
        const settings = stack.mobileApps[platform];
        expect(settings.clientId).not.toBe(stack.mobileApp.clientId);
        const client = env.tenant.clients().find((c) => c.clientId === settings.clientId);
        expect(client?.resourceName).toBe(`native-${platform}-client`);
        expect(client?.sessionTransfer.canCreateSessionTransferToken).toBe(true);
        expect(client?.callbacks).toEqual(settings.redirectUrls);
        const app = await signedIn(undefined, platform);
        await handOverToHostedApp(stack, app, "query");
        await handOverToSpa(stack, app, "cookie");
        // The platform's own client is one of the stack's native clients for the rules.
        expectCounted({ exchangeSucceeded: 2, handOverRedeemed: 2 });
      });
    }

    it("redeems a token of one platform's client only as the web client's binding and methods allow", async () => {
      const stack = await useStack({
        ...PER_PLATFORM,
        "native-web-sso:allowedAuthenticationMethods": '["query"]',
      });
      // Another network operator: the web client's ASN binding refuses the iOS client's token.
      const ios = await signedIn(env.plan.otherDevice, "ios");
      await expectRefused(stack, ios, stack.mobileApp.webLoginUri, "query", "asn_mismatch");
      // The same phone back on the browser's network: accepted.
      ios.moveTo(env.plan.browserDevice);
      await handOverToHostedApp(stack, ios, "query");
      // The Android client's token by cookie, which the hosted web client no longer accepts.
      const android = await signedIn(undefined, "android");
      await expectRefused(stack, android, stack.mobileApp.webLoginUri, "cookie", "method_not_allowed");
      // The single-page app sets no methods of its own, so the stack's apply to it as well.
      expect(spaOf(stack).client.sessionTransfer.allowedAuthenticationMethods).toEqual(["query"]);
      await handOverToSpa(stack, android, "query");
      expectCounted({ exchangeSucceeded: 4, bindingMismatch: 1, handOverRedeemed: 2 });
    });

    it("keeps the shared client working next to the per-platform ones", async () => {
      const stack = await useStack(PER_PLATFORM);
      expect(stack.mobileApps.shared.clientId).toBe(stack.native.clientId);
      const shipped = await signedIn();
      await handOverToHostedApp(stack, shipped, "query");
      expectCounted({ exchangeSucceeded: 1, handOverRedeemed: 1 });
    });
  });
});
