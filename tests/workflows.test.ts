/**
 * The GitHub workflows, parsed: pull requests preview every stack (refreshed, with the policy pack,
 * commented), main deploys dev then prod behind an approval gate, a schedule checks every stack for
 * drift, and credentials come only from repository secrets or OIDC.
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { listStacks } from "../offline/render";

const DIR = path.resolve(__dirname, "..", ".github", "workflows");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  strategy?: { matrix?: { stack?: string[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  jobs: Record<string, Job>;
}

function workflow(file: string): Workflow {
  return parse(readFileSync(path.join(DIR, file), "utf8")) as Workflow;
}

const pulumiSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
const needs = (job: Job) =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];

/** The stacks a job's pulumi steps name, the matrix resolved. */
function stacksOf(job: Job): string[] {
  return pulumiSteps(job).flatMap((s) => {
    const name = String(s.with?.["stack-name"]);
    return name === "${{ matrix.stack }}" ? (job.strategy?.matrix?.stack ?? []) : [name];
  });
}

describe("workflow files", () => {
  const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

  it("are preview, deploy and drift", () => {
    expect(files.sort()).toEqual(["deploy.yml", "drift.yml", "preview.yml"]);
  });

  it.each(files)("%s names only stacks that have a Pulumi.<stack>.yaml, and all of them", (file) => {
    const named = Object.values(workflow(file).jobs).flatMap(stacksOf);
    expect(named.length).toBeGreaterThan(0);
    for (const stack of named) expect(listStacks()).toContain(stack);
    expect([...new Set(named)].sort()).toEqual(listStacks());
  });

  it.each(files)("%s takes credentials only from secrets and OIDC", (file) => {
    const text = readFileSync(path.join(DIR, file), "utf8");
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}/);
    expect(text).not.toMatch(/-----BEGIN/);
    expect(text).not.toMatch(/arn:aws:iam::\d{12}/);
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
    const wf = workflow(file);
    expect(wf.permissions?.["id-token"]).toBe("write");
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps) {
        for (const [key, value] of Object.entries({ ...step.with, ...step.env })) {
          if (
            /secret|token|password|passphrase|client_id|role|backend|cloud-url/i.test(key) &&
            key !== "github-token"
          ) {
            expect(String(value), `${file}: ${key}`).toMatch(/^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/);
          }
        }
      }
      for (const step of pulumiSteps(job)) {
        expect(step.uses).toBe("pulumi/actions@v6");
        expect(step.with?.["cloud-url"]).toBe("${{ secrets.PULUMI_BACKEND_URL }}");
        expect(step.env?.PULUMI_CONFIG_PASSPHRASE).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
        expect(step.env?.AUTH0_CLIENT_ID).toBe("${{ secrets.AUTH0_CLIENT_ID }}");
        expect(step.env?.AUTH0_CLIENT_SECRET).toBe("${{ secrets.AUTH0_CLIENT_SECRET }}");
        const aws = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        expect(aws?.with?.["role-to-assume"]).toBe("${{ secrets.AWS_ROLE_ARN }}");
        expect(job.steps.indexOf(aws as Step)).toBeLessThan(job.steps.indexOf(step));
      }
    }
  });
});

describe("preview.yml", () => {
  const wf = workflow("preview.yml");

  it("runs on pull requests", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
  });

  it("installs with npm ci on Node 20 and runs npm test before any preview", () => {
    const test = Object.entries(wf.jobs).find(([, j]) => j.steps.some((s) => s.run === "npm test"));
    expect(test).toBeDefined();
    const [testJob, job] = test as [string, Job];
    const runs = job.steps.map((s) => s.run);
    expect(runs.indexOf("npm ci")).toBeLessThan(runs.indexOf("npm test"));
    const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(node?.with).toMatchObject({ "node-version": 20, cache: "npm" });
    for (const j of Object.values(wf.jobs).filter((j) => pulumiSteps(j).length > 0)) {
      expect(needs(j)).toContain(testJob);
    }
  });

  it("previews every stack refreshed, with the policy pack, commenting on the pull request", () => {
    const steps = Object.values(wf.jobs).flatMap(pulumiSteps);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.with).toMatchObject({
        command: "preview",
        refresh: true,
        "comment-on-pr": true,
        policyPacks: "policy",
        policyPackConfigs: "policy/config/${{ matrix.stack }}.json",
      });
    }
  });

  it.each(listStacks())("has a policy configuration for stack %s", (stack) => {
    expect(existsSync(path.resolve(DIR, "..", "..", "policy", "config", `${stack}.json`))).toBe(true);
  });
});

describe("deploy.yml", () => {
  const wf = workflow("deploy.yml");

  it("runs on pushes to main, never two at once", () => {
    expect(Object.keys(wf.on)).toEqual(["push"]);
    expect((wf.on.push as { branches: string[] }).branches).toEqual(["main"]);
    expect(wf.concurrency?.group).toBeTruthy();
    expect(wf.concurrency?.["cancel-in-progress"]).toBe(false);
  });

  it("updates dev, then prod behind the production environment's reviewers", () => {
    const byStack = (stack: string) =>
      Object.entries(wf.jobs).find(([, j]) => stacksOf(j).includes(stack)) as [string, Job];
    const [devJob, dev] = byStack("dev");
    const [, prod] = byStack("prod");
    expect(needs(prod)).toContain(devJob);
    const env = typeof prod.environment === "string" ? prod.environment : prod.environment?.name;
    expect(env).toBe("production");
    expect(dev.environment).toBeUndefined();
    for (const j of [dev, prod]) {
      expect(pulumiSteps(j).map((s) => s.with?.command)).toEqual(["up"]);
      expect(j.strategy).toBeUndefined();
    }
  });
});

describe("drift.yml", () => {
  const wf = workflow("drift.yml");

  it("runs every day and on demand", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect((wf.on.schedule as Array<{ cron: string }>)[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
  });

  it("refreshes every stack and fails, naming the stack, when anything would change", () => {
    for (const job of Object.values(wf.jobs)) {
      expect(job.name).toContain("${{ matrix.stack }}");
      const steps = pulumiSteps(job);
      expect(steps).toHaveLength(1);
      expect(steps[0].with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true });
      const report = job.steps.find((s) => s.if === "failure()");
      expect(report?.name).toContain("${{ matrix.stack }}");
      expect(report?.run).toContain("::error");
      expect(report?.run).toContain("${{ matrix.stack }}");
      expect(report?.run).toMatch(/exit 1\s*$/);
    }
  });
});
