/** URL checks shared by the web apps' login, callback and logout URLs and their web origins. */
import { hostProblem } from "./hosts";

/**
 * Why a URL cannot be a login, callback or logout URL of a web app, or `undefined` when it can:
 * absolute https on a real host, no credentials, no fragment. A leading `*.` subdomain wildcard
 * (which Auth0 accepts) only outside production.
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
export function loginUriProblem(value: unknown, production: boolean): string | undefined {
  const p = webUrlProblem(value, production);
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
