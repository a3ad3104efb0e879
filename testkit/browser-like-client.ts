/**
 * A minimal browser stand-in over `fetch`: a cookie jar per origin (host + port) and manual
 * redirects, so a test can walk a redirect chain hop by hop and inspect every `Location`.
 * Cookies are matched by host and path only; attributes are kept for assertions.
 */

/** A cookie as received, with its attributes lower-cased. */
export interface ReceivedCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

/** One hop of a redirect chain. */
export interface Hop {
  url: string;
  status: number;
  location?: string;
  setCookies: ReceivedCookie[];
}

/** Parses one `Set-Cookie` header value. */
export function parseSetCookie(header: string): ReceivedCookie {
  const [pair = "", ...rest] = header.split(";");
  const eq = pair.indexOf("=");
  const attributes: Record<string, string | true> = {};
  for (const attribute of rest) {
    const i = attribute.indexOf("=");
    const key = (i === -1 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
    if (key) attributes[key] = i === -1 ? true : attribute.slice(i + 1).trim();
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

/** A cookie-keeping HTTP client that does not follow redirects by itself. */
export class BrowserLikeClient {
  private readonly jar = new Map<string, Map<string, ReceivedCookie>>();

  /** Adds a cookie for a host, as a native app injecting one into a web view would. */
  setCookie(url: string, name: string, value: string): void {
    this.cookiesFor(new URL(url).host).set(name, { name, value, attributes: {} });
  }

  /** Cookies currently held for the URL's host. */
  cookies(url: string): ReceivedCookie[] {
    return [...this.cookiesFor(new URL(url).host).values()];
  }

  /** One request; stores the cookies it sets. */
  async request(url: string, init: RequestInit = {}): Promise<{ response: Response; hop: Hop }> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookieHeader = this.cookies(url)
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    if (cookieHeader) headers.set("cookie", cookieHeader);
    const response = await fetch(target, { ...init, headers, redirect: "manual" });
    const setCookies = response.headers.getSetCookie().map(parseSetCookie);
    const jar = this.cookiesFor(target.host);
    for (const cookie of setCookies) {
      const expires = cookie.attributes.expires;
      const expired =
        cookie.attributes["max-age"] === "0" ||
        (typeof expires === "string" && new Date(expires).getTime() <= Date.now());
      if (expired || cookie.value === "") jar.delete(cookie.name);
      else jar.set(cookie.name, cookie);
    }
    const location = response.headers.get("location") ?? undefined;
    return {
      response,
      hop: {
        url,
        status: response.status,
        location: location && new URL(location, target).toString(),
        setCookies,
      },
    };
  }

  /**
   * Follows redirects from `url` until a non-redirect answer (or `maxHops`), returning every hop and
   * the final response (its body not yet read).
   */
  async follow(url: string, maxHops = 20): Promise<{ hops: Hop[]; final: Response; finalUrl: string }> {
    const hops: Hop[] = [];
    let current = url;
    for (let i = 0; i < maxHops; i++) {
      const { response, hop } = await this.request(current);
      hops.push(hop);
      if (response.status < 300 || response.status >= 400 || !hop.location) {
        return { hops, final: response, finalUrl: current };
      }
      await response.body?.cancel();
      current = hop.location;
    }
    throw new Error(`more than ${maxHops} redirects from ${new URL(url).pathname}`);
  }

  private cookiesFor(host: string): Map<string, ReceivedCookie> {
    let jar = this.jar.get(host);
    if (!jar) {
      jar = new Map();
      this.jar.set(host, jar);
    }
    return jar;
  }
}
