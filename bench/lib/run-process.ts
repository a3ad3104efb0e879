/** Runs a command to completion with a time limit, timing it from spawn to exit. */

import { spawn } from "node:child_process";
import { ROOT, childEnv } from "./env";
import { msSince } from "./stats";

/** A finished command. */
export interface ProcessRun {
  wallMs: number;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `command args` in `cwd` (default: the project root), with `extraEnv` added to the bench's
 * child environment; rejects on a non-zero exit or after `timeoutMs`.
 */
export function runProcess(
  command: string,
  args: string[],
  timeoutMs: number,
  cwd: string = ROOT,
  extraEnv: Record<string, string> = {},
): Promise<ProcessRun> {
  return new Promise<ProcessRun>((resolve, reject) => {
    const started = process.hrtime.bigint();
    const proc = spawn(command, args, { cwd, env: childEnv(extraEnv), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    proc.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString("utf8")).slice(-4000)));
    const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    proc.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      const wallMs = msSince(started);
      if (code === 0) resolve({ wallMs, stdout, stderr });
      else
        reject(
          new Error(
            `${command} ${args.join(" ")} ${signal ? `was killed (${signal}, limit ${timeoutMs} ms)` : `exited ${code}`}: ${stderr.trim().slice(-600)}`,
          ),
        );
    });
  });
}
