/**
 * The browser proof's single-page app server: it serves the page, Auth0's own SDK build and the
 * stack's settings, nothing else, with a policy that keeps the page to its own scripts.
 */

import { readFileSync } from "node:fs";
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPA_SDK_FILE, startSpaServer, type SpaServer, type SpaSettings } from "../e2e/spa/server";
import { certificateFor } from "../e2e/certs";

const SETTINGS: SpaSettings = {
  domain: "acme-dev.eu.auth0.com",
  clientId: "spa-client-id",
  redirectUri: "https://shop.acme.test/callback",
};

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

describe("the single-page app's static server", () => {
  let spa: SpaServer;
  let ca: string;

  beforeAll(async () => {
    const certificate = certificateFor(["shop.acme.test"]);
    ca = certificate.ca;
    spa = await startSpaServer({
      settings: SETTINGS,
      address: "127.0.0.1",
      port: 0,
      tls: certificate,
    });
  });
  afterAll(async () => {
    await spa?.close();
  });

  function send(method: string, path: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: spa.port, method, path, servername: "shop.acme.test", ca },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });
  }

  it("serves the page on the login URI, the callback and the home, with the SDK's own build", async () => {
    for (const path of ["/", "/login?session_transfer_token=abc", "/callback?code=x&state=y"]) {
      const page = await send("GET", path);
      expect(page.status).toBe(200);
      expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(page.body).toContain('<script src="/auth0-spa-js.production.js"></script>');
    }
    const sdk = await send("GET", "/auth0-spa-js.production.js");
    expect(sdk.status).toBe(200);
    expect(sdk.body).toBe(readFileSync(SPA_SDK_FILE, "utf8"));
    expect(sdk.body).toContain("sessionTransferTokenQueryParamName");
  });

  it("hands the page exactly the stack's settings", async () => {
    const config = await send("GET", "/auth_config.json");
    expect(config.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(config.body)).toEqual(SETTINGS);
  });

  it("keeps the page to its own scripts and the tenant, unframed, without a Referer", async () => {
    const page = await send("GET", "/");
    expect(page.headers["content-security-policy"]).toBe(
      "default-src 'none'; script-src 'self'; connect-src 'self' https://acme-dev.eu.auth0.com; " +
        "frame-src https://acme-dev.eu.auth0.com; img-src 'self' data:; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'none'",
    );
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["cache-control"]).toBe("no-store");
  });

  it("serves nothing else: no file outside its list, no other method", async () => {
    for (const path of [
      "/server.ts",
      "/../package.json",
      "/%2e%2e/package.json",
      "/index.html/",
      "/app.js.map",
    ]) {
      expect((await send("GET", path)).status, path).toBe(404);
    }
    const post = await send("POST", "/login");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });

  it("logs paths only, never a query string", async () => {
    await send("GET", "/login?session_transfer_token=secret-token-value");
    expect(spa.log).toContain("GET /login 200");
    expect(spa.log.join("\n")).not.toContain("secret-token-value");
  });
});
