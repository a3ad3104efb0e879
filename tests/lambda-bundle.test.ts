import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { buildLambdaBundle, type LambdaBundle } from "../app/bundle";
import { BUNDLE_FILE, LAMBDA_HANDLER } from "../app/contract";
import { decode, encodingExists, getDecoder } from "../app/shims/iconv-lite";
import { httpApiEvent } from "../testkit/api-gateway";
import { startLocalIssuer, type LocalIssuer } from "../testkit/local-issuer";

const ROOT = resolve(__dirname, "..");
let bundle: LambdaBundle;
let scratch: string;

beforeAll(() => {
  bundle = buildLambdaBundle();
  scratch = mkdtempSync(join(tmpdir(), "native-web-sso-bundle-"));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("Lambda bundle", () => {
  it("is one minified CommonJS file under 1 MB whose size and hash describe it", () => {
    expect(bundle.bytes).toBe(Buffer.byteLength(bundle.code));
    expect(bundle.bytes).toBeLessThan(1_000_000);
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

  it("leaves the AWS SDK to the runtime and carries no iconv-lite tables", () => {
    expect(bundle.code).toContain('require("@aws-sdk/client-ssm")');
    expect(/@smithy\/|@aws-sdk\/core/.test(bundle.code)).toBe(false);
    expect(bundle.code.includes("shiftjis")).toBe(false);
  });

  it(`exports ${LAMBDA_HANDLER} from ${BUNDLE_FILE}`, () => {
    expect(`${BUNDLE_FILE.replace(/\.js$/, "")}.handler`).toBe(LAMBDA_HANDLER);
  });

  describe("run in a fresh Node process", () => {
    let issuer: LocalIssuer;
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
    });
    afterAll(async () => {
      await issuer?.close();
    });

    it("serves /healthz, redirects /login with its own token, and answers a bad token with 400", async () => {
      const file = join(scratch, BUNDLE_FILE);
      writeFileSync(file, bundle.code);
      const events = [
        httpApiEvent({ url: "https://web.test/healthz" }),
        httpApiEvent({ url: "https://web.test/login?session_transfer_token=bundle-token-1" }),
        httpApiEvent({ url: "https://web.test/login?session_transfer_token=" }),
      ];
      const settings = {
        issuerBaseURL: issuer.issuerBaseURL,
        baseURL: "https://web.test",
        clientID: "bundled",
        clientSecret: "bundled-secret",
        secret: "bundled-cookie-secret-0123456789",
      };
      const script = `
        const bundle = require(process.argv[1]);
        if (typeof bundle.handler !== "function") throw new Error("no handler export");
        const handler = bundle.createHandler({ loadSettings: async () => JSON.parse(process.env.SETTINGS), log: () => {} });
        (async () => {
          const out = [];
          for (const event of JSON.parse(process.env.EVENTS)) out.push(await handler(event, {}));
          process.stdout.write(JSON.stringify(out));
        })().catch((e) => { console.error(e); process.exit(1); });`;
      // Asynchronously: the issuer the child talks to runs on this process's event loop.
      const { stdout } = await promisify(execFile)(process.execPath, ["-e", script, file], {
        // The runtime provides the AWS SDK; here the project's copy stands in for it.
        env: {
          ...process.env,
          NODE_PATH: join(ROOT, "node_modules"),
          SETTINGS: JSON.stringify(settings),
          EVENTS: JSON.stringify(events),
        },
        encoding: "utf8",
      });
      const [health, login, bad] = JSON.parse(stdout) as APIGatewayProxyStructuredResultV2[];
      expect(health?.statusCode).toBe(200);
      expect(login?.statusCode).toBe(302);
      const location = new URL(String(login?.headers?.location));
      expect(location.pathname).toBe("/authorize");
      expect(location.searchParams.get("session_transfer_token")).toBe("bundle-token-1");
      expect(login?.cookies?.[0]).toMatch(/^auth_verification=/);
      expect(bad?.statusCode).toBe(400);
      expect(bad?.body).toContain("session_transfer_token is empty.");
    });
  });
});

describe("iconv-lite stand-in of the bundle", () => {
  it("decodes like iconv-lite: BOM dropped, streamed multi-byte characters kept whole, unknown encodings named", () => {
    expect(decode(Buffer.from("\ufeffcode=é", "utf8"), "utf-8")).toBe("code=é");
    expect(decode(Buffer.from([0x63, 0xe9]), "latin1")).toBe("cé");
    const decoder = getDecoder("utf-8");
    const bytes = Buffer.from("€", "utf8");
    expect(decoder.write(bytes.subarray(0, 1)) + decoder.write(bytes.subarray(1)) + decoder.end()).toBe("€");
    expect(encodingExists("utf-8")).toBe(true);
    expect(encodingExists("klingon")).toBe(false);
    expect(() => getDecoder("klingon")).toThrow(/^Encoding not recognized: /);
  });
});
