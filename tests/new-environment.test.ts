/**
 * A new team's first day: the README's "Add an environment", followed word for word in a copy of
 * the tree (its `pulumi config set` lines applied to the stack files as the CLI writes them, its
 * `npm start` commands run), gives a third stack that renders clean, gets its committed preview,
 * and passes the stack, policy, workflow, identities and preview tests there.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The values a team would type for the README's placeholders. */
const VALUES: Record<string, string> = {
  "<your-tenant-domain>": "acme-staging.eu.auth0.com",
  "<your-aws-region>": "eu-west-1",
  "<your-apple-team-id>": "ABCDE12345",
  "<your-ios-bundle-id>": "com.acme.shop.staging",
  "<your-android-package-name>": "com.acme.shop.staging",
  "<your-sha256-fingerprint>": (
    createHash("sha256").update("staging signing key").digest("hex").toUpperCase().match(/../g) ?? []
  ).join(":"),
  "<your-aws-account-id>": "333333333333",
  "<your-github-repository>": "acme/native-web-sso",
  "<your-state-bucket>": "acme-pulumi-state",
};

/** The tests that cover every stack file (the browser suites are left to the full run). */
const SUITES = [
  "tests/stack.test.ts",
  "tests/policy-stacks.test.ts",
  "tests/workflows.test.ts",
  "tests/identities-config.test.ts",
  "tests/preview-cli.test.ts",
];

/** The README's section, from its heading to the next one. */
function section(heading: string): string {
  const start = README.indexOf(`\n### ${heading}\n`);
  expect(start, `README has no section "${heading}"`).toBeGreaterThan(0);
  const end = README.indexOf("\n### ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The commands of a section's `sh` blocks, one per line, comments removed. */
function commands(text: string): string[] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split("\n"))
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Shell words, with single quotes as the README uses them. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/** `pulumi config set [--stack s] [--path] key value` on a stack file, as the CLI writes it (strings). */
function configSet(dir: string, args: string[]): void {
  const flags = new Set<string>(args.filter((a) => a === "--path"));
  const stackAt = args.indexOf("--stack");
  const stack = args[stackAt + 1];
  const rest = args.filter((a, i) => !flags.has(a) && i !== stackAt && i !== stackAt + 1);
  expect(rest, `pulumi config set ${args.join(" ")}`).toHaveLength(2);
  const [key, value] = rest;
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  const doc = parseDocument(existsSync(file) ? readFileSync(file, "utf8") : "config: {}\n");
  const indexed = /^(.+)\[(\d+)\]$/.exec(key);
  if (flags.has("--path") && indexed) doc.setIn(["config", indexed[1], Number(indexed[2])], value);
  else doc.setIn(["config", key], value);
  writeFileSync(file, doc.toString());
}

const exec = promisify(execFile);

describe("the README's Add an environment, followed in a copy of the tree", () => {
  const copy = mkdtempSync(path.join(tmpdir(), "nws-new-environment-"));
  const steps = commands(section("Add an environment"));
  const ran: string[] = [];
  const outputs: Record<string, string> = {};

  beforeAll(async () => {
    cpSync(ROOT, copy, {
      recursive: true,
      filter: (src) => !/[/\\](node_modules|\.git|test-results|\.stryker-tmp)$/.test(src),
    });
    symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
    for (const line of steps) {
      const filled = line.replace(/<[a-z0-9-]+>/g, (p) => {
        expect(VALUES[p], `the README uses the placeholder ${p}: give it a value in VALUES`).toBeDefined();
        return VALUES[p];
      });
      const w = words(filled);
      const dir = w[1] === "-C" ? path.join(copy, w[2]) : copy;
      const cmd = w[1] === "-C" ? [w[0], ...w.slice(3)] : w;
      if (cmd[0] === "pulumi" && cmd[1] === "stack" && cmd[2] === "init") {
        // The stack file appears with its first value, as with the CLI's local workspace.
      } else if (cmd[0] === "pulumi" && cmd[1] === "config" && cmd[2] === "set") {
        configSet(dir, cmd.slice(3));
      } else if (cmd[0] === "npm" && cmd[1] === "start") {
        const result = await exec("npm", cmd.slice(1), { cwd: copy, maxBuffer: 64 * 1024 * 1024 }).catch(
          (e: { stdout?: string; stderr?: string }) => {
            throw new Error(`${line} failed in the copy:\n${e.stderr ?? ""}${e.stdout ?? ""}`);
          },
        );
        outputs[line] = result.stdout;
      } else if (cmd[0] === "npm" && cmd[1] === "test") {
        // Run below: the suites that cover every stack file, not the browser tests.
      } else if (cmd[0] === "git" && cmd[1] === "add") {
        for (const f of cmd.slice(2))
          expect(existsSync(path.join(copy, f)), `${f} after the README's steps`).toBe(true);
      } else {
        throw new Error(`the README's "Add an environment" says \`${line}\`, which this test cannot follow`);
      }
      ran.push(line);
    }
  }, 300_000);

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it("marks every value a team types as a placeholder, with nothing elided", () => {
    expect(steps.length).toBeGreaterThan(10);
    for (const line of steps)
      expect(line, "a value left as an example (...) in the README").not.toContain("...");
    const table = section("Add an environment");
    for (const p of Object.keys(VALUES))
      expect(table, `the README's placeholder table lacks ${p}`).toContain(`\`${p}\``);
    expect(ran).toEqual(steps);
  });

  it("gives a third stack that renders clean, with its committed preview", () => {
    const render = Object.entries(outputs).find(([line]) => / --stack /.test(line));
    expect(render, "the README's steps render the new stack").toBeDefined();
    expect(render?.[1]).toContain("No policy reported a violation.");
    expect(existsSync(path.join(copy, "preview", "staging.json"))).toBe(true);
    expect(existsSync(path.join(copy, "Pulumi.staging.yaml"))).toBe(true);
    expect(existsSync(path.join(copy, "identities", "Pulumi.staging.yaml"))).toBe(true);
  });

  it("passes the suites that cover every stack file, there", async () => {
    const report = path.join(copy, "new-environment-report.json");
    await exec(
      process.execPath,
      [path.join(copy, "node_modules", "vitest", "vitest.mjs"), "run", ...SUITES],
      {
        cwd: copy,
        env: { ...process.env, VITEST_JSON_REPORT: report },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error: unknown) => {
      if (!existsSync(report)) throw error;
    });
    const result = JSON.parse(readFileSync(report, "utf8")) as {
      numPassedTests: number;
      testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
    };
    const failed = result.testResults
      .flatMap((f) => f.assertionResults)
      .filter((t) => t.status !== "passed")
      .map((t) => `${t.fullName}: ${t.failureMessages.join(" ").slice(0, 400)}`);
    expect(failed).toEqual([]);
    // The new stack is in them: its rendering, its deploy place, its identities.
    expect(result.numPassedTests).toBeGreaterThan(100);
    const names = result.testResults.flatMap((f) => f.assertionResults.map((t) => t.fullName));
    expect(names.some((n) => n.includes("staging"))).toBe(true);
  }, 600_000);
});
