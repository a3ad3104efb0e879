/**
 * Attacks on the Lambda handler's settings lifecycle, and rotating the cookie secret: through the
 * real handler with API Gateway HTTP API events, against a real OpenID provider.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createHandler, type WebHandler } from "../app/lambda";
import type { LogRecord } from "../app/log";
import { BrowserLikeClient } from "../testkit/browser-like-client";
import { httpApiEvent, lambdaContext, resultHeader, ResultCookieJar } from "../testkit/api-gateway";
import { startLocalIssuer, type LocalIssuer } from "../testkit/local-issuer";
import { captureProcessOutput, type OutputCapture } from "../testkit/output-capture";

const BASE_URL = "https://web.test";
const CLIENT = { clientId: "web-hardening", clientSecret: "web-hardening-secret" };
const SECRET_1 = "cookie-secret-one-0123456789abcdefghijklmnop";
const SECRET_2 = "cookie-secret-two-0123456789abcdefghijklmnop";
const SECRET_3 = "cookie-secret-three-0123456789abcdefghijklmn";

let output: OutputCapture;
let issuer: LocalIssuer;

/** The settings shape the handler loads; the previous secret is optional. */
function settings(overrides: Record<string, string | undefined> = {}) {
  return {
    issuerBaseURL: issuer.issuerBaseURL,
    baseURL: BASE_URL,
    clientID: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    secret: SECRET_1,
    ...overrides,
  };
}

function invoke(
  handler: WebHandler,
  url: string,
  init: { cookies?: string[]; method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<APIGatewayProxyStructuredResultV2> {
  const event = httpApiEvent({ url, cookies: init.cookies, method: init.method, headers: init.headers });
  if (init.body !== undefined) Object.assign(event, { body: init.body, isBase64Encoded: false });
  return handler(event, lambdaContext());
}

/** Starts a sign-in on `start`, runs the provider's hops, and returns the callback URL and cookies. */
async function signInUntilCallback(
  start: WebHandler,
): Promise<{ callbackUrl: string; jar: ResultCookieJar }> {
  const jar = new ResultCookieJar();
  const login = await invoke(
    start,
    `${BASE_URL}/login?session_transfer_token=${issuer.issueSessionTransferToken("auth0|alice")}`,
  );
  expect(login.statusCode).toBe(302);
  jar.apply(login);
  const browser = new BrowserLikeClient();
  let next = resultHeader(login, "location") ?? "";
  while (!next.startsWith(BASE_URL)) next = (await browser.request(next)).hop.location ?? "";
  return { callbackUrl: next, jar };
}

beforeAll(async () => {
  output = captureProcessOutput();
  issuer = await startLocalIssuer({
    clients: [{ ...CLIENT, redirectUris: [`${BASE_URL}/callback`], allowedLogoutUrls: [BASE_URL] }],
  });
});

afterAll(async () => {
  await issuer?.close();
  output?.stop();
});

describe("forced settings reloads", () => {
  function countingHandler(): { handler: WebHandler; loads: () => number; records: LogRecord[] } {
    let loads = 0;
    const records: LogRecord[] = [];
    const handler = createHandler({
      log: (r) => records.push(r),
      loadSettings: async () => {
        loads++;
        return settings();
      },
    });
    return { handler, loads: () => loads, records };
  }

  it("does not reload for an access_denied POSTed to /callback", async () => {
    const { handler, loads, records } = countingHandler();
    // The attacker's own sign-in gives a matching state and transaction cookie.
    const { callbackUrl, jar } = await signInUntilCallback(handler);
    const state = new URL(callbackUrl).searchParams.get("state") ?? "";
    for (let i = 0; i < 2; i++) {
      await invoke(handler, `${BASE_URL}/callback`, {
        method: "POST",
        cookies: jar.list(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `error=access_denied&error_description=Unauthorized&state=${state}&iss=${encodeURIComponent(issuer.issuer)}`,
      });
    }
    expect(loads()).toBe(1);
    expect(records.map((r) => r.msg)).not.toContain("client_rejected_reloading_settings");
  });

  it("does not reload for an access_denied hidden behind 1,000 filler parameters", async () => {
    const { handler, loads, records } = countingHandler();
    const { callbackUrl, jar } = await signInUntilCallback(handler);
    const state = new URL(callbackUrl).searchParams.get("state") ?? "";
    const filler = Array.from({ length: 1000 }, (_, i) => `f${i}=1`).join("&");
    for (let i = 0; i < 2; i++) {
      await invoke(
        handler,
        `${BASE_URL}/callback?${filler}&state=${state}&iss=${encodeURIComponent(issuer.issuer)}&error=access_denied`,
        {
          cookies: jar.list(),
        },
      );
    }
    expect(loads()).toBe(1);
    expect(records.map((r) => r.msg)).not.toContain("client_rejected_reloading_settings");
  });

  it("reloads at most once per interval while the token endpoint keeps refusing the client", async () => {
    let loads = 0;
    const handler = createHandler({
      loadSettings: async () => {
        loads++;
        return settings({ clientSecret: "wrong-secret-every-time" });
      },
      log: () => undefined,
    });
    for (let i = 0; i < 3; i++) {
      const { callbackUrl, jar } = await signInUntilCallback(handler);
      const answer = await invoke(handler, callbackUrl, { cookies: jar.list() });
      expect(answer.statusCode).toBe(400);
    }
    // The first refusal reloads; the next ones within the interval do not.
    expect(loads).toBe(2);
  });
});

describe("rotating the cookie secret", () => {
  it("completes a sign-in started before the rotation and keeps sessions sealed with the previous secret", async () => {
    const before = createHandler({
      loadSettings: async () => settings({ secret: SECRET_1 }),
      log: () => undefined,
    });
    // A sign-in in flight while the secret rotates: started before, finished on a new cold start.
    const inFlight = await signInUntilCallback(before);
    const oldSession = await signInUntilCallback(before);
    const oldCallback = await invoke(before, oldSession.callbackUrl, { cookies: oldSession.jar.list() });
    expect(oldCallback.statusCode).toBe(302);
    oldSession.jar.apply(oldCallback);

    const after = createHandler({
      loadSettings: async () => settings({ secret: SECRET_2, previousSecret: SECRET_1 }),
      log: () => undefined,
    });
    const finished = await invoke(after, inFlight.callbackUrl, { cookies: inFlight.jar.list() });
    expect(finished.statusCode).toBe(302);
    expect(resultHeader(finished, "location")).toBe("/");
    inFlight.jar.apply(finished);
    const home = await invoke(after, `${BASE_URL}/`, { cookies: inFlight.jar.list() });
    expect(home.body).toContain('Signed in as <strong id="user">Alice Example</strong>');
    // A session sealed before the rotation still signs its user in.
    const oldHome = await invoke(after, `${BASE_URL}/`, { cookies: oldSession.jar.list() });
    expect(oldHome.body).toContain('data-signed-in="true"');

    // One rotation later the first secret is gone: its sessions are signed out, not errors.
    const next = createHandler({
      loadSettings: async () => settings({ secret: SECRET_3, previousSecret: SECRET_2 }),
      log: () => undefined,
    });
    const expired = await invoke(next, `${BASE_URL}/`, { cookies: oldSession.jar.list() });
    expect(expired.statusCode).toBe(200);
    expect(expired.body).toContain('data-signed-in="false"');
    const kept = await invoke(next, `${BASE_URL}/`, { cookies: inFlight.jar.list() });
    expect(kept.body).toContain('data-signed-in="true"');
  });
});
