/**
 * Headless Chromium (Debian's `/usr/bin/chromium`) driven by playwright-core, as the native app's
 * web view: host names mapped to this run's loopback servers, every other name unresolvable, and the
 * servers' certificate trusted by its public key (no `ignoreHTTPSErrors`).
 */

import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { SessionTransferMethod } from "../model/session-transfer";
import type { MobileAppSettings } from "./stack";

/**
 * The browser to drive: Debian's Chromium (`apt-get install chromium`) unless `CHROMIUM_PATH` names
 * another Chromium-based browser (e.g. `/usr/bin/google-chrome` on GitHub's runners).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Is there a Chromium to run? */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Launches headless Chromium with the run's host rules, trusting the given certificate keys. */
export function launchChromium(hostRules: string, trustedSpkiSha256: readonly string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-features=DnsOverHttps,HttpsUpgrades",
      `--host-resolver-rules=${hostRules}`,
      `--ignore-certificate-errors-spki-list=${trustedSpkiSha256.join(",")}`,
    ],
  });
}

/** A web view that the native app opened with a session transfer token. */
export interface OpenedWebView {
  readonly context: BrowserContext;
  readonly page: Page;
  /** The URL the native app opened. */
  readonly openedUrl: string;
}

/**
 * Opens the web app as the native app does: for `cookie`, sets `auth0_session_transfer_token` on
 * the tenant's domain and opens the Application Login URI; for `query`, opens the login URI with
 * `?session_transfer_token=`. Each call is a fresh web view (no cookies, no history).
 */
export async function openWebView(
  browser: Browser,
  settings: MobileAppSettings,
  method: SessionTransferMethod,
  token: string,
): Promise<OpenedWebView> {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  let openedUrl = settings.webLoginUri;
  if (method === "cookie") {
    // Set before the page loads (WKWebView's setCookie must complete before load; same here).
    await context.addCookies([
      {
        name: settings.sessionTransferCookie.name,
        value: token,
        domain: settings.sessionTransferCookie.domain,
        path: "/",
        secure: true,
        httpOnly: true,
        sameSite: "None",
      },
    ]);
  } else {
    const url = new URL(settings.webLoginUri);
    url.searchParams.set(settings.loginQueryParameter, token);
    openedUrl = url.toString();
  }
  await page.goto(openedUrl);
  await page.waitForLoadState("load");
  return { context, page, openedUrl };
}

/** One entry of a page's session history. */
export interface HistoryEntry {
  /** What Back, Forward, reload and `location` see. */
  readonly url: string;
  /** The URL the navigation was started with, before redirects (kept in the web view's memory only). */
  readonly userTypedURL: string;
}

/** The page's session history entries (what Back and Forward go to), via DevTools. */
export async function historyEntries(page: Page): Promise<HistoryEntry[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const history = (await cdp.send("Page.getNavigationHistory")) as { entries: HistoryEntry[] };
    return history.entries.map((e) => ({ url: e.url, userTypedURL: e.userTypedURL }));
  } finally {
    await cdp.detach();
  }
}
