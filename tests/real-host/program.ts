/**
 * Runs a program of this repository under the CLI's host for one of its stacks: the stack file's
 * config (with the project's defaults), optionally changed for this run as `pulumi preview
 * --config` would, and the providers' functions answered as during a preview.
 */
import { readStackConfig } from "../../offline/render";
import type { LogEntry } from "../../testkit/language-host/engine";
import { previewInvokes, runUnderHost, type HostResult } from "../../testkit/language-host/run";

/** The config a run uses: the stack's, with `overrides` applied (`undefined` removes a key). */
export function stackConfig(
  programDir: string,
  stack: string,
  overrides: Readonly<Record<string, string | undefined>> = {},
): { project: string; config: Record<string, string>; secretKeys: string[] } {
  const { project, config, secretKeys } = readStackConfig(stack, programDir);
  const all: Record<string, string> = { ...config };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete all[k];
    else all[k] = v;
  }
  return { project, config: all, secretKeys };
}

/** Runs `entry` of `programDir` for `stack` under the host. */
export function runProgram(
  programDir: string,
  entry: string,
  stack: string,
  overrides: Readonly<Record<string, string | undefined>> = {},
): Promise<HostResult> {
  const { project, config, secretKeys } = stackConfig(programDir, stack, overrides);
  return runUnderHost({
    programDir,
    project,
    stack,
    entry,
    config,
    secretKeys,
    invokes: previewInvokes(config["aws:region"]),
  });
}

/** The warnings and errors a run logged (severity 2 and 3: `proto/engine.proto`, LogSeverity). */
export const problems = (logs: readonly LogEntry[]): string[] =>
  logs.filter((l) => l.severity >= 2).map((l) => l.message);
