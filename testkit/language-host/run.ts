/**
 * Runs a Pulumi program the way `pulumi preview`'s Node.js language host runs it (pulumi/pulumi
 * `sdk/nodejs/cmd/pulumi-language-nodejs/main.go`, `constructArguments`, `constructConfig`,
 * `execNodejs`): `node <@pulumi/pulumi/cmd/run> --monitor <addr> --engine <addr> --organization <org>
 * --project <p> --stack <s> --pwd <program dir> --dry-run --query-mode false --parallel <n> <entry>`,
 * with the stack's config in `PULUMI_CONFIG` (keys as `<namespace>:config:<name>`), the secret keys
 * in `PULUMI_CONFIG_SECRET_KEYS` and `PULUMI_NODEJS_TYPESCRIPT=true` (the `typescript` runtime
 * option), against the stand-in engine of `./engine.ts`.
 */
import { spawn } from "node:child_process";
import { startEngine, type EngineRecord } from "./engine";

/** What to run. */
export interface HostRun {
  readonly programDir: string;
  readonly project: string;
  readonly stack: string;
  /** `main` of the project's Pulumi.yaml, or `.` (the host then reads package.json). */
  readonly entry: string;
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  readonly invokes: Readonly<Record<string, Record<string, unknown>>>;
  /** Variables added to the host's environment (which is otherwise built from scratch). */
  readonly env?: Readonly<Record<string, string>>;
}

/** How the run went. */
export interface HostResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly record: EngineRecord;
}

/** The engine's sentinel for a value not known yet (what a preview sends for one). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * What the AWS provider's functions answer during a preview, offline: the region from the stack's
 * config, the caller (account ID, ARN) unknown.
 */
export function previewInvokes(region: string | undefined): Record<string, Record<string, unknown>> {
  return {
    "aws:index/getRegion:getRegion": { region, name: region, id: region },
    "aws:index/getCallerIdentity:getCallerIdentity": {
      accountId: UNKNOWN,
      arn: UNKNOWN,
      id: UNKNOWN,
      userId: UNKNOWN,
    },
  };
}

/** `ns:key` → `ns:config:key`, as the language host hands config to the SDK. */
function hostConfig(config: Readonly<Record<string, string>>): string {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const i = key.indexOf(":");
    out[`${key.slice(0, i)}:config:${key.slice(i + 1)}`] = value;
  }
  return JSON.stringify(out);
}

/** Runs the program once under the host's entry point; resolves when it exits. */
export async function runUnderHost(run: HostRun): Promise<HostResult> {
  const engine = await startEngine(run.project, run.stack, run.invokes);
  const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [run.programDir] });
  const args = [
    runPath,
    ...["--monitor", engine.address, "--engine", engine.address, "--organization", "organization"],
    ...["--project", run.project, "--stack", run.stack, "--pwd", run.programDir, "--dry-run"],
    ...["--query-mode", "false", "--parallel", "16", run.entry],
  ];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    PULUMI_CONFIG: hostConfig(run.config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(run.secretKeys ?? []),
    PULUMI_NODEJS_TYPESCRIPT: "true",
    ...run.env,
  };
  try {
    return await new Promise<HostResult>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: run.programDir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr, record: engine.record }));
    });
  } finally {
    await engine.stop();
  }
}
