/**
 * The names the app's cookies go by. On https they carry the `__Host-` prefix (RFC 6265bis
 * §4.1.3.2): a browser stores such a cookie only when it is Secure, has `Path=/` and no `Domain`,
 * so a page on a sibling subdomain cannot set one for this host (cookie tossing), and the app reads
 * only that name. Hono writes and reads the prefix (`prefix: "host"`, honojs/hono
 * src/helper/cookie/index.ts) and refuses to write a `__Host-` cookie without those attributes
 * (src/utils/cookie.ts). On plain http (local development) a browser refuses Secure cookies, so
 * the bare names are used there: no sibling of `localhost` can toss one.
 */

import { generateCookie } from "hono/cookie";

/** Hono's cookie options (the `hono/cookie` helper's third argument). */
export type CookieOptions = NonNullable<Parameters<typeof generateCookie>[2]>;

/** Hono's cookie prefix option for a BASE_URL scheme: `host` on https, none on plain http. */
export function cookiePrefix(https: boolean): "host" | undefined {
  return https ? "host" : undefined;
}

/** The name a cookie called `name` goes by in Set-Cookie and Cookie headers. */
export function cookieName(name: string, https: boolean): string {
  return cookiePrefix(https) === "host" ? `__Host-${name}` : name;
}

/** What `encodeURIComponent` leaves as it is, in the part of its unreserved set sealed values use. */
const URI_SAFE = /^[A-Za-z0-9._~-]*$/;

/**
 * Serialises cookie `name` with fixed attributes, exactly as Hono's `generateCookie(name, value,
 * options)` does: Hono writes the name (with its prefix) and the attributes once, per process, and
 * each call only joins a value in. Hono percent-encodes the value with `encodeURIComponent`; a
 * value that encoding leaves unchanged (a sealed cookie is base64url and dots) is joined as is, any
 * other goes through Hono itself.
 */
export function cookieSerializer(name: string, options: CookieOptions): (value: string) => string {
  // `name=` then the attributes: a cookie name cannot hold "=", so the first one ends the name.
  const empty = generateCookie(name, "", options);
  const at = empty.indexOf("=") + 1;
  const head = empty.slice(0, at);
  const attributes = empty.slice(at);
  return (value) => (URI_SAFE.test(value) ? head + value + attributes : generateCookie(name, value, options));
}
