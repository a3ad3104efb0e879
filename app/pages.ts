/** Small HTML pages of the web application. Everything interpolated is escaped. */

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A complete, self-contained HTML document (no external resources, so no Referer leaves it). */
export function page(title: string, body: string): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>",
    `</head><body>${body}</body></html>`,
  ].join("");
}

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
      `<dl>${details}</dl><p><a href="/logout">Sign out</a></p>`,
  );
}

/** A page explaining why a request failed. */
export function problemPage(status: number, title: string, code: string, message: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p id="message" data-code="${escapeHtml(code)}">${escapeHtml(message)}</p>` +
      `<p><small>HTTP ${status} · ${escapeHtml(code)}</small></p><p><a href="/">Home</a></p>`,
  );
}
