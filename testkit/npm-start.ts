/**
 * `npm start` as a user runs it: `offline/cli.ts` in a child process, through the project's own
 * tsx, with its exit code and both streams.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

/** What one run printed and how it ended. */
export interface StartRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `npm start -- <args>`.
 * @param args The arguments after `--`.
 * @param cwd The project to run it in: this one unless a copy is given.
 * @param env Variables added to this process's environment for the run.
 */
export function npmStart(
  args: readonly string[],
  cwd: string = ROOT,
  env: Readonly<Record<string, string>> = {},
): Promise<StartRun> {
  const options = { cwd, maxBuffer: 32 << 20, env: { ...process.env, ...env } };
  return new Promise((resolve) => {
    execFile(TSX, ["offline/cli.ts", ...args], options, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
