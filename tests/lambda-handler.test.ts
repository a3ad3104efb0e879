import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { HTTPS_SESSION_COOKIE, HTTPS_TRANSACTION_COOKIE } from "../testkit/app-cookies";
import type { LoginAppSettings } from "../app/app";
import { FIRST_WAIT_MS } from "../app/backoff";
import { createHandler, loadSettingsFromSsm, type WebHandler } from "../app/lambda";
import type { LogRecord } from "../app/log";
import { BrowserLikeClient } from "../testkit/browser-like-client";
import { httpApiEvent, lambdaContext, resultHeader, ResultCookieJar } from "../testkit/api-gateway";
import { startLocalIssuer, type LocalIssuer } from "../testkit/local-issuer";
import { startLocalSsm, type LocalSsm } from "../testkit/local-ssm";
import { captureProcessOutput, type OutputCapture } from "../testkit/output-capture";

const BASE_URL = "https://web.test";
const SETTINGS_PATH = "/native-web-sso/dev/web";
const CLIENT = { clientId: "web-lambda", clientSecret: "web-lambda-secret" };

let output: OutputCapture;
let issuer: LocalIssuer;
let ssm: LocalSsm;
const usedTokens = new Set<string>();
const savedEnv = { ...process.env };

function settings(): LoginAppSettings {
  return {
    issuerBaseURL: issuer.issuerBaseURL,
    baseURL: BASE_URL,
    clientID: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    secret: "cookie-secret-for-lambda-tests-0123456789",
  };
}

function invoke(
  handler: WebHandler,
  url: string,
  cookies?: string[],
): Promise<APIGatewayProxyStructuredResultV2> {
  return handler(httpApiEvent({ url, cookies }), lambdaContext());
}

/** The runtime's AWS environment, pointed at the local SSM endpoint (AWS_ENDPOINT_URL_SSM). */
function ssmEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIDTESTTEST",
    AWS_SECRET_ACCESS_KEY: "test-secret",
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    ISSUER_BASE_URL: issuer.issuerBaseURL,
    BASE_URL,
    SETTINGS_PATH,
    ...extra,
  };
}

function useEnv(env: NodeJS.ProcessEnv): void {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

beforeAll(async () => {
  output = captureProcessOutput();
  issuer = await startLocalIssuer({
    clients: [{ ...CLIENT, redirectUris: [`${BASE_URL}/callback`], allowedLogoutUrls: [`${BASE_URL}/`] }],
  });
  ssm = await startLocalSsm({ pageSize: 2 });
  // Keep the SDK away from any shared config of the machine.
  process.env.AWS_CONFIG_FILE = "/nonexistent/aws-config";
  process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/aws-credentials";
});

afterAll(async () => {
  await issuer?.close();
  await ssm?.close();
  process.env = savedEnv;
  output?.stop();
});

/** Moves the clock (only `Date`) past the first back-off after a failure (app/backoff.ts). */
function afterFirstBackoff(): void {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  vi.setSystemTime(Date.now() + FIRST_WAIT_MS);
}

// Each test checks the logs for every token used so far: it holds alone and in any order.
afterEach(() => {
  vi.useRealTimers();
  const text = output.text();
  expect([...usedTokens].filter((t) => text.includes(t))).toEqual([]);
});

describe("Lambda handler with API Gateway HTTP API events", () => {
  it("redirects /login to /authorize with the query token and sets the transaction cookie in `cookies`", async () => {
    const handler = createHandler({ loadSettings: async () => settings() });
    const stt = issuer.issueSessionTransferToken("auth0|alice");
    usedTokens.add(stt);
    const result = await invoke(handler, `${BASE_URL}/login?session_transfer_token=${stt}`);
    expect(result.statusCode).toBe(302);
    const location = new URL(resultHeader(result, "location") ?? "");
    expect(location.origin + location.pathname).toBe(`${issuer.issuerBaseURL}/authorize`);
    expect(location.searchParams.get("session_transfer_token")).toBe(stt);
    expect(location.searchParams.get("redirect_uri")).toBe(`${BASE_URL}/callback`);
    expect(result.cookies).toEqual([
      expect.stringMatching(
        new RegExp(`^${HTTPS_TRANSACTION_COOKIE}=.+; Path=/; HttpOnly; Secure; SameSite=Lax$`),
      ),
    ]);
    expect(resultHeader(result, "set-cookie")).toBeUndefined();
  });

  it("completes the code flow through the handler: callback sets several cookies, / shows the user", async () => {
    const handler = createHandler({ loadSettings: async () => settings() });
    const jar = new ResultCookieJar();
    const stt = issuer.issueSessionTransferToken("auth0|alice");
    usedTokens.add(stt);

    const login = await invoke(
      handler,
      `${BASE_URL}/login?session_transfer_token=${stt}&returnTo=%2F%3Fview%3Dfull`,
    );
    jar.apply(login);
    // The issuer's hops run over real HTTPS, like a browser would.
    const browser = new BrowserLikeClient();
    let next = resultHeader(login, "location") ?? "";
    while (!next.startsWith(BASE_URL)) {
      const { hop } = await browser.request(next);
      next = hop.location ?? "";
      expect(hop.status).toBeGreaterThanOrEqual(300);
    }
    expect(next).toMatch(/^https:\/\/web\.test\/callback\?code=/);

    const callback = await invoke(handler, next, jar.list());
    expect(callback.statusCode).toBe(302);
    expect(resultHeader(callback, "location")).toBe("/?view=full");
    const names = (callback.cookies ?? []).map((c) => c.split("=")[0]);
    expect(names).toEqual(expect.arrayContaining([HTTPS_TRANSACTION_COOKIE, HTTPS_SESSION_COOKIE]));
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const cookie of callback.cookies ?? []) expect(cookie).not.toContain(stt);
    jar.apply(callback);

    const home = await invoke(handler, `${BASE_URL}/?view=full`, jar.list());
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Signed in as <strong id="user">Alice Example</strong>');
  });

  it("reads the raw query string: a repeated parameter is a 400, encoded characters are decoded once", async () => {
    const handler = createHandler({ loadSettings: async () => settings() });
    const repeated = await invoke(
      handler,
      `${BASE_URL}/login?session_transfer_token=a&session_transfer_token=b`,
    );
    expect(repeated.statusCode).toBe(400);
    expect(repeated.body).toContain("The query parameter session_transfer_token is repeated");
    const controls = await invoke(handler, `${BASE_URL}/login?session_transfer_token=ab%0Acd`);
    expect(controls.statusCode).toBe(400);
    expect(controls.body).toContain("contains control characters");
    const encoded = await invoke(handler, `${BASE_URL}/login?session_transfer_token=a%2Bb%3D`);
    expect(new URL(resultHeader(encoded, "location") ?? "").searchParams.get("session_transfer_token")).toBe(
      "a+b=",
    );
  });

  it("answers /healthz and loads settings and discovers the issuer once across invocations", async () => {
    issuer.resetLog();
    let loads = 0;
    const handler = createHandler({
      loadSettings: async () => {
        loads++;
        return settings();
      },
    });
    const health = await invoke(handler, `${BASE_URL}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body ?? "")).toEqual({ status: "ok" });
    expect(issuer.counters.discovery).toBe(0);
    const results = await Promise.all(Array.from({ length: 20 }, () => invoke(handler, `${BASE_URL}/login`)));
    expect(results.every((r) => r.statusCode === 302)).toBe(true);
    expect(loads).toBe(1);
    expect(issuer.counters.discovery).toBe(1);
  });

  it("discovers the issuer while the settings load on a cold start that signs in, and not for /healthz", async () => {
    issuer.resetLog();
    let discoveredDuringLoad = false;
    const handler = createHandler({
      issuerBaseURL: issuer.issuerBaseURL,
      loadSettings: async () => {
        // The discovery request arrives while the settings are still loading.
        for (let i = 0; i < 100 && issuer.counters.discovery === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        discoveredDuringLoad = issuer.counters.discovery === 1;
        return settings();
      },
    });
    const login = await invoke(handler, `${BASE_URL}/login`);
    expect(login.statusCode).toBe(302);
    expect(discoveredDuringLoad).toBe(true);
    expect(issuer.counters.discovery).toBe(1);
    expect((await invoke(handler, `${BASE_URL}/login`)).statusCode).toBe(302);
    expect(issuer.counters.discovery).toBe(1);

    issuer.resetLog();
    const healthFirst = createHandler({
      issuerBaseURL: issuer.issuerBaseURL,
      loadSettings: async () => settings(),
    });
    expect((await invoke(healthFirst, `${BASE_URL}/healthz`)).statusCode).toBe(200);
    expect(issuer.counters.discovery).toBe(0);
    expect((await invoke(healthFirst, `${BASE_URL}/login`)).statusCode).toBe(302);
    expect(issuer.counters.discovery).toBe(1);
  });

  it("answers 503, not a refusal, when the token endpoint cannot be reached during the callback", async () => {
    const gone = await startLocalIssuer({
      clients: [{ ...CLIENT, redirectUris: [`${BASE_URL}/callback`] }],
    });
    const handler = createHandler({
      loadSettings: async () => ({ ...settings(), issuerBaseURL: gone.issuerBaseURL }),
      log: () => undefined,
    });
    const jar = new ResultCookieJar();
    const login = await invoke(handler, `${BASE_URL}/login`);
    jar.apply(login);
    const browser = new BrowserLikeClient();
    let next = resultHeader(login, "location") ?? "";
    while (!next.startsWith(BASE_URL)) next = (await browser.request(next)).hop.location ?? "";
    await gone.close();
    const callback = await invoke(handler, next, jar.list());
    expect(callback.statusCode).toBe(503);
    expect(resultHeader(callback, "retry-after")).toBe("5");
    expect(callback.body).toContain("try again in a moment");
  });

  it("answers 503 when discovery fails, logs why, and discovers again after backing off", async () => {
    const records: LogRecord[] = [];
    const unreachable = "https://localhost:1";
    const handler = createHandler({
      issuerBaseURL: unreachable,
      log: (record) => records.push(record),
      loadSettings: async () => ({ ...settings(), issuerBaseURL: unreachable }),
    });
    const failed = await invoke(handler, `${BASE_URL}/login`);
    expect(failed.statusCode).toBe(503);
    expect(resultHeader(failed, "retry-after")).toBe("1");
    expect(records).toContainEqual(expect.objectContaining({ level: "error", msg: "settings_load_failed" }));
    afterFirstBackoff();
    const again = await invoke(handler, `${BASE_URL}/login`);
    expect(again.statusCode).toBe(503);
    expect(records.filter((r) => r.msg === "settings_load_failed")).toHaveLength(2);
  });

  it("reloads its settings after Auth0 rejects the client secret, e.g. after a rotation", async () => {
    const records: LogRecord[] = [];
    let loads = 0;
    const handler = createHandler({
      log: (record) => records.push(record),
      loadSettings: async () => {
        loads++;
        // The first cold start reads a secret that has since been rotated away.
        return loads === 1 ? { ...settings(), clientSecret: "rotated-away-secret" } : settings();
      },
    });
    const signIn = async (): Promise<APIGatewayProxyStructuredResultV2> => {
      const jar = new ResultCookieJar();
      const stt = issuer.issueSessionTransferToken("auth0|alice");
      usedTokens.add(stt);
      const login = await invoke(handler, `${BASE_URL}/login?session_transfer_token=${stt}`);
      jar.apply(login);
      const browser = new BrowserLikeClient();
      let next = resultHeader(login, "location") ?? "";
      while (!next.startsWith(BASE_URL)) next = (await browser.request(next)).hop.location ?? "";
      return invoke(handler, next, jar.list());
    };

    const rejected = await signIn();
    expect(rejected.statusCode).toBe(400);
    expect(rejected.body).toContain("Sign-in did not complete");
    expect(records).toContainEqual(expect.objectContaining({ msg: "client_rejected_reloading_settings" }));
    const accepted = await signIn();
    expect(accepted.statusCode).toBe(302);
    expect(resultHeader(accepted, "location")).toBe("/");
    expect(loads).toBe(2);
  });

  it("answers 503 when the settings cannot be loaded, logs why, and retries after backing off", async () => {
    const records: LogRecord[] = [];
    let attempt = 0;
    const handler = createHandler({
      log: (record) => records.push(record),
      loadSettings: async () => {
        attempt++;
        if (attempt === 1) throw new Error("Missing SSM parameter below /x: /x/client-id");
        return settings();
      },
    });
    const failed = await invoke(handler, `${BASE_URL}/healthz`);
    expect(failed.statusCode).toBe(503);
    expect(failed.body).toContain("try again");
    expect(records).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "settings_load_failed",
        error: expect.stringContaining("/x/client-id"),
      }),
    );
    afterFirstBackoff();
    const recovered = await invoke(handler, `${BASE_URL}/healthz`);
    expect(recovered.statusCode).toBe(200);
    expect(attempt).toBe(2);
  });
});

describe("settings from SSM", () => {
  it("reads the three SecureString parameters with decryption in SigV4-signed requests, following NextToken", async () => {
    ssm.parameters.clear();
    ssm.calls.length = 0;
    ssm.parameters.set(`${SETTINGS_PATH}/client-id`, "cid-from-ssm");
    ssm.parameters.set(`${SETTINGS_PATH}/client-secret`, "csecret-from-ssm");
    ssm.parameters.set(`${SETTINGS_PATH}/cookie-secret`, "cookie-secret-from-ssm-0123456789");
    ssm.parameters.set(`${SETTINGS_PATH}/nested/ignored`, "x");
    useEnv(ssmEnv());
    const loaded = await loadSettingsFromSsm();
    expect(loaded).toEqual({
      issuerBaseURL: issuer.issuerBaseURL,
      baseURL: BASE_URL,
      clientID: "cid-from-ssm",
      clientSecret: "csecret-from-ssm",
      secret: "cookie-secret-from-ssm-0123456789",
    });
    expect(ssm.calls.length).toBe(2); // three parameters, pages of two
    for (const call of ssm.calls) {
      expect(call.target).toBe("AmazonSSM.GetParametersByPath");
      // Signed as the AWS SDK's own signer computes it, for this region and service.
      expect(call.signed).toEqual({
        valid: true,
        accessKeyId: "AKIDTESTTEST",
        region: "eu-west-1",
        service: "ssm",
      });
      expect(call.body).toMatchObject({ Path: SETTINGS_PATH, WithDecryption: true, Recursive: false });
    }
  });

  it("reads the previous cookie secret when SSM holds one", async () => {
    ssm.parameters.clear();
    ssm.parameters.set(`${SETTINGS_PATH}/client-id`, "cid");
    ssm.parameters.set(`${SETTINGS_PATH}/client-secret`, "csecret");
    ssm.parameters.set(`${SETTINGS_PATH}/cookie-secret`, "cookie-secret-now-0123456789");
    ssm.parameters.set(`${SETTINGS_PATH}/cookie-secret-previous`, "cookie-secret-before-0123456789");
    useEnv(ssmEnv());
    expect(await loadSettingsFromSsm()).toMatchObject({
      secret: "cookie-secret-now-0123456789",
      previousSecret: "cookie-secret-before-0123456789",
    });
  });

  it("names what SSM answered when it refuses the request", async () => {
    useEnv(ssmEnv({ AWS_SECRET_ACCESS_KEY: "not-the-secret" }));
    await expect(loadSettingsFromSsm()).rejects.toThrow(
      `SSM GetParametersByPath ${SETTINGS_PATH} answered 400 InvalidSignatureException: The request signature we calculated`,
    );
  });

  it("names every missing parameter", async () => {
    ssm.parameters.clear();
    ssm.parameters.set(`${SETTINGS_PATH}/client-id`, "cid");
    useEnv(ssmEnv());
    await expect(loadSettingsFromSsm()).rejects.toThrow(
      `Missing SSM parameters below ${SETTINGS_PATH}: ${SETTINGS_PATH}/client-secret, ${SETTINGS_PATH}/cookie-secret`,
    );
  });

  it("names every missing environment variable", async () => {
    await expect(loadSettingsFromSsm({ env: { BASE_URL } })).rejects.toThrow(
      "Missing environment variables: ISSUER_BASE_URL, SETTINGS_PATH, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY",
    );
  });

  it("serves a cold start from SSM once, and recovers once a missing parameter appears", async () => {
    ssm.parameters.clear();
    ssm.calls.length = 0;
    ssm.parameters.set(`${SETTINGS_PATH}/client-id`, CLIENT.clientId);
    ssm.parameters.set(`${SETTINGS_PATH}/client-secret`, CLIENT.clientSecret);
    useEnv(ssmEnv());
    const records: LogRecord[] = [];
    const handler = createHandler({ loadSettings: () => loadSettingsFromSsm(), log: (r) => records.push(r) });

    const first = await invoke(handler, `${BASE_URL}/login`);
    expect(first.statusCode).toBe(503);
    expect(records.find((r) => r.msg === "settings_load_failed")?.error).toBe(
      `Missing SSM parameter below ${SETTINGS_PATH}: ${SETTINGS_PATH}/cookie-secret`,
    );

    ssm.parameters.set(`${SETTINGS_PATH}/cookie-secret`, randomBytes(24).toString("base64url"));
    afterFirstBackoff();
    const callsBefore = ssm.calls.length;
    const second = await invoke(handler, `${BASE_URL}/login`);
    const third = await invoke(handler, `${BASE_URL}/login`);
    expect([second.statusCode, third.statusCode]).toEqual([302, 302]);
    expect(ssm.calls.length - callsBefore).toBe(2); // one load (two pages), not one per invocation
  });
});
