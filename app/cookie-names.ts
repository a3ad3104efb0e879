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
