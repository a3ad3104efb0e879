/** The tenant's own pages (the login form, errors) and the form reader behind them. */

import type { IncomingMessage, ServerResponse } from "node:http";
import { escapeHtml } from "../../app/pages";

/** Largest login form the tenant reads, in bytes. */
const MAX_FORM_BYTES = 16_384;

/** Writes a small self-contained HTML page that is never cached and sends no Referer. */
export function html(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto">${body}</body></html>`,
  );
}

/** The login form of an interaction, with an alert (the reason a token was not honoured) if any. */
export function loginPage(res: ServerResponse, uid: string, clientName: string, alert?: string): void {
  html(
    res,
    200,
    "Log in",
    `<h1>Log in</h1><p>to continue to ${escapeHtml(clientName)}</p>` +
      (alert ? `<p id="error" role="alert" style="color:#b00020">${escapeHtml(alert)}</p>` : "") +
      `<form method="post" action="/interaction/${escapeHtml(uid)}/login">` +
      `<label>Email <input name="email" type="email" autocomplete="username"></label><br>` +
      `<label>Password <input name="password" type="password" autocomplete="current-password"></label><br>` +
      `<button type="submit">Continue</button></form>`,
  );
}

/** Reads an `application/x-www-form-urlencoded` body; throws past {@link MAX_FORM_BYTES}. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error("form too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}
