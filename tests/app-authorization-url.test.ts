import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { createIssuerClient, fixedAuthorizationParameters, type SignInChecks } from "../app/oidc";

const ISSUER = "https://tenant.test";
const BASE_URL = "https://app.test";
const metadata: oidc.ServerMetadata = {
  issuer: ISSUER,
  // An endpoint with a query of its own: the per-request parameters must join it.
  authorization_endpoint: `${ISSUER}/authorize?tenant=acme`,
  token_endpoint: `${ISSUER}/oauth/token`,
};
const settings = {
  issuerBaseURL: ISSUER,
  baseURL: BASE_URL,
  clientID: "web client/ID+1",
  clientSecret: "secret",
  secret: "authorization-url-test-secret-0123",
};

/** The URL openid-client's own buildAuthorizationUrl builds for the same sign-in. */
async function reference(checks: SignInChecks, token: string | undefined): Promise<string> {
  const config = new oidc.Configuration(metadata, settings.clientID, settings.clientSecret);
  const parameters: Record<string, string> = {
    ...fixedAuthorizationParameters(`${BASE_URL}/callback`),
    state: checks.state,
    nonce: checks.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
  };
  if (token !== undefined) parameters.session_transfer_token = token;
  return oidc.buildAuthorizationUrl(config, parameters).href;
}

/** The encoded `name=value` pairs of a URL's query, in a fixed order. */
function encodedPairs(url: string): string[] {
  return url
    .slice(url.indexOf("?") + 1)
    .split("&")
    .sort();
}

describe("the /authorize URL of a sign-in", () => {
  it("carries exactly what openid-client's buildAuthorizationUrl puts there, encoded the same way", async () => {
    const client = createIssuerClient(settings, Promise.resolve(metadata));
    const tokens = [
      undefined,
      "stt_0123456789abcdefghijklmnopqrstuvwxyz",
      "a+b/c=d&e%f?g#h",
      "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
      "x".repeat(2048),
    ];
    let first = true;
    for (let i = 0; i < 200; i++) {
      const token = tokens[i % tokens.length];
      const checks = client.newChecks("/");
      const built = client.authorizationUrl(checks, token);
      // A promise only until discovery has completed once, then a plain string.
      expect(typeof built === "string").toBe(!first);
      first = false;
      const url = await built;
      const expected = await reference(checks, token);
      expect(url.slice(0, url.indexOf("?"))).toBe(`${ISSUER}/authorize`);
      expect(encodedPairs(url)).toEqual(encodedPairs(expected));
      expect(new URL(url).searchParams.get("tenant")).toBe("acme");
      expect(new URL(url).searchParams.get("client_id")).toBe(settings.clientID);
      if (token !== undefined) expect(new URL(url).searchParams.get("session_transfer_token")).toBe(token);
      else expect(url).not.toContain("session_transfer_token");
    }
  });
});
