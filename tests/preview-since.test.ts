/**
 * `npm start -- --stack <s> --since <ref>`, run as a reviewer runs it, on a copy of this project
 * made a git repository of its own: one commit, then a change on top (a config value, a generated
 * secret's length, an IAM policy's actions reordered and one added), and the diff of that change.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { npmStart } from "../testkit/npm-start";

const ROOT = path.resolve(__dirname, "..");
let copy: string;

const run = (cwd: string, args: readonly string[]) => npmStart(args, cwd);

function edit(file: string, from: string, to: string): void {
  const full = path.join(copy, file);
  const text = readFileSync(full, "utf8");
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}`);
  writeFileSync(full, text.replace(from, to));
}

const git = (...args: string[]) => execFileSync("git", ["-C", copy, ...args], { stdio: "ignore" });

let unchanged: Awaited<ReturnType<typeof run>>;
let changed: Awaited<ReturnType<typeof run>>;
let badRef: Awaited<ReturnType<typeof run>>;

beforeAll(async () => {
  copy = mkdtempSync(path.join(tmpdir(), "native-web-sso-review-"));
  const files = execFileSync("git", ["-C", ROOT, "ls-files", "-co", "--exclude-standard"], {
    encoding: "utf8",
  })
    .split("\n")
    .filter((f) => f !== "" && !f.startsWith("node_modules/"));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
    try {
      cpSync(path.join(ROOT, f), path.join(copy, f));
    } catch {
      // A file deleted in the working tree but still tracked.
    }
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  git("init", "-q");
  writeFileSync(path.join(copy, ".git", "info", "exclude"), "node_modules\n");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base");
  unchanged = await run(copy, ["--stack", "dev", "--since", "HEAD"]);

  edit("Pulumi.dev.yaml", "native-web-sso:logRetentionDays: 7", "native-web-sso:logRetentionDays: 14");
  edit("components/web-endpoint.ts", "{ length: 64, special: false }", "{ length: 48, special: false }");
  edit(
    "components/function-role-policy.ts",
    'Action: ["logs:CreateLogStream", "logs:PutLogEvents"]',
    'Action: ["logs:PutLogEvents", "logs:CreateLogStream"]',
  );
  edit(
    "components/function-role-policy.ts",
    'Action: ["ssm:GetParametersByPath"]',
    'Action: ["ssm:GetParameter", "ssm:GetParametersByPath"]',
  );
  [changed, badRef] = await Promise.all([
    run(copy, ["--stack", "dev", "--since", "HEAD"]),
    run(copy, ["--stack", "dev", "--since", "no-such-ref"]),
  ]);
}, 240_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("npm start -- --since <ref>", () => {
  it("says nothing changed when nothing did", () => {
    expect(unchanged.stderr).toBe("");
    expect(unchanged.stdout).toContain("No resource and no output changed.");
    expect(unchanged.stdout).not.toMatch(/^ {2}[~+-]+ \S+ {2}\(/m);
  });

  it("shows a changed value per resource and property", () => {
    expect(changed.code).toBe(0);
    expect(changed.stdout).toMatch(/^ {2}~ endpoint-logs {2}\(aws:cloudwatch\/logGroup:LogGroup\)$/m);
    expect(changed.stdout).toContain("      ~ retentionInDays: 7 → 14\n");
  });

  it("marks a change the provider makes by replacement, with what it means for users", () => {
    expect(changed.stdout).toMatch(
      /^ {2}\+- endpoint-cookie-secret {2}\(random:index\/randomPassword:RandomPassword\) {2}\[replace\]$/m,
    );
    expect(changed.stdout).toContain("      +- length: 64 → 48   [forces replacement]\n");
    expect(changed.stdout).toMatch(/^!!! REPLACES endpoint-cookie-secret .*session cookies/m);
  });

  it("shows an IAM policy as a document, its lists by value: a move reads as a move, an insertion as one", () => {
    const block = /^ {2}~ endpoint-role-policy .*\n((?: {6}.*\n)+)/m.exec(changed.stdout)?.[1] ?? "";
    expect(block.split("\n").filter(Boolean)).toEqual([
      "      ↕ policy » Statement[0].Action[1]: logs:CreateLogStream (moved from [0])",
      "      + policy » Statement[1].Action[0]: ssm:GetParameter",
    ]);
  });

  it("prints no line for a resource that did not change, and no component as an empty object", () => {
    expect(changed.stdout).not.toMatch(/native-credentials|: \{\}$/m);
    expect(changed.stdout).not.toMatch(/\(native-web-sso:[^)]*\)\n {6}/);
  });

  it("names a ref git does not know", () => {
    expect(badRef.code).toBe(1);
    expect(badRef.stderr).toContain('--since: git knows no commit "no-such-ref"');
  });
});
