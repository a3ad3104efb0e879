/**
 * What a deploy compiles: the program's CPU when the Pulumi CLI's Node.js host runs it
 * (`@pulumi/pulumi/cmd/run` against a stand-in engine, as `testkit/language-host/run.ts` starts
 * it), once as this project configures ts-node (`"ts-node": { "transpileOnly": true }` in
 * tsconfig.json) and once with ts-node's default, which type-checks the program on every run.
 * Both on this commit, unpacked twice, alternately in this run.
 */

import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStackConfig } from "../offline/render";
import { previewInvokes, runUnderHost } from "../testkit/language-host/run";
import { count } from "./lib/env";
import { unpackCommit, type PinnedTree } from "./lib/pinned-tree";
import { atMost, info, type SectionResult } from "./lib/report";
import { median, round } from "./lib/stats";

const SECTION = "What a deploy compiles";
/** The program's CPU under the host, transpiling only, as a share of type-checking on every run. */
export const TARGET_RATIO = 0.6;

/** A `--require` script that writes the process's CPU time (user + system, ms) when it exits. */
function cpuReporter(dir: string): string {
  const file = join(dir, "cpu-report.js");
  writeFileSync(
    file,
    `process.on("exit", () => { const u = process.cpuUsage(); require("node:fs").writeFileSync(process.env.CPU_REPORT, String((u.user + u.system) / 1000)); });\n`,
  );
  return file;
}

/** The program for `stack` under the host in `dir`; its CPU in ms. */
async function programCpu(dir: string, stack: string, reporter: string, report: string): Promise<number> {
  const { project, config, secretKeys } = readStackConfig(stack, dir);
  const region = config["aws:region"];
  const result = await runUnderHost({
    programDir: dir,
    project,
    stack,
    entry: ".",
    config,
    secretKeys,
    invokes: previewInvokes(region),
    env: { NODE_OPTIONS: `--require ${reporter}`, CPU_REPORT: report },
  });
  if (result.code !== 0)
    throw new Error(`the program exited ${result.code} under the host: ${result.stderr.slice(-400)}`);
  return Number(readFileSync(report, "utf8"));
}

/** Measures the program's CPU under the host, transpile-only against type-checking. */
export async function measureHostCompile(): Promise<SectionResult> {
  const runs = count(3, 1);
  const scratch = mkdtempSync(join(tmpdir(), "host-compile-"));
  const trees: PinnedTree[] = [];
  try {
    const transpiling = unpackCommit("HEAD");
    trees.push(transpiling);
    const checking = unpackCommit("HEAD");
    trees.push(checking);
    const tsconfig = join(checking.dir, "tsconfig.json");
    const text = readFileSync(tsconfig, "utf8");
    if (!text.includes('"transpileOnly": true'))
      throw new Error('tsconfig.json no longer sets "transpileOnly": true');
    writeFileSync(tsconfig, text.replace('"transpileOnly": true', '"transpileOnly": false'));
    const reporter = cpuReporter(scratch);
    const report = join(scratch, "cpu.txt");
    const only: number[] = [];
    const check: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate who goes first, so a change in the machine's load hits both alike.
      const order = i % 2 === 0 ? [transpiling, checking] : [checking, transpiling];
      for (const tree of order) {
        const ms = await programCpu(tree.dir, "prod", reporter, report);
        (tree === transpiling ? only : check).push(ms);
      }
    }
    const ratio = round(median(only) / median(check), 2);
    return {
      figures: [
        info(
          SECTION,
          "program CPU under the host, type-checking (ts-node's default)",
          round(median(check) / 1000, 2),
          "s",
          `prod, median of ${runs}`,
        ),
        info(
          SECTION,
          "program CPU under the host, transpile only (tsconfig.json)",
          round(median(only) / 1000, 2),
          "s",
          `prod, median of ${runs}`,
        ),
        atMost(
          SECTION,
          "transpile only / type-checking, same run",
          ratio,
          "",
          TARGET_RATIO,
          `medians of ${runs} alternating runs; pulumi up pays it twice (preview, then update)`,
        ),
      ],
      details: { transpileOnlyMs: only, typeCheckMs: check },
    };
  } finally {
    for (const t of trees) t.remove();
    rmSync(scratch, { recursive: true, force: true });
  }
}
