import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { createIssuerClient, pkceChallenge, randomChecks } from "../app/oidc";

const ISSUER = "https://tenant.test";
const BASE_URL = "https://app.test";
const settings = {
  issuerBaseURL: ISSUER,
  baseURL: BASE_URL,
  clientID: "web client/ID+1",
  clientSecret: "secret",
  secret: "authorization-url-test-secret-0123",
};

/** The client of an issuer whose discovered `/authorize` endpoint is `authorizationEndpoint`. */
function clientFor(authorizationEndpoint: string) {
  const metadata: oidc.ServerMetadata = {
    issuer: ISSUER,
    authorization_endpoint: authorizationEndpoint,
    token_endpoint: `${ISSUER}/oauth/token`,
  };
  return createIssuerClient(settings, Promise.resolve(metadata));
}

describe("the /authorize URL of a sign-in", () => {
  it("carries the sign-in's checks, the S256 challenge of its verifier and the token in the query", async () => {
    const client = clientFor(`${ISSUER}/authorize?tenant=acme`);
    const token = "a+b/c=d&e%f?g#h";
    const checks = client.newChecks("/");
    const url = new URL(await client.authorizationUrl(checks, token));
    expect(url.origin + url.pathname).toBe(`${ISSUER}/authorize`);
    const query = url.searchParams;
    expect(query.get("tenant")).toBe("acme");
    expect(query.get("client_id")).toBe(settings.clientID);
    expect(query.get("redirect_uri")).toBe(`${BASE_URL}/callback`);
    expect(query.get("state")).toBe(checks.state);
    expect(query.get("nonce")).toBe(checks.nonce);
    expect(query.get("code_challenge_method")).toBe("S256");
    expect(query.get("code_challenge")).toBe(await oidc.calculatePKCECodeChallenge(checks.codeVerifier));
    expect(query.get("session_transfer_token")).toBe(token);
    expect(new URL(await client.authorizationUrl(checks, undefined)).search).not.toContain(
      "session_transfer_token",
    );
  });

  it("puts nothing of a sign-in into the fragment of an endpoint that has one", async () => {
    const client = clientFor(`${ISSUER}/authorize?tenant=acme#section`);
    const checks = client.newChecks("/");
    const url = new URL(await client.authorizationUrl(checks, "stt_token"));
    expect(url.hash).toBe("#section");
    expect(url.searchParams.get("state")).toBe(checks.state);
    expect(url.searchParams.get("nonce")).toBe(checks.nonce);
    expect(url.searchParams.get("session_transfer_token")).toBe("stt_token");
  });

  it("draws fresh checks for every sign-in", () => {
    const client = clientFor(`${ISSUER}/authorize`);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const { state, nonce, codeVerifier } = client.newChecks("/");
      for (const value of [state, nonce, codeVerifier]) {
        expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
        seen.add(value);
      }
    }
    expect(seen.size).toBe(300);
  });
});

describe("the values node:crypto computes instead of openid-client", () => {
  it("gives the S256 challenge of RFC 7636's example, and openid-client's for any verifier", async () => {
    // RFC 7636, Appendix B.
    expect(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
    const verifier = oidc.randomPKCECodeVerifier();
    expect(pkceChallenge(verifier)).toBe(await oidc.calculatePKCECodeChallenge(verifier));
  });

  it("draws state, nonce and verifier as openid-client does: 32 fresh random bytes each, base64url", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const values = randomChecks();
      expect(values).toHaveLength(3);
      for (const v of values) {
        expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(Buffer.from(v, "base64url")).toHaveLength(32);
        // No value twice, within a sign-in or across sign-ins: no byte is handed out twice.
        expect(seen.has(v)).toBe(false);
        seen.add(v);
      }
      expect(values[0].length).toBe(oidc.randomState().length);
    }
  });
});
