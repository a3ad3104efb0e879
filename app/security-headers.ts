/** The headers every response of the app carries. */

import { CLEAN_ADDRESS_SCRIPT_SOURCE } from "./pages";

/** HSTS lifetime: one year, the minimum browsers' preload lists ask for. */
export const HSTS_MAX_AGE_S = 365 * 24 * 3600;

/**
 * The security headers, computed once per app. Over HTTPS, `Strict-Transport-Security` for a year
 * (no `includeSubDomains`: the app does not own its parent domain's other hosts). The CSP allows no
 * resource but inline styles and the one script that cleans a refused URL; forms may post to this
 * origin, whose logout redirects to the issuer's (form-action applies to redirects too). Without
 * an issuer (an answer given before the settings are known), forms may post to this origin only.
 */
export function securityHeaders(options: { https: boolean; issuerOrigin?: string }): Array<[string, string]> {
  const formAction = options.issuerOrigin ? `'self' ${options.issuerOrigin}` : "'self'";
  const headers: Array<[string, string]> = [
    ["Referrer-Policy", "no-referrer"],
    ["X-Content-Type-Options", "nosniff"],
    ["Cache-Control", "no-store"],
    [
      "Content-Security-Policy",
      `default-src 'none'; style-src 'unsafe-inline'; script-src ${CLEAN_ADDRESS_SCRIPT_SOURCE}; ` +
        `form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    ],
  ];
  if (options.https) headers.push(["Strict-Transport-Security", `max-age=${HSTS_MAX_AGE_S}`]);
  return headers;
}
