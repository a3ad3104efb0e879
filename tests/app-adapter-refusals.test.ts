/**
 * Requests the adapters cannot hand to the app (a NUL in a header value, a space in a header name,
 * a TRACE, a base64 body that does not decode) get the app's own refusal, with its security
 * headers, on the local server (@hono/node-server, and Node's HTTP parser before it) and on the
 * Lambda (hono/aws-lambda), and nothing quotes the refused value: no console.error, no log line
 * with it. The Lambda's 503 before any settings carries the same headers.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createHandler } from "../app/lambda";
import type { LogRecord } from "../app/log";
import { startServer, type StartedServer } from "../app/server";
import { httpApiEvent, lambdaContext } from "../testkit/api-gateway";
import { captureProcessOutput, type OutputCapture } from "../testkit/output-capture";

const TOKEN = "stt_adapter_refusal_secret_value";
const SETTINGS = {
  issuerBaseURL: "https://issuer.invalid",
  baseURL: "http://127.0.0.1",
  clientID: "web",
  clientSecret: "web-secret",
  secret: "0123456789abcdef0123456789abcdef",
};

/** The headers every answer of the app carries. */
function expectSecurityHeaders(headers: Record<string, string>): void {
  expect(headers["content-security-policy"]).toMatch(/^default-src 'none';.*frame-ancestors 'none'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["cache-control"]).toBe("no-store");
}

let output: OutputCapture;
beforeAll(() => {
  output = captureProcessOutput();
});
afterAll(() => output.stop());

describe("the local server", () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await startServer({ settings: SETTINGS });
  });
  afterAll(() => server.close());

  /** Sends a hand-made request and parses the answer's status line and headers. */
  function send(text: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1", () => socket.write(text));
      let raw = "";
      socket.on("data", (d: Buffer) => (raw += d.toString("latin1")));
      socket.on("error", reject);
      socket.on("close", () => {
        const [head, ...rest] = raw.split("\r\n\r\n");
        const [statusLine, ...lines] = head.split("\r\n");
        const headers = Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
        );
        resolve({ status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
      });
    });
  }

  it.each([
    [
      "a NUL in a header value",
      `GET /login?session_transfer_token=${TOKEN} HTTP/1.1\r\nHost: x\r\nX-A: a\u0000${TOKEN}\r\n\r\n`,
      400,
    ],
    [
      "a space in a header name",
      `GET /login?session_transfer_token=${TOKEN} HTTP/1.1\r\nHost: x\r\nBad Name: ${TOKEN}\r\n\r\n`,
      400,
    ],
    [
      "a TRACE",
      `TRACE /login?session_transfer_token=${TOKEN} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      404,
    ],
  ])("answers %s with the app's refusal and headers, quoting nothing", async (_, request, status) => {
    const before = output.text().length;
    const answer = await send(request);
    expect(answer.status).toBe(status);
    expectSecurityHeaders(answer.headers);
    expect(answer.body).toContain('data-code="');
    const written = output.text().slice(before);
    expect(written).not.toContain(TOKEN);
    expect(written).not.toMatch(/Error processing request|TypeError/);
  });
});

describe("the Lambda", () => {
  const records: LogRecord[] = [];
  const handler = createHandler({
    log: (r) => records.push(r),
    loadSettings: () => Promise.resolve(SETTINGS),
  });
  const event = (edit: (e: APIGatewayProxyEventV2) => void): APIGatewayProxyEventV2 => {
    const e = httpApiEvent({ url: `https://web.test/login?session_transfer_token=${TOKEN}` });
    edit(e);
    return e;
  };

  it.each([
    [
      "a NUL in a header value",
      (e: APIGatewayProxyEventV2) => (e.headers["x-a"] = `a\u0000${TOKEN}`),
      "TypeError",
    ],
    [
      "a space in a header name",
      (e: APIGatewayProxyEventV2) => (e.headers[`bad ${TOKEN}`] = "v"),
      "TypeError",
    ],
    ["a TRACE", (e: APIGatewayProxyEventV2) => (e.requestContext.http.method = "TRACE"), "TypeError"],
    [
      "a base64 body that does not decode",
      (e: APIGatewayProxyEventV2) => {
        e.requestContext.http.method = "POST";
        e.body = `%%${TOKEN}%%`;
        e.isBase64Encoded = true;
      },
      "InvalidCharacterError",
    ],
  ])("answers %s with the app's 400 and headers, and logs only the error's name", async (_, edit, name) => {
    const before = output.text().length;
    records.length = 0;
    const result = await handler(event(edit), lambdaContext());
    expect(result.statusCode).toBe(400);
    expectSecurityHeaders(result.headers as Record<string, string>);
    expect(result.body).toContain('data-code="malformed_request"');
    // The URL had a query (it may hold the token): the page replaces its history entry.
    expect(result.body).toContain("history.replaceState");
    expect(records).toEqual([{ level: "warn", msg: "malformed_request", error: name }]);
    expect(output.text().slice(before)).toBe("");
  });

  it("gives its 503 before any settings the app's headers, forms posting to this origin only", async () => {
    const failing = createHandler({
      log: () => undefined,
      loadSettings: () => Promise.reject(new Error("ssm down")),
    });
    const result = await failing(
      event(() => undefined),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(503);
    const headers = result.headers as Record<string, string>;
    expectSecurityHeaders(headers);
    expect(headers["content-security-policy"]).toContain("form-action 'self';");
    expect(headers["strict-transport-security"]).toMatch(/^max-age=\d+$/);
    expect(Number(headers["retry-after"])).toBeGreaterThan(0);
  });
});
