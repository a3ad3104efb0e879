/**
 * A URL that may hold a session transfer token is cleaned from the address bar by every answer
 * the function gives it, the Lambda's own 503 (settings not loaded) included, and every one of
 * them carries the app's security headers.
 */

import { describe, expect, it } from "vitest";
import { createHandler } from "../app/lambda";
import { CLEAN_ADDRESS_SCRIPT } from "../app/pages";
import { securityHeaders } from "../app/security-headers";
import { httpApiEvent, lambdaContext, resultHeader } from "../testkit/api-gateway";

const BASE_URL = "https://web.test";
const ISSUER = "https://tenant.test";
const TOKEN_URL = `${BASE_URL}/login?session_transfer_token=stt_secret_value`;

describe("the Lambda's 503 while its settings do not load", () => {
  const handler = createHandler({
    log: () => undefined,
    issuerBaseURL: ISSUER,
    loadSettings: () => Promise.reject(new Error("SSM throttled")),
  });

  it("cleans a token from the address bar and carries the app's security headers", async () => {
    // The first answer follows a failed load, the second comes from the back-off state: both.
    for (let i = 0; i < 2; i++) {
      const result = await handler(httpApiEvent({ url: TOKEN_URL }), lambdaContext());
      expect(result.statusCode).toBe(503);
      expect(result.body).toContain(`<script>${CLEAN_ADDRESS_SCRIPT}</script>`);
      expect(result.body).not.toContain("stt_secret_value");
      expect(Number(resultHeader(result, "retry-after"))).toBeGreaterThan(0);
      for (const [name, value] of securityHeaders({ https: true, issuerOrigin: ISSUER })) {
        expect(resultHeader(result, name), name).toBe(value);
      }
    }
  });

  it("runs no script on an address without a query", async () => {
    const result = await handler(httpApiEvent({ url: `${BASE_URL}/healthz` }), lambdaContext());
    expect(result.statusCode).toBe(503);
    expect(result.body).not.toContain("<script>");
  });
});

describe("a token sent to a path the app does not serve", () => {
  it("is cleaned from the address bar by the 404 of /login/ (trailing slash)", async () => {
    const handler = createHandler({
      log: () => undefined,
      loadSettings: async () => ({
        issuerBaseURL: ISSUER,
        baseURL: BASE_URL,
        clientID: "web",
        clientSecret: "web-secret",
        secret: "cookie-secret-for-clean-address-0123456789",
      }),
    });
    const result = await handler(
      httpApiEvent({ url: `${BASE_URL}/login/?session_transfer_token=stt_secret_value` }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(404);
    expect(result.body).toContain(`<script>${CLEAN_ADDRESS_SCRIPT}</script>`);
    expect(result.body).not.toContain("stt_secret_value");
    expect(resultHeader(result, "content-security-policy")).toContain("script-src 'sha256-");
  });
});
