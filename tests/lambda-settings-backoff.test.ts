/**
 * While the settings cannot be loaded (SSM throttled in an account-wide outage) or the issuer
 * cannot be discovered, the function backs off: 1 s after the first failure, doubling to 30 s,
 * answering 503 with the time left as `Retry-After` instead of adding one SSM read and one
 * discovery per request to the outage. The clock is the test's (only `Date` is faked).
 */

import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createHandler, type WebHandler } from "../app/lambda";
import type { LoginAppSettings } from "../app/settings";
import { httpApiEvent, lambdaContext, resultHeader } from "../testkit/api-gateway";
import { ensureTestCertificates } from "../testkit/tls";

const BASE_URL = "https://web.test";
const START = Date.UTC(2026, 0, 1);

/** An issuer host that answers every discovery with a 500, and counts them. */
let failingIssuer: Server;
let failingIssuerURL = "";
let discoveries = 0;

beforeAll(async () => {
  const tls = ensureTestCertificates();
  failingIssuer = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    if (req.url?.startsWith("/.well-known/openid-configuration")) discoveries++;
    res.writeHead(500, { "content-type": "text/plain" }).end("down");
  });
  await new Promise<void>((resolve) => failingIssuer.listen(0, "127.0.0.1", resolve));
  failingIssuerURL = `https://localhost:${(failingIssuer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  failingIssuer.closeAllConnections();
  await new Promise<void>((resolve) => failingIssuer.close(() => resolve()));
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(START);
});

afterEach(() => {
  vi.useRealTimers();
});

function settings(issuerBaseURL: string): LoginAppSettings {
  return {
    issuerBaseURL,
    baseURL: BASE_URL,
    clientID: "web",
    clientSecret: "web-secret",
    secret: "cookie-secret-for-backoff-tests-0123456789",
  };
}

const at = (ms: number): void => void vi.setSystemTime(START + ms);

function login(handler: WebHandler, query = ""): Promise<APIGatewayProxyStructuredResultV2> {
  return handler(httpApiEvent({ url: `${BASE_URL}/login${query}` }), lambdaContext());
}

describe("settings that fail to load", () => {
  it("are loaded again only after 1 s, 2 s, 4 s ... up to 30 s, with Retry-After the time left", async () => {
    let loads = 0;
    let failing = true;
    const handler = createHandler({
      log: () => undefined,
      loadSettings: () => {
        loads++;
        return failing
          ? Promise.reject(new Error("ThrottlingException"))
          : Promise.resolve(settings(BASE_URL));
      },
    });
    const waits: string[] = [];
    let now = 0;
    for (let attempt = 0; attempt < 7; attempt++) {
      const failed = await login(handler);
      expect(failed.statusCode).toBe(503);
      expect(loads).toBe(attempt + 1);
      const retryAfter = resultHeader(failed, "retry-after") ?? "";
      waits.push(retryAfter);
      // Asked again just before the wait is over: no load, and the time left.
      at(now + Number(retryAfter) * 1000 - 400);
      const early = await login(handler);
      expect(early.statusCode).toBe(503);
      expect(resultHeader(early, "retry-after")).toBe("1");
      expect(loads).toBe(attempt + 1);
      now += Number(retryAfter) * 1000;
      at(now);
    }
    expect(waits).toEqual(["1", "2", "4", "8", "16", "30", "30"]);
    // Loaded at last: the app answers, and a later failure starts again at 1 s.
    failing = false;
    const served = await handler(httpApiEvent({ url: `${BASE_URL}/healthz` }), lambdaContext());
    expect(served.statusCode).toBe(200);
    expect(loads).toBe(8);
  });

  it("do not delay the first load of a fresh environment", async () => {
    let loads = 0;
    const handler = createHandler({
      log: () => undefined,
      loadSettings: () => {
        loads++;
        return Promise.resolve(settings(BASE_URL));
      },
    });
    const health = await handler(httpApiEvent({ url: `${BASE_URL}/healthz` }), lambdaContext());
    expect(health.statusCode).toBe(200);
    expect(loads).toBe(1);
  });
});

describe("an issuer that fails discovery", () => {
  it("is discovered again only after the back-off, and sign-ins meanwhile get 503 with Retry-After", async () => {
    const handler = createHandler({
      log: () => undefined,
      loadSettings: async () => settings(failingIssuerURL),
    });
    const before = discoveries;
    const first = await login(handler);
    expect(first.statusCode).toBe(503);
    expect(resultHeader(first, "retry-after")).toBe("1");
    expect(discoveries - before).toBeGreaterThanOrEqual(1);
    const afterFirst = discoveries;
    for (let i = 0; i < 5; i++) {
      at(100 * i);
      const meanwhile = await login(handler);
      expect(meanwhile.statusCode).toBe(503);
      expect(resultHeader(meanwhile, "retry-after")).toBe("1");
    }
    expect(discoveries).toBe(afterFirst);
    at(1000);
    const second = await login(handler);
    expect(second.statusCode).toBe(503);
    expect(resultHeader(second, "retry-after")).toBe("2");
    expect(discoveries).toBeGreaterThan(afterFirst);
  });
});
