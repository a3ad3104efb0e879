/**
 * `npm start` fails where `pulumi preview --policy-pack policy --policy-pack-config <file>` fails:
 * on a mandatory policy violation (the CLI ends such a preview with an error) as on a config
 * problem, and it says which enforcement it applied.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { npmStart, type StartRun } from "../testkit/npm-start";

const ROOT = path.resolve(__dirname, "..");

type Run = StartRun;

const start = (...args: string[]): Promise<Run> => npmStart(args);

// A non-production stack may raise a policy's level: device binding "none" then fails the preview.
const STRICT = "test-results/policy-outside-production-mandatory.json";

const runs: Record<string, Run> = {};
beforeAll(async () => {
  mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  writeFileSync(
    path.join(ROOT, STRICT),
    JSON.stringify({ "session-transfer-device-binding-outside-production": "mandatory" }),
  );
  const jobs: Record<string, string[]> = {
    // Outside production device binding "none" is advisory at the pack's own levels.
    advisory: ["--stack", "dev", "-c", "deviceBinding=none"],
    mandatory: ["--stack", "dev", "-c", "deviceBinding=none", "--policy-config", STRICT],
    mandatoryJson: ["--stack", "dev", "--json", "-c", "deviceBinding=none", "--policy-config", STRICT],
    missingFile: ["--stack", "dev", "--policy-config", "test-results/nope.json"],
  };
  const names = Object.keys(jobs);
  const results = await Promise.all(names.map((n) => start(...jobs[n])));
  names.forEach((n, i) => (runs[n] = results[i]));
}, 180_000);

describe("npm start's exit code and policy enforcement", () => {
  it("exits 1 on a mandatory violation, after printing the preview, naming the enforcement", () => {
    const { code, stdout, stderr } = runs.mandatory;
    expect(code).toBe(1);
    expect(stdout).toMatch(/\[mandatory\] session-transfer-device-binding-outside-production: native-client/);
    expect(stdout).toContain(`Enforcement (pack native-web-sso): ${STRICT}`);
    expect(stderr).toMatch(
      /^error: \d+ mandatory policy violations \(enforcement: test-results\/policy-outside/,
    );
  });

  it("exits 1 with --json too, as pulumi preview --json does", () => {
    expect(runs.mandatoryJson.code).toBe(1);
    expect(JSON.parse(runs.mandatoryJson.stdout)).toHaveProperty("policies");
  });

  it("exits 0 with only advisory findings, and says the pack's own levels applied", () => {
    const { code, stdout, stderr } = runs.advisory;
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/\[advisory\] session-transfer-device-binding-outside-production: native-client/);
    expect(stdout).toContain("Enforcement (pack native-web-sso): no configuration file");
    expect(stdout).toMatch(/^ {4}advisory: session-transfer-device-binding-outside-production$/m);
  });

  it("refuses a policy configuration file that does not exist", () => {
    expect(runs.missingFile.code).toBe(1);
    expect(runs.missingFile.stderr).toContain("--policy-config: no file test-results/nope.json");
  });
});
