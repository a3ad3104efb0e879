/**
 * The metric filters count the lines they are meant to: the settings-load failure line the real
 * Lambda handler writes, and the access log lines of the stage's own format.
 */

import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { filterPattern, lineMatches, LOG_METRICS } from "../components/monitoring/log-filters";
import { httpApiEvent, lambdaContext } from "../testkit/api-gateway";
import { captureProcessOutput, type OutputCapture } from "../testkit/output-capture";
import { renderStack } from "../offline/render";
import { onlyResource } from "../testkit/model";

const saved = { ...process.env };
let output: OutputCapture | undefined;
afterEach(() => {
  output?.stop();
  output = undefined;
  process.env = { ...saved };
});

/** The lines the real handler writes when it cannot load its settings (no SETTINGS_PATH here). */
async function settingsFailureLines(): Promise<string[]> {
  for (const key of ["ISSUER_BASE_URL", "BASE_URL", "SETTINGS_PATH"]) delete process.env[key];
  const { handler } = await import("../app/lambda");
  output = captureProcessOutput();
  const answer = await handler(httpApiEvent({ url: "https://web.acme.test/login" }), lambdaContext());
  const text = output.text();
  output.stop();
  output = undefined;
  expect(answer.statusCode).toBe(503);
  return text.split("\n").filter((l) => l.trim() !== "");
}

describe("metric filter for settings-load failures", () => {
  it("is a JSON selector on the app's message constant", () => {
    expect(filterPattern(LOG_METRICS.settingsLoadFailures)).toBe('{ ($.msg = "settings_load_failed") }');
  });

  it("matches the line the real Lambda handler writes when its settings fail to load, and no other", async () => {
    const lines = await settingsFailureLines();
    const counted = lines.filter((l) => lineMatches(LOG_METRICS.settingsLoadFailures, l));
    expect(counted).toHaveLength(1);
    expect(JSON.parse(counted[0])).toMatchObject({ level: "error", msg: "settings_load_failed" });
    // Nothing else the handler wrote in that invocation looks like a failure to this filter.
    for (const line of lines.filter((l) => !counted.includes(l))) {
      expect(lineMatches(LOG_METRICS.settingsLoadFailures, line)).toBe(false);
    }
  });

  it("does not count a line that merely mentions the message, or one that is not JSON", () => {
    const metric = LOG_METRICS.settingsLoadFailures;
    expect(lineMatches(metric, JSON.stringify({ msg: "request", path: "/settings_load_failed" }))).toBe(
      false,
    );
    expect(lineMatches(metric, "settings_load_failed")).toBe(false);
    expect(lineMatches(metric, '{"msg":"settings_load_failed_later"}')).toBe(false);
  });
});

describe("metric filters on the API's access log", () => {
  let format: string;
  beforeAll(async () => {
    const model = await renderStack({
      stack: "dev",
      preview: false,
      loadProgram: async () => {
        const { WebEndpoint } = await import("../components/web-endpoint");
        const e = new WebEndpoint("endpoint", {
          code: "exports.handler = async () => ({ statusCode: 200 });",
          issuerBaseUrl: "https://login.acme.test",
          settingsPath: "/native-web-sso/dev/web",
          names: (await import("../model/aws-names")).stackAwsNames("native-web-sso", "dev"),
          logRetentionDays: 14,
          memoryMb: 256,
          throttleBurstLimit: 100,
          throttleRateLimit: 50,
        });
        return { url: e.url };
      },
    });
    const stage = onlyResource(model, "aws:apigatewayv2/stage:Stage");
    format = String((stage.inputs.accessLogSettings as { format: string }).format);
  });

  /** An access log line as API Gateway writes it from the stage's format. */
  function accessLine(values: Record<string, string>): string {
    return format.replace(/\$context\.([A-Za-z.]+)/g, (_, name: string) => values[name] ?? "-");
  }
  const request = (path: string, status: string) =>
    accessLine({ path, status, httpMethod: "GET", requestId: "r1", responseLatency: "12" });

  it("counts 429s, and no other status", () => {
    const metric = LOG_METRICS.throttledRequests;
    expect(lineMatches(metric, request("/login", "429"))).toBe(true);
    for (const status of ["200", "302", "400", "4290", "503"]) {
      expect(lineMatches(metric, request("/login", status)), status).toBe(false);
    }
  });

  it("counts sign-ins completed at /callback (its redirect into the app), not failed callbacks or other paths", () => {
    const metric = LOG_METRICS.loginsCompleted;
    expect(filterPattern(metric)).toBe('{ ($.path = "/callback") && ($.status = "302") }');
    expect(lineMatches(metric, request("/callback", "302"))).toBe(true);
    expect(lineMatches(metric, request("/callback", "400"))).toBe(false);
    expect(lineMatches(metric, request("/login", "302"))).toBe(false);
  });
});
