/**
 * What a host and a URL of a web app may be: one rule, read by the config reader (which names the
 * key and the `pulumi config set` fix) and by the policy pack (which names the resource).
 *
 * Auth0: the Application Login URI must be https, must have a host and must not be `localhost`
 * (Auth0 docs, "Configure Default Login Routes"); the native app opens it as it is, on a phone, so
 * it needs one exact public host. Callback and logout URLs and web origins are https (custom schemes
 * are for native clients only) and may name a leading `*.` subdomain wildcard.
 */

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Hosts that name the machine itself: `localhost` (RFC 6761 §6.3), 127.0.0.0/8, `::1`, `0.0.0.0`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h === "localhost" ||
    h.endsWith(".localhost") ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    h === "[::1]" ||
    h === "::1" ||
    h === "0.0.0.0"
  );
}

/**
 * Why a bare host name cannot name a public web host, or `undefined`: no scheme, no port, no
 * path, lower case, at least two labels, not a loopback host, not an IPv4 or IPv6 literal.
 */
export function hostProblem(host: string): string | undefined {
  if (host.length === 0) return "expected a host name";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host))
    return "expected a bare host name without a scheme (drop https://)";
  if (isLoopbackHost(host))
    return "localhost and loopback addresses (127.x, ::1) are not reachable from phones";
  // An IPv6 literal: bracketed as in a URL, or bare with its colons.
  if (host.startsWith("[") || (host.match(/:/g) ?? []).length >= 2)
    return "expected a host name, not an IP address";
  if (/[/:?#@\s]/.test(host)) return "expected a bare host name without port, path, credentials or spaces";
  if (host !== host.toLowerCase()) return "expected a lower-case host name";
  if (host.length > 253) return "expected at most 253 characters";
  const labels = host.split(".");
  // No top-level domain is all digits (RFC 3696 §2), so such a host is an IPv4 address.
  if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return "expected a host name, not an IP address";
  if (labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l)))
    return "expected a fully qualified host name such as login.example.com";
  return undefined;
}

/**
 * Why a URL cannot be a login, callback or logout URL of a web app, or `undefined` when it can:
 * absolute https on a real host (any port), no credentials, no fragment. A leading `*.` subdomain
 * wildcard (which Auth0 accepts) only outside production.
 */
export function webUrlProblem(value: unknown, production: boolean): string | undefined {
  if (typeof value !== "string" || value.trim() === "") return "expected an https URL";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "expected an absolute https URL such as https://shop.example.com/login";
  }
  if (url.protocol !== "https:") return "expected https (Auth0 accepts no other scheme for a web app)";
  // URL parsing lower-cases the host; browsers and SDKs send it lower-case, so an upper-case entry
  // would be stored as typed and never match what Auth0 compares it with.
  const typedHost = value
    .slice(value.indexOf("//") + 2)
    .split(/[/?#]/)[0]
    .replace(/^.*@/, "");
  if (typedHost !== typedHost.toLowerCase()) return "expected a lower-case host name";
  if (url.username !== "" || url.password !== "") return "expected a URL without credentials";
  if (url.hash !== "") return "expected a URL without a #fragment";
  const wildcard = url.hostname.startsWith("*.");
  if (wildcard && production) return "expected an exact host: production stacks allow no wildcards";
  const host = hostProblem(wildcard ? `x${url.hostname.slice(1)}` : url.hostname);
  return host ? `${host} (in the URL)` : undefined;
}

/**
 * Why a URL cannot be an Application Login URI, or `undefined`: a web app URL (see
 * {@link webUrlProblem}) on one exact host, since the native app opens it as it is.
 */
export function loginUriProblem(value: unknown): string | undefined {
  // Wildcards are refused here in every stack, with the reason that holds in every stack.
  const p = webUrlProblem(value, false);
  if (p) return p;
  if (new URL(String(value)).hostname.startsWith("*.")) {
    return "expected an exact host: the native app opens this URL, and a wildcard names no host";
  }
  return undefined;
}

/** Why a value cannot be an Allowed Web Origin, or `undefined`: exactly `https://host[:port]`. */
export function webOriginProblem(value: unknown, production: boolean): string | undefined {
  const p = webUrlProblem(value, production);
  if (p) return p;
  if (new URL(String(value)).origin !== value) {
    return "expected an origin only: https://host or https://host:port, no path, no trailing slash";
  }
  return undefined;
}
