/**
 * Cold start: a fresh `node` process loads the Lambda bundle (as built for deployment), reads its
 * settings from SSM through the real AWS SDK (pointed at a local endpoint) and answers its first
 * `/login` (discovery from the local provider). Also the bundle's size, raw and zipped.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildLambdaBundle } from "../app/bundle";
import { BUNDLE_FILE, LAMBDA_ENV, SETTINGS_PARAMETERS } from "../app/contract";
import { httpApiEvent } from "../testkit/api-gateway";
import { startLocalSsm } from "../testkit/local-ssm";
import { APP_BASE_URL, COOKIE_SECRET, ROOT, WEB_CLIENT, childEnv, count } from "./lib/env";
import type { IssuerProcess } from "./lib/issuer";
import { below, info, type SectionResult } from "./lib/report";
import { median, msSince, round } from "./lib/stats";
import { zipOneFile } from "./lib/zip";

const SETTINGS_PATH = "/native-web-sso/bench/web";
const TOKEN = "stt_coldstart0123456789abcdefghijklmnopqrstu";

/**
 * The process under test, plain CommonJS as Lambda's Node runtime would load it. It prints one JSON
 * line with its own timings (ms since the process's time origin) and the handler's answer.
 */
const RUNNER = `"use strict";
const { readFileSync } = require("node:fs");
const event = JSON.parse(readFileSync(process.argv[2], "utf8"));
const context = { awsRequestId: "cold", functionName: "web", getRemainingTimeInMillis: () => 10000 };
const before = performance.now();
require("@aws-sdk/client-ssm");
const sdk = performance.now();
const { handler } = require("./${BUNDLE_FILE}");
const loaded = performance.now();
handler(event, context).then(
  (r) => {
    const answered = performance.now();
    const location = (r.headers && (r.headers.location || r.headers.Location)) || "";
    process.stdout.write(JSON.stringify({ before, sdk, loaded, answered, status: r.statusCode, location }) + "\\n", () => process.exit(0));
  },
  (e) => { process.stderr.write(String(e && e.stack || e) + "\\n"); process.exit(1); },
);
`;

interface RunnerReport {
  before: number;
  sdk: number;
  loaded: number;
  answered: number;
  status: number;
  location: string;
}

interface ColdRun {
  /** From spawn to the response line, as the parent saw it. */
  wallMs: number;
  /** Inside the process: time origin to response. */
  inProcessMs: number;
  /** Inside the process: requiring the AWS SDK's SSM client (the runtime ships it). */
  sdkMs: number;
  /** Inside the process: requiring the bundle, the SDK already loaded. */
  requireMs: number;
  /** Inside the process: first invocation (SSM read, app set-up, discovery, redirect). */
  firstInvocationMs: number;
}

function runOnce(dir: string, eventFile: string, env: NodeJS.ProcessEnv): Promise<ColdRun> {
  return new Promise<ColdRun>((resolve, reject) => {
    const started = process.hrtime.bigint();
    const proc = spawn(process.execPath, [join(dir, "runner.js"), eventFile], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let done = false;
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`cold start took over 30 s. stderr: ${err}`));
    }, 30_000);
    proc.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      // The app's own log lines are JSON too; ours is the one with "answered".
      const line = out.split("\n").find((l) => l.includes('"answered"'));
      if (!line || done) return;
      done = true;
      const wallMs = msSince(started);
      clearTimeout(timer);
      const r = JSON.parse(line) as RunnerReport;
      if (r.status !== 302 || !r.location.includes(`session_transfer_token=${TOKEN}`)) {
        reject(new Error(`first /login answered ${r.status} ${r.location.slice(0, 120)}; stderr: ${err}`));
        return;
      }
      resolve({
        wallMs,
        inProcessMs: r.answered,
        sdkMs: r.sdk - r.before,
        requireMs: r.loaded - r.sdk,
        firstInvocationMs: r.answered - r.loaded,
      });
    });
    proc.stderr.on("data", (chunk: Buffer) => {
      err = (err + chunk.toString("utf8")).slice(-4000);
    });
    proc.on("exit", (code) => {
      if (done) return;
      clearTimeout(timer);
      reject(new Error(`cold start process exited ${code} without answering. stderr: ${err}`));
    });
  });
}

/** Runs the cold-start benchmark and reports the bundle's size. */
export async function measureColdStart(issuer: IssuerProcess): Promise<SectionResult> {
  const buildStarted = process.hrtime.bigint();
  const bundle = buildLambdaBundle();
  const buildMs = msSince(buildStarted);
  const zipped = zipOneFile(BUNDLE_FILE, Buffer.from(bundle.code, "utf8"));
  const dir = mkdtempSync(join(tmpdir(), "native-web-sso-cold-"));
  const ssm = await startLocalSsm();
  try {
    writeFileSync(join(dir, BUNDLE_FILE), bundle.code);
    writeFileSync(join(dir, "runner.js"), RUNNER);
    const eventFile = join(dir, "event.json");
    writeFileSync(
      eventFile,
      JSON.stringify(httpApiEvent({ url: `${APP_BASE_URL}/login?session_transfer_token=${TOKEN}` })),
    );
    ssm.parameters.set(`${SETTINGS_PATH}/${SETTINGS_PARAMETERS.clientId}`, WEB_CLIENT.clientId);
    ssm.parameters.set(`${SETTINGS_PATH}/${SETTINGS_PARAMETERS.clientSecret}`, WEB_CLIENT.clientSecret);
    ssm.parameters.set(`${SETTINGS_PATH}/${SETTINGS_PARAMETERS.cookieSecret}`, COOKIE_SECRET);
    const env = childEnv({
      [LAMBDA_ENV.issuerBaseUrl]: issuer.issuerBaseURL,
      [LAMBDA_ENV.baseUrl]: APP_BASE_URL,
      [LAMBDA_ENV.settingsPath]: SETTINGS_PATH,
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "AKIDBENCHMARK",
      AWS_SECRET_ACCESS_KEY: "bench-secret",
      AWS_EC2_METADATA_DISABLED: "true",
      // The bundle leaves @aws-sdk/* to the runtime, which ships it; here it comes from the project.
      NODE_PATH: join(ROOT, "node_modules"),
    });
    for (const k of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"]) {
      delete env[k];
    }
    // One untimed run warms the OS file cache, as a real host's disk cache would be.
    await runOnce(dir, eventFile, env);
    await issuer.reset();
    const ssmCallsBefore = ssm.calls.length;
    const runs: ColdRun[] = [];
    const n = count(9, 3);
    for (let i = 0; i < n; i++) runs.push(await runOnce(dir, eventFile, env));
    const counts = await issuer.counts();
    const ssmCalls = ssm.calls.length - ssmCallsBefore;
    const s = "Cold start";
    const wall = median(runs.map((r) => r.wallMs));
    const inProcess = median(runs.map((r) => r.inProcessMs));
    return {
      figures: [
        below(
          s,
          "spawn to first redirect",
          round(wall, 0),
          "ms",
          250,
          `median of ${n} fresh node processes; SSM read + discovery included`,
        ),
        info(
          s,
          "in-process: total / AWS SDK / bundle / 1st /login",
          [
            inProcess,
            ...(["sdkMs", "requireMs", "firstInvocationMs"] as const).map((k) =>
              median(runs.map((r) => r[k])),
            ),
          ]
            .map((v) => round(v, 0))
            .join(" / "),
          "ms",
          "time origin to response / require @aws-sdk/client-ssm / require the bundle / SSM + app + discovery + redirect",
        ),
        info(
          s,
          "round trips per cold start",
          `${round(ssmCalls / n, 1)} SSM + ${round(counts.total / n, 1)} provider`,
          "",
          `provider: discovery ${round(counts.discovery / n, 1)}, other ${round((counts.total - counts.discovery) / n, 1)}`,
        ),
        below(
          s,
          "bundle size raw",
          round(bundle.bytes / 1024, 0),
          "KB",
          1024,
          `${bundle.bytes} bytes; @aws-sdk/* left to the runtime`,
        ),
        info(
          s,
          "bundle size zipped",
          round(zipped.length / 1024, 0),
          "KB",
          `${zipped.length} bytes, deflate level 9; build ${round(buildMs, 0)} ms`,
        ),
      ],
      details: {
        runs,
        bundleBytes: bundle.bytes,
        zippedBytes: zipped.length,
        sha256: bundle.sha256,
        ssmCalls,
        counts,
      },
    };
  } finally {
    await ssm.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
