/**
 * Native to Web SSO end to end, offline: a user signed in to the native app arrives signed in on
 * the web app, in headless Chromium, against a local tenant whose two clients are read from what
 * `index.ts` declares for the dev stack (and re-read whenever a test changes the stack's config).
 * The web app is the code the Lambda runs, on HTTPS. Screenshots go to test-results/e2e/.
 */

import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHROMIUM, chromiumAvailable, historyEntries, openWebView, type OpenedWebView } from "../e2e/browser";
import { startEnvironment, type Environment } from "../e2e/harness";
import type { MobileAppSimulator } from "../e2e/mobile-app-simulator";
import { devStackRenderer, type StackUnderTest } from "../e2e/stack";
import { onlyResource } from "../testkit/model";
import {
  REFUSAL_MESSAGES,
  SESSION_TRANSFER_TOKEN_TTL_S,
  SESSION_TRANSFER_TOKEN_TYPE,
  type RefusalReason,
} from "../testkit/tenant/session-transfer";
import { SESSION_TRANSFER_METHODS, type SessionTransferMethod } from "../model/session-transfer";
import { PROJECT_DIR } from "../offline/render";
import { expectStreamCounted } from "../testkit/tenant-log-stream";
import type { SsoOutcome } from "../model/sso-event-patterns";

const ARTIFACTS = join(PROJECT_DIR, "test-results", "e2e");
const RUNNABLE = chromiumAvailable();
const IN_CI = Boolean(process.env.CI) && process.env.CI !== "false";
if (!RUNNABLE && !IN_CI) {
  process.stderr.write(
    `\n!!! SKIPPING the browser end-to-end tests: no Chromium at ${CHROMIUM}. ` +
      "Install it with `apt-get install -y chromium` (CI does, and fails without it).\n\n",
  );
}

/** The dev stack as the real program declares it, with config overrides (rendered once per set). */
const devStack = devStackRenderer(async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
});

// Autonomous systems of the test's IP-to-ASN table.
const CARRIER_A = 64_500;
const CARRIER_B = 64_501;

describe.skipIf(!RUNNABLE && !IN_CI)(
  "Native to Web SSO in Chromium against a local tenant built from the stack",
  () => {
    let env: Environment;
    let stack: StackUnderTest;

    beforeAll(async () => {
      if (!RUNNABLE)
        throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}: install Debian's chromium`);
      mkdirSync(ARTIFACTS, { recursive: true });
      stack = await devStack();
      env = await startEnvironment(stack);
    });

    afterAll(async () => {
      await env?.close();
    });

    /**
     * Runs the tenant and the web app with the dev stack rendered under these config values (never
     * edited after rendering); a fresh ASN table.
     */
    async function useStack(overrides: Record<string, string> = {}): Promise<void> {
      await env.reconfigure(await devStack(overrides));
      env.logStream.clear();
      env.tenant.setAsn(env.plan.browserDevice, CARRIER_A);
      env.tenant.setAsn(env.plan.otherDevice, CARRIER_B);
    }

    /** The stack's own rules count exactly this (others zero) of the scenario's streamed logs. */
    const expectCounted = (expected: Partial<Record<SsoOutcome, number>>) =>
      expectStreamCounted(env.stack.model, env.logStream, expected);

    /** The web client's `session_transfer` block as the rendered program declares it. */
    function declaredWebSessionTransfer(): Record<string, unknown> {
      const web = onlyResource(env.stack.model, "auth0:index/client:Client", env.stack.web.resourceName);
      return web.inputs.sessionTransfer as Record<string, unknown>;
    }

    async function signedInMobileApp(deviceAddress?: string): Promise<MobileAppSimulator> {
      const app = env.mobileApp(deviceAddress);
      await app.signIn(env.tenant.user.email, env.tenant.user.password);
      return app;
    }

    /**
     * The token must be nowhere the user or an operator could find it afterwards: not in the URL the
     * user ends on, not in any history entry (what Back, Forward and reload go to), not in the web
     * app's or the tenant's logs. The one place it stays is the entry's record of the URL the native
     * app itself opened with the query method (the web view's memory, never sent anywhere again).
     */
    async function expectNoTraceOf(token: string, view: OpenedWebView): Promise<void> {
      const { page, openedUrl } = view;
      expect(page.url()).not.toContain(token);
      const history = await historyEntries(page);
      expect(history.length).toBeGreaterThan(1);
      for (const entry of history) {
        expect(entry.url).not.toContain(token);
        if (entry.userTypedURL !== openedUrl) expect(entry.userTypedURL).not.toContain(token);
      }
      expect(await page.evaluate("history.length")).toBe(history.length);
      expect(env.webLog.length).toBeGreaterThan(0);
      expect(env.webLog.join("\n")).not.toContain(token);
      expect(env.tenant.log.join("\n")).not.toContain(token);
    }

    async function expectSignedInOnWeb(page: Page, app: MobileAppSimulator): Promise<void> {
      expect(page.url()).toBe(`${stack.webAppSettings.baseURL}/`);
      await expect.poll(() => page.locator("#status").getAttribute("data-signed-in")).toBe("true");
      expect(await page.locator("#sub").textContent()).toBe(app.subject);
      expect(await page.locator("#user").textContent()).toBe(env.tenant.user.name);
    }

    /** The tenant's login page, with the reason the token was not honoured. */
    async function expectLoginPrompt(
      view: OpenedWebView,
      reason: RefusalReason,
      token: string,
    ): Promise<void> {
      const { page } = view;
      const url = new URL(page.url());
      expect(url.hostname).toBe(stack.tenantHost);
      expect(url.pathname).toMatch(/^\/interaction\//);
      expect(await page.locator("h1").textContent()).toBe("Log in");
      expect(await page.locator("#error").textContent()).toBe(REFUSAL_MESSAGES[reason]);
      await expectNoTraceOf(token, view);
    }

    /** Opens the web view with the token and expects the web app's signed-in page for the app's user. */
    async function signedInWebView(
      method: SessionTransferMethod,
      token: string,
      app: MobileAppSimulator,
    ): Promise<void> {
      const view = await openWebView(env.browser, stack.mobileApp, method, token);
      try {
        await expectSignedInOnWeb(view.page, app);
        await expectNoTraceOf(token, view);
      } finally {
        await view.context.close();
      }
    }

    /** Opens the web view with the token and expects the tenant's login prompt with the reason. */
    async function refusedInWebView(
      method: SessionTransferMethod,
      token: string,
      reason: RefusalReason,
    ): Promise<void> {
      const view = await openWebView(env.browser, stack.mobileApp, method, token);
      try {
        await expectLoginPrompt(view, reason, token);
      } finally {
        await view.context.close();
      }
    }

    it("registers at the tenant exactly the clients the stack declares, and follows the stack's config", async () => {
      await useStack();
      const [native, web] = env.tenant.clients();
      expect(native).toEqual(stack.native);
      expect(web).toEqual(stack.web);
      expect(native).toMatchObject({
        appType: "native",
        tokenEndpointAuthMethod: "none",
        grantTypes: ["authorization_code", "refresh_token"],
        callbacks: stack.mobileApp.redirectUrls,
        refreshTokenRotation: "rotating",
        sessionTransfer: { canCreateSessionTransferToken: true },
      });
      expect(web).toMatchObject({
        appType: "regular_web",
        tokenEndpointAuthMethod: "client_secret_basic",
        grantTypes: ["authorization_code"],
        initiateLoginUri: stack.mobileApp.webLoginUri,
        callbacks: [`${stack.webAppSettings.baseURL}/callback`],
        sessionTransfer: {
          canCreateSessionTransferToken: false,
          allowedAuthenticationMethods: ["cookie", "query"],
          enforceDeviceBinding: "asn",
          allowRefreshToken: false,
        },
      });
      // The audience and cookie domain the native app is told about are the tenant's own.
      expect(stack.mobileApp.sessionTransferAudience).toBe(`urn:${env.tenant.host}:session_transfer`);
      expect(stack.mobileApp.sessionTransferCookie.domain).toBe(env.tenant.host);

      await useStack({
        "native-web-sso:allowedAuthenticationMethods": '["cookie"]',
        "native-web-sso:deviceBinding": "ip",
      });
      expect(env.tenant.clients()[1].sessionTransfer).toMatchObject({
        allowedAuthenticationMethods: ["cookie"],
        enforceDeviceBinding: "ip",
      });
      expectCounted({});
    });

    for (const method of SESSION_TRANSFER_METHODS) {
      it(`${method}: the user signed in to the native app arrives signed in on the web app, with no token left in URL, history or logs`, async () => {
        await useStack();
        const app = await signedInMobileApp();
        const firstRefreshToken = String(app.refreshToken);
        const exchange = await app.exchangeForSessionTransferToken();
        expect(exchange.status).toBe(200);
        expect(exchange.body).toMatchObject({
          issued_token_type: SESSION_TRANSFER_TOKEN_TYPE,
          token_type: "N_A",
          expires_in: SESSION_TRANSFER_TOKEN_TTL_S,
        });
        expect(typeof exchange.body.id_token).toBe("string");
        // Rotation is on: the SDK keeps the new refresh token, and the old one is spent.
        expect(typeof exchange.body.refresh_token).toBe("string");
        expect(app.refreshToken).not.toBe(firstRefreshToken);
        expect((await app.exchangeForSessionTransferToken(firstRefreshToken)).body.error).toBe(
          "invalid_grant",
        );
        const token = String(exchange.body.access_token);

        const view = await openWebView(env.browser, stack.mobileApp, method, token);
        try {
          await expectSignedInOnWeb(view.page, app);
          const screenshot = join(ARTIFACTS, `signed-in-${method}.png`);
          await view.page.screenshot({ path: screenshot, fullPage: true });
          expect(statSync(screenshot).size).toBeGreaterThan(1000);
          await expectNoTraceOf(token, view);
          if (method === "cookie") {
            // The tenant consumed the cookie.
            const left = await view.context.cookies(`https://${stack.tenantHost}/`);
            expect(left.map((c) => c.name)).not.toContain(stack.mobileApp.sessionTransferCookie.name);
          }
        } finally {
          await view.context.close();
        }
        // The rotated refresh token creates the next session transfer token as the first one did.
        expect((await app.exchangeForSessionTransferToken()).status).toBe(200);
        // The native app's password login is streamed too: an ordinary login no rule counts.
        expectCounted({ exchangeSucceeded: 2, exchangeFailed: 1, handOverRedeemed: 1 });
        const logins = env.logStream.delivered.filter((d) => d.decision.type === "password_login");
        expect(logins.map((d) => d.delivered.detail.data.client_id)).toEqual([stack.mobileApp.clientId]);
      });
    }

    // Which refusals the tenant makes is the stand-in's (tests/tenant-session-transfer.test.ts); what
    // these tests hold is the product's part: the user ends on the tenant's login prompt with no
    // token left in the address bar, the history or any log, and the stack's rules count the log.

    it("an expired token: the user sees the tenant's login prompt, no token anywhere, and the stack counts it", async () => {
      await useStack();
      const app = await signedInMobileApp();
      const token = await app.sessionTransferToken();
      env.tenant.clock.advance(SESSION_TRANSFER_TOKEN_TTL_S + 1);
      await refusedInWebView("cookie", token, "token_expired");
      expectCounted({ exchangeSucceeded: 1, tokenNotFoundOrExpired: 1 });
    });

    it("a token used once already: the second web view shows the login prompt, no token anywhere, and the stack counts it", async () => {
      await useStack();
      const app = await signedInMobileApp();
      const token = await app.sessionTransferToken();
      await signedInWebView("query", token, app);
      await refusedInWebView("query", token, "token_already_used");
      expectCounted({ exchangeSucceeded: 1, handOverRedeemed: 1, tokenNotFoundOrExpired: 1 });
    });

    // Device binding. Chromium always connects from 127.0.0.1; the native app makes its token request
    // from 127.0.0.1 (same device) or from another loopback address (another IP). The tenant reads
    // the connection's source address, as Auth0 reads the client IP, and looks its ASN up in the
    // test's table: CARRIER_A for 127.0.0.1, CARRIER_B for the other address unless a test says so.

    it("asn binding, as the stack declares: accepts a token created from another IP address of the same network operator", async () => {
      await useStack();
      expect(declaredWebSessionTransfer().enforceDeviceBinding).toBe("asn");
      env.tenant.setAsn(env.plan.otherDevice, CARRIER_A); // the phone changed IP inside its carrier
      const app = await signedInMobileApp(env.plan.otherDevice);
      await signedInWebView("cookie", await app.sessionTransferToken(), app);
      expectCounted({ exchangeSucceeded: 1, handOverRedeemed: 1 });
    });

    it("asn binding, as the stack declares: refuses a token redeemed from another network operator", async () => {
      await useStack();
      expect(declaredWebSessionTransfer().enforceDeviceBinding).toBe("asn");
      const app = await signedInMobileApp(env.plan.otherDevice);
      await refusedInWebView("cookie", await app.sessionTransferToken(), "asn_mismatch");
      expectCounted({ exchangeSucceeded: 1, bindingMismatch: 1 });
    });

    it("ip binding (deviceBinding=ip): refuses a token redeemed from another IP address, even of the same operator", async () => {
      await useStack({ "native-web-sso:deviceBinding": "ip" });
      expect(declaredWebSessionTransfer().enforceDeviceBinding).toBe("ip");
      expect(env.tenant.clients()[1].sessionTransfer.enforceDeviceBinding).toBe("ip");
      env.tenant.setAsn(env.plan.otherDevice, CARRIER_A);
      const app = await signedInMobileApp(env.plan.otherDevice);
      await refusedInWebView("query", await app.sessionTransferToken(), "ip_mismatch");
      // From the browser's own address it is accepted: the binding, not the token, was the reason.
      app.moveTo(env.plan.browserDevice);
      await signedInWebView("query", await app.sessionTransferToken(), app);
      expectCounted({ exchangeSucceeded: 2, bindingMismatch: 1, handOverRedeemed: 1 });
    });

    const methodCases = [
      { allowed: "cookie", used: "query" },
      { allowed: "query", used: "cookie" },
    ] as const;
    for (const { allowed, used } of methodCases) {
      it(`refuses the ${used} method when the stack allows only ${allowed}`, async () => {
        await useStack({ "native-web-sso:allowedAuthenticationMethods": JSON.stringify([allowed]) });
        expect(declaredWebSessionTransfer().allowedAuthenticationMethods).toEqual([allowed]);
        expect(env.tenant.clients()[1].sessionTransfer.allowedAuthenticationMethods).toEqual([allowed]);
        const app = await signedInMobileApp();
        await refusedInWebView(used, await app.sessionTransferToken(), "method_not_allowed");
        await signedInWebView(allowed, await app.sessionTransferToken(), app);
        // Auth0 documents no log for a token sent by a method the client does not accept.
        expectCounted({ exchangeSucceeded: 2, handOverRedeemed: 1 });
      });
    }

    /** The web client's own code flow, started with a session transfer token; returns its token answer. */
    async function webClientSignInByTransfer(
      token: string,
    ): Promise<{ body: Record<string, unknown>; basic: string }> {
      const web = env.tenant.clients()[1];
      const browserlike = env.mobileApp(); // same device as the token's creator
      const redirectUri = web.callbacks[0];
      const { callback } = await browserlike.authorize({
        client_id: web.clientId,
        response_type: "code",
        redirect_uri: redirectUri,
        scope: "openid profile offline_access",
        session_transfer_token: token,
      });
      const code = callback?.searchParams.get("code");
      expect(code).toBeTruthy();
      const basic = Buffer.from(`${web.clientId}:${web.clientSecret ?? ""}`).toString("base64");
      const tokens = await browserlike.token(
        { grant_type: "authorization_code", code: String(code), redirect_uri: redirectUri },
        basic,
      );
      expect(tokens.status).toBe(200);
      return { body: tokens.body, basic };
    }

    it("gives a session started by a session transfer no refresh token while the web client does not allow it", async () => {
      await useStack();
      const native = await signedInMobileApp();
      const { body } = await webClientSignInByTransfer(await native.sessionTransferToken());
      expect(body.refresh_token).toBeUndefined();
      expect(String(body.scope).split(" ")).not.toContain("offline_access");
      expectCounted({ exchangeSucceeded: 1, handOverRedeemed: 1 });
    });

    it("refuses a session transfer from a refresh token that itself came from a session transfer", async () => {
      // The web client may get refresh tokens for sessions a session transfer started.
      await useStack({ "native-web-sso:webAllowRefreshToken": "true" });
      expect(declaredWebSessionTransfer().allowRefreshToken).toBe(true);
      const web = env.tenant.clients()[1];
      expect(web.sessionTransfer.allowRefreshToken).toBe(true);
      expect(web.grantTypes).toContain("refresh_token");

      const native = await signedInMobileApp();
      const { body, basic } = await webClientSignInByTransfer(await native.sessionTransferToken());
      expect(typeof body.refresh_token).toBe("string");
      const answer = await env.mobileApp().token(
        {
          grant_type: "refresh_token",
          refresh_token: String(body.refresh_token),
          audience: stack.mobileApp.sessionTransferAudience,
        },
        basic,
      );
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        error: "invalid_grant",
        error_description:
          "A refresh token that originated from a session transfer cannot create a session transfer token.",
      });
      // The native app's own refresh token, rotated by every exchange, still can.
      expect((await native.exchangeForSessionTransferToken()).status).toBe(200);
      expectCounted({ exchangeSucceeded: 2, handOverRedeemed: 1, exchangeFailed: 1 });
    });
  },
);
