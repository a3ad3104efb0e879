import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { HTTPS_TRANSACTION_COOKIE } from "../testkit/app-cookies";
import { buildLambdaBundle, type LambdaBundle } from "../app/bundle";
import { BUNDLE_FILE, LAMBDA_HANDLER, LOG_MESSAGES } from "../app/contract";
import { httpApiEvent } from "../testkit/api-gateway";
import { startLocalIssuer, type LocalIssuer } from "../testkit/local-issuer";
import { startLocalSsm, type LocalSsm } from "../testkit/local-ssm";
import { testedRuntimes } from "../testkit/node-runtimes";

const ROOT = resolve(__dirname, "..");
const SETTINGS_PATH = "/native-web-sso/bundle/web";
let bundle: LambdaBundle;
let scratch: string;

beforeAll(() => {
  bundle = buildLambdaBundle();
  scratch = mkdtempSync(join(tmpdir(), "native-web-sso-bundle-"));
  writeFileSync(join(scratch, BUNDLE_FILE), bundle.code);
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("Lambda bundle", () => {
  it("is one minified CommonJS file under 250 KB whose size and hash describe it", () => {
    expect(bundle.bytes).toBe(Buffer.byteLength(bundle.code));
    expect(bundle.bytes).toBeLessThan(250 * 1024);
    expect(bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Minified: no doc comments survive (asserted as booleans to keep failure output short).
    expect(/\n\s*\* @(param|returns|type)\b/.test(bundle.code)).toBe(false);
    expect(bundle.code).toContain("module.exports");
  });

  it("gives the same bytes on every build and from another checkout directory", () => {
    expect(buildLambdaBundle().sha256).toBe(bundle.sha256);
    const checkout = join(scratch, "elsewhere", "checkout");
    cpSync(join(ROOT, "app"), join(checkout, "app"), { recursive: true });
    cpSync(join(ROOT, "tsconfig.json"), join(checkout, "tsconfig.json"));
    cpSync(join(ROOT, "package.json"), join(checkout, "package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"), "dir");
    expect(buildLambdaBundle({ rootDir: checkout }).sha256).toBe(bundle.sha256);
  });

  it("contains no absolute path of the build machine", () => {
    for (const path of [ROOT, homedir(), tmpdir(), "/node_modules/"]) {
      expect(bundle.code.includes(path), path).toBe(false);
    }
  });

  it("needs no AWS SDK and no module outside itself", () => {
    expect(/@aws-sdk\/|@smithy\//.test(bundle.code)).toBe(false);
    // Only Node's own modules are required at run time.
    const required = [...bundle.code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? "");
    expect(required.filter((name) => !name.startsWith("node:") && !/^[a-z_]+$/.test(name))).toEqual([]);
  });

  it(`exports ${LAMBDA_HANDLER} from ${BUNDLE_FILE}`, () => {
    expect(`${BUNDLE_FILE.replace(/\.js$/, "")}.handler`).toBe(LAMBDA_HANDLER);
  });

  describe.each(testedRuntimes())("run on $label in a fresh process", (runtime) => {
    let issuer: LocalIssuer;
    let ssm: LocalSsm;
    beforeAll(async () => {
      issuer = await startLocalIssuer({
        clients: [
          {
            clientId: "bundled",
            clientSecret: "bundled-secret",
            redirectUris: ["https://web.test/callback"],
          },
        ],
      });
      ssm = await startLocalSsm();
    });
    afterAll(async () => {
      await issuer?.close();
      await ssm?.close();
    });

    /** Runs the bundle's `handler` export, as Lambda does, on the events; returns results and stdout. */
    async function runBundle(
      events: unknown[],
    ): Promise<{ version: string; results: APIGatewayProxyStructuredResultV2[]; log: string[] }> {
      const script = `
        const { handler } = require(process.argv[1]);
        (async () => {
          const out = [];
          for (const event of JSON.parse(process.env.EVENTS)) out.push(await handler(event, {}));
          process.stdout.write("RESULT " + JSON.stringify({ version: process.version, results: out }) + "\\n");
        })().catch((e) => { console.error(e); process.exit(1); });`;
      // Asynchronously: the issuer and SSM the child talks to run on this process's event loop.
      const { stdout } = await promisify(execFile)(
        runtime.execPath,
        ["-e", script, join(scratch, BUNDLE_FILE)],
        {
          cwd: scratch,
          env: {
            PATH: process.env.PATH,
            NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
            EVENTS: JSON.stringify(events),
            // What the Lambda runtime and the stack give the function.
            AWS_REGION: "eu-west-1",
            AWS_ACCESS_KEY_ID: "ASIABUNDLETEST",
            AWS_SECRET_ACCESS_KEY: "bundle-test-secret",
            AWS_SESSION_TOKEN: "bundle-test-session",
            AWS_ENDPOINT_URL_SSM: ssm.endpoint,
            ISSUER_BASE_URL: issuer.issuerBaseURL,
            BASE_URL: "https://web.test",
            SETTINGS_PATH,
            NODE_ENV: "production",
          },
          encoding: "utf8",
        },
      );
      const lines = stdout.split("\n").filter(Boolean);
      const result = lines.find((l) => l.startsWith("RESULT "));
      if (!result) throw new Error(`no result in ${stdout.slice(0, 500)}`);
      const parsed = JSON.parse(result.slice(7)) as {
        version: string;
        results: APIGatewayProxyStructuredResultV2[];
      };
      return { ...parsed, log: lines.filter((l) => !l.startsWith("RESULT ")) };
    }

    it("reads SSM without the SDK, serves /healthz, redirects /login with its own token, answers a bad token with 400", async () => {
      ssm.parameters.clear();
      ssm.parameters.set(`${SETTINGS_PATH}/client-id`, "bundled");
      ssm.parameters.set(`${SETTINGS_PATH}/client-secret`, "bundled-secret");
      ssm.parameters.set(`${SETTINGS_PATH}/cookie-secret`, "bundled-cookie-secret-0123456789");
      const { version, results, log } = await runBundle([
        httpApiEvent({ url: "https://web.test/healthz" }),
        httpApiEvent({ url: "https://web.test/login?session_transfer_token=bundle-token-1" }),
        httpApiEvent({ url: "https://web.test/login?session_transfer_token=" }),
      ]);
      if (runtime.major) expect(version).toMatch(new RegExp(`^v${runtime.major}\\.`));
      const [health, login, bad] = results;
      expect(health?.statusCode).toBe(200);
      expect(login?.statusCode).toBe(302);
      const location = new URL(String(login?.headers?.location));
      expect(location.pathname).toBe("/authorize");
      expect(location.searchParams.get("session_transfer_token")).toBe("bundle-token-1");
      expect(login?.cookies?.[0]).toMatch(new RegExp(`^${HTTPS_TRANSACTION_COOKIE}=`));
      expect(bad?.statusCode).toBe(400);
      expect(bad?.body).toContain("session_transfer_token is empty.");
      expect(ssm.calls.at(-1)?.signed).toMatchObject({ valid: true, sessionToken: "bundle-test-session" });
      // One JSON object per stdout line, none with the token.
      for (const line of log) expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect(log.join("\n")).not.toContain("bundle-token-1");
    });

    it(`answers 503 and logs ${LOG_MESSAGES.settingsLoadFailed} as one JSON line on stdout when a parameter is missing`, async () => {
      ssm.parameters.clear();
      ssm.parameters.set(`${SETTINGS_PATH}/client-id`, "bundled");
      const { results, log } = await runBundle([httpApiEvent({ url: "https://web.test/login" })]);
      expect(results[0]?.statusCode).toBe(503);
      // The first failure's back-off (app/backoff.ts).
      expect(results[0]?.headers?.["retry-after"]).toBe("1");
      const failures = log
        .map((l) => JSON.parse(l) as { msg?: string; error?: string })
        .filter((r) => r.msg === LOG_MESSAGES.settingsLoadFailed);
      expect(failures).toHaveLength(1);
      expect(failures[0]?.error).toContain(`${SETTINGS_PATH}/client-secret`);
    });
  });
});
