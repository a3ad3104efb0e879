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
  if (url.username !== "" || url.password !== "") return "expected a URL without credentials";
  if (url.hash !== "") return "expected a URL without a #fragment";
  const wildcard = url.hostname.startsWith("*.");
  if (wildcard && production) return "expected an exact host: production stacks allow no wildcards";
  const host = hostProblem(wildcard ? `x${url.hostname.slice(1)}` : url.hostname);
  return host ? `${host} (in the URL)` : undefined;
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
