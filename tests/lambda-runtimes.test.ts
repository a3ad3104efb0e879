/**
 * The handler's tests on both Node runtimes: this file runs them again, in a vitest of their own,
 * on the runtime this process is not (Node 24 from the `node` package, which is what `nodejs24.x`
 * runs, and the machine's Node). The bundle's own test runs the built file on both.
 */

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { testedRuntimes } from "../testkit/node-runtimes";

const ROOT = resolve(__dirname, "..");
const HANDLER_TESTS = ["tests/lambda-handler.test.ts", "tests/lambda-hardening.test.ts"];

interface VitestReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string }> }>;
}

async function versionOf(execPath: string): Promise<string> {
  return (await promisify(execFile)(execPath, ["--version"], { encoding: "utf8" })).stdout.trim();
}

describe("the Lambda handler on both Node runtimes", () => {
  it("runs the handler tests on the runtime this process is not, and all pass", async () => {
    const others: Array<{ label: string; execPath: string; version: string }> = [];
    for (const runtime of testedRuntimes()) {
      const version = await versionOf(runtime.execPath);
      if (runtime.major) expect(version).toMatch(new RegExp(`^v${runtime.major}\\.`));
      if (version !== process.version) others.push({ ...runtime, version });
    }
    // The two runtimes differ, so exactly one of them is not this process's.
    expect(others).toHaveLength(1);
    const other = others[0] as (typeof others)[number];
    const out = mkdtempSync(join(tmpdir(), "native-web-sso-runtimes-"));
    try {
      const report = join(out, "report.json");
      // A failing test exits non-zero: the report says which, so the exit code is not the verdict.
      await promisify(execFile)(
        other.execPath,
        [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", ...HANDLER_TESTS],
        {
          cwd: ROOT,
          env: { ...process.env, VITEST_JSON_REPORT: report },
          encoding: "utf8",
          maxBuffer: 64 * 1024 * 1024,
        },
      ).catch((error: unknown) => {
        if (!existsSync(report)) throw error;
      });
      const result = JSON.parse(readFileSync(report, "utf8")) as VitestReport;
      const failed = result.testResults
        .flatMap((file) => file.assertionResults)
        .filter((test) => test.status !== "passed")
        .map((test) => `${test.fullName}: ${test.status}`);
      expect(failed, `on ${other.label} ${other.version}`).toEqual([]);
      expect(result.numPassedTests).toBeGreaterThanOrEqual(15);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
