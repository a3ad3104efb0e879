/** The host name check shared by the tenant's domains and the web endpoint's custom domain. */

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Checks a bare host name: no scheme, no port, no path, not localhost, not an IP address. */
export function hostProblem(host: string): string | undefined {
  if (host.length === 0) return "expected a host name";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host))
    return "expected a bare host name without a scheme (drop https://)";
  if (/[/:?#@\s]/.test(host)) return "expected a bare host name without port, path, credentials or spaces";
  if (host !== host.toLowerCase()) return "expected a lower-case host name";
  if (host.length > 253) return "expected at most 253 characters";
  const labels = host.split(".");
  if (labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l)))
    return "expected a fully qualified host name such as login.example.com";
  if (host === "localhost" || host.endsWith(".localhost")) return "localhost is not reachable from phones";
  if (/^\d+(\.\d+){3}$/.test(host)) return "expected a host name, not an IP address";
  return undefined;
}
