/** Section: the Auth0 tenant (its domain, its custom domain) and the names of the clients in it. */
import { hostProblem } from "./hosts";
import { configKey, setCommand } from "./keys";
import type { ConfigReader } from "./reader";

/** The Auth0 tenant the stack manages clients in. */
export interface TenantSettings {
  /** The Auth0 tenant domain (`auth0:domain`), where the Management API is called. */
  readonly auth0Domain: string;
  /**
   * The domain users and SDKs talk to: the tenant's custom domain when one is set, else the tenant
   * domain. `/authorize` runs here, so the session transfer cookie must be set here.
   */
  readonly loginDomain: string;
  /** Prefix of both Auth0 client names. */
  readonly displayName: string;
}

const TENANT_DOMAIN_FIX = "pulumi config set auth0:domain <tenant>.<region>.auth0.com";

/** Reads `auth0:domain`, `auth0CustomDomain` and `displayName`. */
export function readTenant(r: ConfigReader): TenantSettings {
  const auth0Domain = (r.raw["auth0:domain"] ?? "").trim();
  if (auth0Domain === "") {
    r.add("auth0:domain", undefined, "the Auth0 tenant domain is required", TENANT_DOMAIN_FIX);
  } else {
    const p = hostProblem(auth0Domain);
    if (p) r.add("auth0:domain", auth0Domain, p, TENANT_DOMAIN_FIX);
  }

  const customDomain = r.string("auth0CustomDomain");
  if (customDomain !== "") {
    const p = hostProblem(customDomain);
    if (p) {
      r.problem(
        "auth0CustomDomain",
        customDomain,
        `${p}, or leave it unset to use auth0:domain`,
        `${setCommand("auth0CustomDomain", "login.example.com")}, or pulumi config rm ${configKey("auth0CustomDomain")}`,
      );
    }
  }

  const displayName = r.string("displayName");
  if (displayName.length === 0 || displayName.length > 100 || /[<>]/.test(displayName)) {
    r.problem(
      "displayName",
      displayName,
      "expected 1 to 100 characters without < or > (Auth0 rejects them in client names)",
      setCommand("displayName", '"Native Web SSO"'),
    );
  }

  return { auth0Domain, loginDomain: customDomain !== "" ? customDomain : auth0Domain, displayName };
}
