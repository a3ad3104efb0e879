/**
 * Native to Web SSO end to end, offline: a user signed in to the native app arrives signed in on
 * the web app, in headless Chromium, against a local tenant whose two clients are read from what
 * `index.ts` declares for the dev stack (and re-read whenever a test changes the stack's config).
 * The web app is the code the Lambda runs, on HTTPS. Screenshots go to test-results/e2e/.
 */

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHROMIUM, chromiumAvailable, historyUrls, openWebView, type HandOver } from "../e2e/browser";
import { startEnvironment, type Environment } from "../e2e/harness";
import type { NativeApp } from "../e2e/native-app";
import { readStack, withSessionTransfer, type StackUnderTest } from "../e2e/stack";
import {
  REFUSAL_MESSAGES,
  SESSION_TRANSFER_TOKEN_TTL_S,
  SESSION_TRANSFER_TOKEN_TYPE,
  type RefusalReason,
} from "../e2e/tenant";
import { PROJECT_DIR, renderStack } from "../offline/render";

const ARTIFACTS = join(PROJECT_DIR, "test-results", "e2e");
const RUNNABLE = chromiumAvailable();
const IN_CI = Boolean(process.env.CI) && process.env.CI !== "false";
if (!RUNNABLE && !IN_CI) {
  process.stderr.write(
    `\n!!! SKIPPING the browser end-to-end tests: no Chromium at ${CHROMIUM}. ` +
      "Install it with `apt-get install -y chromium` (CI does, and fails without it).\n\n",
  );
}

const renders = new Map<string, Promise<StackUnderTest>>();
/** The dev stack as the real program declares it, with config overrides (rendered once per set). */
function devStack(overrides: Record<string, string> = {}): Promise<StackUnderTest> {
  const key = JSON.stringify(overrides);
  let render = renders.get(key);
  if (!render) {
    render = renderStack({
      stack: "dev",
      preview: false,
      configOverrides: overrides,
      loadProgram: async () => {
        vi.resetModules();
        return (await import("../index")) as Record<string, unknown>;
      },
    }).then(readStack);
    renders.set(key, render);
  }
  return render;
}

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

    /** Runs the tenant and the web app with the dev stack under these overrides; a fresh ASN table. */
    async function useStack(
      overrides: Record<string, string> = {},
      edit = (s: StackUnderTest) => s,
    ): Promise<void> {
      await env.reconfigure(edit(await devStack(overrides)));
      env.tenant.setAsn(env.plan.browserDevice, CARRIER_A);
      env.tenant.setAsn(env.plan.otherDevice, CARRIER_B);
    }

    async function signedInNativeApp(deviceAddress?: string): Promise<NativeApp> {
      const app = env.nativeApp(deviceAddress);
      await app.signIn(env.tenant.user.email, env.tenant.user.password);
      return app;
    }

    /** The token must be nowhere the user or an operator could find it afterwards. */
    async function expectNoTraceOf(token: string, page: Page): Promise<void> {
      expect(page.url()).not.toContain(token);
      const history = await historyUrls(page);
      expect(history.length).toBeGreaterThan(0);
      for (const url of history) expect(url).not.toContain(token);
      expect(await page.evaluate("history.length")).toBe(history.length);
      expect(env.webLog.length).toBeGreaterThan(0);
      expect(env.webLog.join("\n")).not.toContain(token);
      expect(env.tenant.log.join("\n")).not.toContain(token);
    }

    async function expectSignedInOnWeb(page: Page, app: NativeApp): Promise<void> {
      expect(page.url()).toBe(`${stack.webAppSettings.baseURL}/`);
      await expect.poll(() => page.locator("#status").getAttribute("data-signed-in")).toBe("true");
      expect(await page.locator("#sub").textContent()).toBe(app.subject);
      expect(await page.locator("#user").textContent()).toBe(env.tenant.user.name);
    }

    /** The tenant's login page, with the reason the token was not honoured. */
    async function expectLoginPrompt(page: Page, reason: RefusalReason, token: string): Promise<void> {
      const url = new URL(page.url());
      expect(url.hostname).toBe(stack.tenantHost);
      expect(url.pathname).toMatch(/^\/interaction\//);
      expect(await page.locator("h1").textContent()).toBe("Log in");
      expect(await page.locator("#error").textContent()).toBe(REFUSAL_MESSAGES[reason]);
      await expectNoTraceOf(token, page);
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
        callbacks: stack.nativeApp.redirectUrls,
        sessionTransfer: { canCreateSessionTransferToken: true },
      });
      expect(web).toMatchObject({
        appType: "regular_web",
        initiateLoginUri: stack.nativeApp.webLoginUri,
        callbacks: [`${stack.webAppSettings.baseURL}/callback`],
        sessionTransfer: { allowedAuthenticationMethods: ["cookie", "query"], enforceDeviceBinding: "asn" },
      });
      expect(stack.nativeApp.sessionTransferAudience).toBe(`urn:${env.tenant.host}:session_transfer`);

      await useStack({
        "native-web-sso:allowedAuthenticationMethods": '["cookie"]',
        "native-web-sso:deviceBinding": "ip",
      });
      expect(env.tenant.clients()[1].sessionTransfer).toMatchObject({
        allowedAuthenticationMethods: ["cookie"],
        enforceDeviceBinding: "ip",
      });
    });

    for (const handOver of ["cookie", "query"] as const satisfies readonly HandOver[]) {
      it(`${handOver}: the user signed in to the native app arrives signed in on the web app, with no token left in URL, history or logs`, async () => {
        await useStack();
        const app = await signedInNativeApp();
        const firstRefreshToken = app.refreshToken;
        const exchange = await app.exchangeForSessionTransferToken();
        expect(exchange.status).toBe(200);
        expect(exchange.body).toMatchObject({
          issued_token_type: SESSION_TRANSFER_TOKEN_TYPE,
          token_type: "N_A",
          expires_in: SESSION_TRANSFER_TOKEN_TTL_S,
        });
        // Rotation is on: the SDK keeps the new refresh token, and the old one is spent.
        expect(typeof exchange.body.refresh_token).toBe("string");
        expect(app.refreshToken).not.toBe(firstRefreshToken);
        const token = String(exchange.body.access_token);

        const { context, page } = await openWebView(env.browser, stack.nativeApp, handOver, token);
        try {
          await expectSignedInOnWeb(page, app);
          await page.screenshot({ path: join(ARTIFACTS, `signed-in-${handOver}.png`), fullPage: true });
          await expectNoTraceOf(token, page);
          if (handOver === "cookie") {
            // The tenant consumed the cookie.
            const left = await context.cookies(`https://${stack.tenantHost}/`);
            expect(left.map((c) => c.name)).not.toContain(stack.nativeApp.sessionTransferCookie.name);
          }
        } finally {
          await context.close();
        }
        // The rotated refresh token creates the next session transfer token as the first one did.
        expect((await app.exchangeForSessionTransferToken()).status).toBe(200);
      });
    }

    it("refuses an expired session transfer token and shows the login prompt", async () => {
      await useStack();
      const app = await signedInNativeApp();
      const token = await app.sessionTransferToken();
      env.tenant.clock.advance(SESSION_TRANSFER_TOKEN_TTL_S + 1);
      const { context, page } = await openWebView(env.browser, stack.nativeApp, "cookie", token);
      try {
        await expectLoginPrompt(page, "token_expired", token);
      } finally {
        await context.close();
      }
    });

    it("refuses a session transfer token that was already used", async () => {
      await useStack();
      const app = await signedInNativeApp();
      const token = await app.sessionTransferToken();
      const first = await openWebView(env.browser, stack.nativeApp, "query", token);
      try {
        await expectSignedInOnWeb(first.page, app);
      } finally {
        await first.context.close();
      }
      const again = await openWebView(env.browser, stack.nativeApp, "query", token);
      try {
        await expectLoginPrompt(again.page, "token_already_used", token);
      } finally {
        await again.context.close();
      }
    });

    it("asn binding: accepts a token created from another IP address of the same network operator", async () => {
      await useStack();
      env.tenant.setAsn(env.plan.otherDevice, CARRIER_A); // the phone changed IP inside its carrier
      const app = await signedInNativeApp(env.plan.otherDevice);
      const token = await app.sessionTransferToken();
      const { context, page } = await openWebView(env.browser, stack.nativeApp, "cookie", token);
      try {
        await expectSignedInOnWeb(page, app);
      } finally {
        await context.close();
      }
    });

    it("asn binding: refuses a token redeemed from another network operator", async () => {
      await useStack();
      const app = await signedInNativeApp(env.plan.otherDevice); // CARRIER_B; the browser is on CARRIER_A
      const token = await app.sessionTransferToken();
      const { context, page } = await openWebView(env.browser, stack.nativeApp, "cookie", token);
      try {
        await expectLoginPrompt(page, "asn_mismatch", token);
      } finally {
        await context.close();
      }
    });

    it("ip binding (deviceBinding=ip): refuses a token redeemed from another IP address, even of the same operator", async () => {
      await useStack({ "native-web-sso:deviceBinding": "ip" });
      env.tenant.setAsn(env.plan.otherDevice, CARRIER_A);
      const app = await signedInNativeApp(env.plan.otherDevice);
      const token = await app.sessionTransferToken();
      const { context, page } = await openWebView(env.browser, stack.nativeApp, "query", token);
      try {
        await expectLoginPrompt(page, "ip_mismatch", token);
      } finally {
        await context.close();
      }
      // The same device redeems it: the binding, not the token, was the reason.
      app.moveTo(env.plan.browserDevice);
      const sameDevice = await openWebView(
        env.browser,
        stack.nativeApp,
        "query",
        await app.sessionTransferToken(),
      );
      try {
        await expectSignedInOnWeb(sameDevice.page, app);
      } finally {
        await sameDevice.context.close();
      }
    });

    const methodCases = [
      { allowed: "cookie", used: "query" },
      { allowed: "query", used: "cookie" },
    ] as const;
    for (const { allowed, used } of methodCases) {
      it(`refuses the ${used} method when the stack allows only ${allowed}`, async () => {
        await useStack({ "native-web-sso:allowedAuthenticationMethods": JSON.stringify([allowed]) });
        expect(env.tenant.clients()[1].sessionTransfer.allowedAuthenticationMethods).toEqual([allowed]);
        const app = await signedInNativeApp();
        const token = await app.sessionTransferToken();
        const refused = await openWebView(env.browser, stack.nativeApp, used, token);
        try {
          await expectLoginPrompt(refused.page, "method_not_allowed", token);
        } finally {
          await refused.context.close();
        }
        const accepted = await openWebView(
          env.browser,
          stack.nativeApp,
          allowed,
          await app.sessionTransferToken(),
        );
        try {
          await expectSignedInOnWeb(accepted.page, app);
        } finally {
          await accepted.context.close();
        }
      });
    }

    it("refuses the exchange for a native client that may not create session transfer tokens", async () => {
      await useStack({}, (s) => withSessionTransfer(s, "native", { canCreateSessionTransferToken: false }));
      const app = await signedInNativeApp();
      const answer = await app.exchangeForSessionTransferToken();
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        error: "unauthorized_client",
        error_description: "The client is not allowed to create session transfer tokens.",
      });
    });

    it("refuses a session transfer from a refresh token that itself came from a session transfer", async () => {
      // The web client may get refresh tokens for sessions a session transfer started.
      await useStack({ "native-web-sso:webAllowRefreshToken": "true" });
      expect(stack.web.sessionTransfer.allowRefreshToken).toBe(false);
      const web = env.tenant.clients()[1];
      expect(web.sessionTransfer.allowRefreshToken).toBe(true);
      expect(web.grantTypes).toContain("refresh_token");

      const native = await signedInNativeApp();
      // A web client's code flow, started with the native app's token (from the same device).
      const browserlike = env.nativeApp();
      const redirectUri = web.callbacks[0];
      const { callback } = await browserlike.authorize({
        client_id: web.clientId,
        response_type: "code",
        redirect_uri: redirectUri,
        scope: "openid profile offline_access",
        session_transfer_token: await native.sessionTransferToken(),
      });
      const code = callback?.searchParams.get("code");
      expect(code).toBeTruthy();
      const basic = Buffer.from(`${web.clientId}:${web.clientSecret ?? ""}`).toString("base64");
      const tokens = await browserlike.token(
        { grant_type: "authorization_code", code: String(code), redirect_uri: redirectUri },
        basic,
      );
      expect(tokens.status).toBe(200);
      const fromTransfer = String(tokens.body.refresh_token);

      const answer = await browserlike.token(
        {
          grant_type: "refresh_token",
          refresh_token: fromTransfer,
          audience: stack.nativeApp.sessionTransferAudience,
        },
        basic,
      );
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        error: "invalid_grant",
        error_description:
          "A refresh token that originated from a session transfer cannot create a session transfer token.",
      });
      // The native app's own refresh token still can.
      expect((await native.exchangeForSessionTransferToken()).status).toBe(200);
    });
  },
);
