/**
 * Cold start: a fresh `node` process loads a Lambda bundle (as built for deployment), reads its
 * settings from SSM (pointed at a local endpoint) and answers its first `/login` (discovery from
 * the local provider). Two subjects in the same run: the app's bundle, which signs its SSM request
 * itself, and the library floor's (express-openid-connect + the AWS SDK, as the runtime ships it),
 * the yardstick. Also the app bundle's size, raw and zipped.
 */

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildLambdaBundle } from "../app/bundle";
import { BUNDLE_FILE, LAMBDA_ENV, SETTINGS_PARAMETERS } from "../app/contract";
import { httpApiEvent } from "../testkit/api-gateway";
import { startLocalSsm } from "../testkit/local-ssm";
import { buildFloorBundle } from "./floor-bundle";
import { APP_BASE_URL, COOKIE_SECRET, ROOT, WEB_CLIENT, childEnv, count } from "./lib/env";
import type { IssuerProcess } from "./lib/issuer";
import { atMost, below, expect, info, type SectionResult } from "./lib/report";
import { median, msSince, round } from "./lib/stats";
import { zipOneFile } from "./lib/zip";

const SETTINGS_PATH = "/native-web-sso/bench/web";
const TOKEN = "stt_coldstart0123456789abcdefghijklmnopqrstu";

/**
 * The process under test, plain CommonJS as Lambda's Node runtime would load it. It prints one JSON
 * line with its own timings (ms since the process's time origin), the handler's answer, and
 * whether any AWS SDK module was loaded.
 */
const RUNNER = `"use strict";
const { readFileSync } = require("node:fs");
const event = JSON.parse(readFileSync(process.argv[2], "utf8"));
const context = { awsRequestId: "cold", functionName: "web", getRemainingTimeInMillis: () => 10000 };
const before = performance.now();
const { handler } = require("./${BUNDLE_FILE}");
const loaded = performance.now();
handler(event, context).then(
  (r) => {
    const answered = performance.now();
    const location = (r.headers && (r.headers.location || r.headers.Location)) || "";
    const sdkLoaded = Object.keys(require.cache).some((k) => k.includes("@aws-sdk"));
    process.stdout.write(JSON.stringify({ before, loaded, answered, status: r.statusCode, location, sdkLoaded }) + "\\n", () => process.exit(0));
  },
  (e) => { process.stderr.write(String(e && e.stack || e) + "\\n"); process.exit(1); },
);
`;

interface RunnerReport {
  before: number;
  loaded: number;
  answered: number;
  status: number;
  location: string;
  sdkLoaded: boolean;
}

interface ColdRun {
  /** From spawn to the response line, as the parent saw it. */
  wallMs: number;
  /** Inside the process: time origin to response. */
  inProcessMs: number;
  /** Inside the process: requiring the bundle (and what it requires: the AWS SDK, for the floor). */
  requireMs: number;
  /** Inside the process: first invocation (SSM read, app set-up, discovery, redirect). */
  firstInvocationMs: number;
  /** Whether any `@aws-sdk/*` module was loaded. */
  sdkLoaded: boolean;
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
        requireMs: r.loaded - r.before,
        firstInvocationMs: r.answered - r.loaded,
        sdkLoaded: r.sdkLoaded,
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

/** The cold starts of one subject: its bundle in a directory of its own, run `n` times. */
async function timeSubject(
  dir: string,
  code: string,
  eventFile: string,
  env: NodeJS.ProcessEnv,
  n: number,
  afterWarmUp: () => Promise<void> = async () => undefined,
): Promise<ColdRun[]> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, BUNDLE_FILE), code);
  writeFileSync(join(dir, "runner.js"), RUNNER);
  // One untimed run warms the OS file cache, as a real host's disk cache would be.
  await runOnce(dir, eventFile, env);
  await afterWarmUp();
  const runs: ColdRun[] = [];
  for (let i = 0; i < n; i++) runs.push(await runOnce(dir, eventFile, env));
  return runs;
}

const breakdown = (runs: ColdRun[]): string =>
  [
    median(runs.map((r) => r.inProcessMs)),
    median(runs.map((r) => r.requireMs)),
    median(runs.map((r) => r.firstInvocationMs)),
  ]
    .map((v) => round(v, 0))
    .join(" / ");

/** Runs the cold-start benchmark for the app and the floor, and reports the app bundle's size. */
export async function measureColdStart(issuer: IssuerProcess): Promise<SectionResult> {
  const buildStarted = process.hrtime.bigint();
  const bundle = buildLambdaBundle();
  const buildMs = msSince(buildStarted);
  const floorCode = buildFloorBundle();
  const zipped = zipOneFile(BUNDLE_FILE, Buffer.from(bundle.code, "utf8"));
  const dir = mkdtempSync(join(tmpdir(), "native-web-sso-cold-"));
  const ssm = await startLocalSsm();
  try {
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
      // The floor's bundle leaves @aws-sdk/* to the runtime, which ships it; here it comes from the project.
      NODE_PATH: join(ROOT, "node_modules"),
    });
    for (const k of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"]) {
      delete env[k];
    }
    const n = count(9, 3);
    let ssmCallsBefore = 0;
    const app = await timeSubject(join(dir, "app"), bundle.code, eventFile, env, n, async () => {
      await issuer.reset();
      ssmCallsBefore = ssm.calls.length;
    });
    const counts = await issuer.counts();
    const ssmCalls = ssm.calls.length - ssmCallsBefore;
    const floor = await timeSubject(join(dir, "floor"), floorCode, eventFile, env, n);
    const s = "Cold start";
    const appWall = median(app.map((r) => r.wallMs));
    const floorWall = median(floor.map((r) => r.wallMs));
    const sdkLoaded = app.some((r) => r.sdkLoaded);
    return {
      figures: [
        atMost(
          s,
          "app: spawn to first redirect",
          round(appWall, 0),
          "ms",
          round(floorWall / 2, 0),
          `median of ${n} fresh node processes, SSM read + discovery included; ${round(appWall / floorWall, 2)}x the library floor's (target at most half)`,
        ),
        info(
          s,
          "library floor: spawn to first redirect",
          round(floorWall, 0),
          "ms",
          "express-openid-connect + serverless-express bundle, SSM read with the AWS SDK (fixture), same run",
        ),
        expect(
          s,
          "app: AWS SDK loaded on the cold path",
          sdkLoaded ? "yes" : "no",
          "no",
          !sdkLoaded,
          `floor: ${floor.some((r) => r.sdkLoaded) ? "yes" : "no"}`,
        ),
        info(
          s,
          "in-process: total / require bundle / 1st /login (app; floor)",
          `${breakdown(app)}; ${breakdown(floor)}`,
          "ms",
          "time origin to response / require the bundle (the floor's requires the SDK) / SSM + app + discovery + redirect",
        ),
        info(
          s,
          "round trips per cold start (app)",
          `${round(ssmCalls / n, 1)} SSM + ${round(counts.total / n, 1)} provider`,
          "",
          `provider: discovery ${round(counts.discovery / n, 1)}, other ${round((counts.total - counts.discovery) / n, 1)}`,
        ),
        below(
          s,
          "bundle size raw",
          round(bundle.bytes / 1024, 0),
          "KB",
          250,
          `${bundle.bytes} bytes; no AWS SDK`,
        ),
        info(
          s,
          "bundle size zipped",
          round(zipped.length / 1024, 0),
          "KB",
          `${zipped.length} bytes, deflate level 9; build ${round(buildMs, 0)} ms; floor bundle ${round(Buffer.byteLength(floorCode) / 1024, 0)} KB raw`,
        ),
      ],
      details: {
        app,
        floor,
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
