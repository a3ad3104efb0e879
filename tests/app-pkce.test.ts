import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { pkceChallenge, randomChecks } from "../app/oidc";

describe("the PKCE challenge and the random checks of a sign-in", () => {
  it("computes S256 exactly as openid-client does (RFC 7636 §4.2), for many verifiers", async () => {
    // RFC 7636 Appendix B's example first.
    expect(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
    const verifiers = [
      ...Array.from({ length: 200 }, () => oidc.randomPKCECodeVerifier()),
      ...Array.from({ length: 200 }, () => randomChecks().codeVerifier),
      // The RFC's extremes: 43 and 128 characters of its unreserved alphabet.
      "A".repeat(43),
      "-._~".repeat(32),
    ];
    for (const verifier of verifiers) {
      expect(pkceChallenge(verifier)).toBe(await oidc.calculatePKCECodeChallenge(verifier));
    }
  });

  it("draws state, nonce and verifier as openid-client does: 32 random bytes each, base64url, all distinct", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const checks = randomChecks();
      for (const value of [checks.state, checks.nonce, checks.codeVerifier]) {
        expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(Buffer.from(value, "base64url")).toHaveLength(32);
        seen.add(value);
      }
      expect(checks.codeVerifier.length).toBe(oidc.randomPKCECodeVerifier().length);
    }
    expect(seen.size).toBe(1500);
  });
});
