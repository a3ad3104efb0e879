import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkReturnTo } from "../app/input";
import { pathOnly, redact, redactingSink, type LogRecord } from "../app/log";
import { main, readServerEnvironment, type StartedServer } from "../app/server";
import { startLocalIssuer, type LocalIssuer } from "../testkit/local-issuer";
import { ensureTestCertificates } from "../testkit/tls";

const env = {
  ISSUER_BASE_URL: "https://issuer.test",
  BASE_URL: "https://localhost:3000",
  CLIENT_ID: "id",
  CLIENT_SECRET: "secret",
  SECRET: "a-long-enough-cookie-secret",
};

describe("npm run web configuration", () => {
  it("names every missing environment variable", () => {
    expect(() => readServerEnvironment({ BASE_URL: "https://x.test" })).toThrow(
      "Missing environment variables: ISSUER_BASE_URL, CLIENT_ID, CLIENT_SECRET, SECRET",
    );
    expect(() => readServerEnvironment({ ...env, SECRET: "" })).toThrow(
      "Missing environment variable: SECRET",
    );
  });

  it("reads PORT and asks for both TLS files or neither", () => {
    expect(readServerEnvironment({ ...env, PORT: "8443" }).port).toBe(8443);
    expect(readServerEnvironment(env).port).toBe(3000);
    expect(() => readServerEnvironment({ ...env, PORT: "http" })).toThrow("PORT must be an integer");
    expect(() => readServerEnvironment({ ...env, TLS_CERT_FILE: "/c.pem" })).toThrow(
      "Set both TLS_CERT_FILE and TLS_KEY_FILE, or neither",
    );
  });

  describe("started from the environment with TLS", () => {
    let issuer: LocalIssuer;
    let server: StartedServer;
    beforeAll(async () => {
      const tls = ensureTestCertificates();
      issuer = await startLocalIssuer({ clients: [] });
      server = await main({
        ...env,
        ISSUER_BASE_URL: issuer.issuerBaseURL,
        PORT: "0",
        TLS_CERT_FILE: tls.certFile,
        TLS_KEY_FILE: tls.keyFile,
      });
    });
    afterAll(async () => {
      await server?.close();
      await issuer?.close();
    });

    it("serves HTTPS on the port it reports", async () => {
      expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
      const response = await fetch(`https://localhost:${server.port}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
    });
  });
});

describe("returnTo", () => {
  const base = "https://app.test";
  it.each([
    ["/", "/"],
    ["/a/b?c=d#e", "/a/b?c=d#e"],
    ["https://app.test/x", "/x"],
    ["/a/../b", "/b"],
  ])("keeps %s on this site as %s", (raw, path) => {
    expect(checkReturnTo(raw, base)).toEqual({ path });
  });

  it.each([
    "https://app.test.evil.test/",
    "https://app.test@evil.test/",
    "http://app.test/",
    "//evil.test",
    "/\\evil.test",
    "relative",
    "/x".padEnd(1025, "x"),
  ])("refuses %s", (raw) => {
    expect(checkReturnTo(raw, base)).toMatchObject({ code: "invalid_return_to" });
  });
});

describe("log hygiene", () => {
  it("redacts session transfer tokens in query strings, encoded queries and JSON", () => {
    expect(redact("/login?session_transfer_token=abc.def&x=1")).toBe(
      "/login?session_transfer_token=[redacted]&x=1",
    );
    expect(redact("returnTo=%2F%3Fsession_transfer_token%3Dabc")).toBe(
      "returnTo=%2F%3Fsession_transfer_token%3D[redacted]",
    );
    expect(redact('{"session_transfer_token":"abc"}')).toBe('{"session_transfer_token":"[redacted]"}');
  });

  it("logs paths without query strings and redacts every string field", () => {
    expect(pathOnly("/login?session_transfer_token=abc")).toBe("/login");
    const records: LogRecord[] = [];
    redactingSink((r) => records.push(r))({
      level: "error",
      msg: "failed at /login?session_transfer_token=abc",
      url: "https://x.test/?session_transfer_token=def",
      status: 500,
    });
    expect(JSON.stringify(records)).not.toMatch(/abc|def/);
    expect(records[0]?.status).toBe(500);
  });

  it("keeps every field and its order, never changes the caller's record, and drops inherited fields", () => {
    const records: LogRecord[] = [];
    const sink = redactingSink((r) => records.push(r));
    const clean: LogRecord = { level: "info", msg: "request", method: "GET", path: "/login", status: 302 };
    const tokenLate: LogRecord = {
      level: "warn",
      msg: "callback_rejected",
      path: "/callback",
      code: "x",
      detail: "from /login?session_transfer_token=secret-one",
      status: 400,
    };
    const before = JSON.stringify(tokenLate);
    const inherited = Object.create({ leaked: "session_transfer_token=secret-two" }) as LogRecord;
    Object.assign(inherited, { level: "info", msg: "request", path: "/" });
    sink(clean);
    sink(tokenLate);
    sink(inherited);
    expect(JSON.stringify(records[0])).toBe(JSON.stringify(clean));
    expect(Object.keys(records[1] ?? {})).toEqual(["level", "msg", "path", "code", "detail", "status"]);
    expect(records[1]).toMatchObject({ path: "/callback", code: "x", status: 400 });
    expect(records[1]?.detail).toBe("from /login?session_transfer_token=[redacted]");
    expect(JSON.stringify(tokenLate)).toBe(before);
    expect(JSON.stringify(records)).not.toContain("secret");
    expect(Object.keys(records[2] ?? {})).toEqual(["level", "msg", "path"]);
    for (const key in records[2]) expect(key).not.toBe("leaked");
  });

  it("redacts an inherited msg, and writes what it checked even when a getter answers differently later", () => {
    const records: LogRecord[] = [];
    const sink = redactingSink((r) => records.push(r));
    const inheritedMsg = Object.create({ msg: "failed: session_transfer_token=secret-three" }) as LogRecord;
    inheritedMsg.level = "error";
    sink(inheritedMsg);
    let reads = 0;
    const twoFaced = { level: "info", msg: "request" } as LogRecord;
    Object.defineProperty(twoFaced, "path", {
      enumerable: true,
      get: () => (reads++ === 0 ? "/login" : "/login?session_transfer_token=secret-four"),
    });
    sink(twoFaced);
    // The sink may read its records as often as it likes: they are plain values now.
    const written = JSON.stringify(records) + JSON.stringify(records);
    expect(written).not.toContain("secret");
    expect(records[0]?.msg).toBe("failed: session_transfer_token=[redacted]");
    expect(records[1]?.path).toBe("/login");
  });
});
