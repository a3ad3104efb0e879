/** Small HTML pages of the web application. Everything interpolated is escaped. */

import { createHash } from "node:crypto";
import { ROUTES } from "./contract";

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Where a refused `/login` sends its history entry: a URL that holds no token. */
export const REFUSED_LOGIN_URL = `${ROUTES.login}?refused=1`;

/**
 * The one script the app ever runs: it replaces the refused request's history entry (whose URL may
 * hold a session transfer token) with {@link REFUSED_LOGIN_URL}, so neither the address bar nor
 * Back nor a reload shows the token. Allowed by its hash only.
 */
export const CLEAN_ADDRESS_SCRIPT = `history.replaceState(null,"",${JSON.stringify(REFUSED_LOGIN_URL)})`;
/** The CSP source that allows exactly {@link CLEAN_ADDRESS_SCRIPT}. */
export const CLEAN_ADDRESS_SCRIPT_SOURCE = `'sha256-${createHash("sha256").update(CLEAN_ADDRESS_SCRIPT).digest("base64")}'`;

/** A complete, self-contained HTML document (no external resources, so no Referer leaves it). */
export function page(title: string, body: string, options: { cleanAddress?: boolean } = {}): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    options.cleanAddress ? `<script>${CLEAN_ADDRESS_SCRIPT}</script>` : "",
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>",
    `</head><body>${body}</body></html>`,
  ].join("");
}

/** A form that signs out with a same-origin POST (a cross-site GET cannot end the session). */
const SIGN_OUT_FORM = `<form method="post" action="${ROUTES.logout}"><button type="submit">Sign out</button></form>`;

/** The signed-in (or signed-out) home page. */
export function homePage(user: { sub?: string; name?: string; email?: string } | undefined): string {
  if (!user) {
    return page(
      "Not signed in",
      '<h1>Not signed in</h1><p id="status" data-signed-in="false">Nobody is signed in.</p><p><a href="/login">Sign in</a></p>',
    );
  }
  const who = user.name ?? user.email ?? user.sub ?? "unknown user";
  const details = [
    user.email ? `<dt>Email</dt><dd id="email">${escapeHtml(user.email)}</dd>` : "",
    user.sub ? `<dt>Subject</dt><dd id="sub">${escapeHtml(user.sub)}</dd>` : "",
  ].join("");
  return page(
    "Signed in",
    `<h1>Signed in</h1><p id="status" data-signed-in="true">Signed in as <strong id="user">${escapeHtml(who)}</strong>.</p>` +
      `<dl>${details}</dl>${SIGN_OUT_FORM}`,
  );
}

/** A page explaining why a request failed; `cleanAddress` when the request's URL may hold a token. */
export function problemPage(
  status: number,
  title: string,
  code: string,
  message: string,
  cleanAddress = false,
): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p id="message" data-code="${escapeHtml(code)}">${escapeHtml(message)}</p>` +
      `<p><small>HTTP ${status} · ${escapeHtml(code)}</small></p><p><a href="/">Home</a></p>`,
    { cleanAddress },
  );
}

/** What the clean URL after a refused `/login` shows (after a reload, or Back and Forward). */
export function refusedLoginPage(): string {
  return page(
    "Sign-in was refused",
    '<h1>Sign-in was refused</h1><p id="message" data-code="refused">This sign-in link could not be used. ' +
      "Go back to the app and open the web page again.</p>",
  );
}

/** Asks before signing out when the request came from another site (it may be a forged link). */
export function confirmLogoutPage(): string {
  return page(
    "Sign out?",
    '<h1>Sign out?</h1><p id="message" data-code="confirm_logout">A link from another site asked to sign you out. ' +
      `Sign out only if you meant to.</p>${SIGN_OUT_FORM}<p><a href="/">Stay signed in</a></p>`,
  );
}
