/**
 * `npm run bench`: what a user feels and what the company pays, measured in one run on this
 * machine: warm Lambda cost, round trips to the provider, the login redirect under load (against
 * the seed sample's pattern and a bare 302), cold start and bundle size, offline preview time and
 * quiet previews. Prints a table and writes bench/results.json. `BENCH_QUICK=1`: fewer iterations.
 *
 * Exits non-zero when a measurement could not run (after printing the others); a missed target is
 * recorded with its gap, not treated as a failure.
 */

import { writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { measureColdStart } from "./cold-start";
import { QUICK } from "./lib/env";
import { startIssuerProcess, type IssuerProcess } from "./lib/issuer";
import { formatTable, type Failure, type Figure, type SectionResult } from "./lib/report";
import { msSince, round } from "./lib/stats";
import { measureLoginLoad } from "./login-load";
import { measureHandMadeCalls } from "./hand-made-calls";
import { measureHostCompile } from "./host-compile";
import { measurePreview, type ArchiveHashes } from "./preview";
import { measureShortcuts } from "./preview-shortcuts";
import { measureQuiet } from "./quiet";
import { measureWarmLambda } from "./warm-lambda";

/** Where the results go (git-ignored). */
export const RESULTS_FILE = join(__dirname, "results.json");

/** The machine the figures come from. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  /** 1, 5 and 15 minute load averages: how busy the machine was. */
  loadAverage: number[];
  os: string;
  node: string;
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model ?? "unknown",
    cores: cpuList.length,
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    freeMemoryGiB: round(freemem() / 1024 ** 3, 1),
    loadAverage: loadavg().map((l) => round(l, 2)),
    os: `${platform()} ${release()}`,
    node: process.version,
  };
}

async function main(): Promise<number> {
  const started = process.hrtime.bigint();
  const figures: Figure[] = [];
  const failures: Failure[] = [];
  const details: Record<string, unknown> = {};
  const machineBefore = machineInfo();
  process.stderr.write(
    `bench: ${QUICK ? "quick" : "full"} run on ${machineBefore.cpu} x${machineBefore.cores}, node ${process.version}\n`,
  );

  const section = async (name: string, run: () => Promise<SectionResult> | SectionResult): Promise<void> => {
    const t = process.hrtime.bigint();
    process.stderr.write(`bench: ${name}...`);
    try {
      const result = await run();
      figures.push(...result.figures);
      details[name] = { ...result.details, seconds: round(msSince(t) / 1000, 1) };
      process.stderr.write(` ${round(msSince(t) / 1000, 1)} s\n`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ section: name, error: message.split("\n")[0] ?? message });
      details[name] = { error: error instanceof Error ? (error.stack ?? message) : message };
      process.stderr.write(` FAILED: ${message}\n`);
    }
  };

  let issuer: IssuerProcess | undefined;
  let archives: ArchiveHashes | undefined;
  try {
    await section("Local provider", async () => {
      issuer = await startIssuerProcess();
      return { figures: [] };
    });
    const withIssuer = (name: string, run: (i: IssuerProcess) => Promise<SectionResult>): Promise<void> =>
      section(name, () => {
        if (!issuer) throw new Error("the local OpenID provider did not start");
        return run(issuer);
      });
    await withIssuer("Warm Lambda", measureWarmLambda);
    await withIssuer("Round trips and login under load", measureLoginLoad);
    await withIssuer("Cold start", measureColdStart);
    await section("Hand-made calls", measureHandMadeCalls);
  } finally {
    await issuer?.stop();
  }
  await section("Offline preview", async () => {
    const result = await measurePreview();
    archives = result.archives;
    return result;
  });
  await section("Offline preview start-up", measureShortcuts);
  await section("What a deploy compiles", measureHostCompile);
  await section("Quiet previews", () => measureQuiet(archives));

  const totalSeconds = round(msSince(started) / 1000, 1);
  const table = formatTable(figures, failures);
  const machine = { ...machineInfo(), loadAverageAtStart: machineBefore.loadAverage };
  process.stdout.write(`\n${table}\n\n`);
  process.stdout.write(
    `${QUICK ? "Quick run (BENCH_QUICK=1)" : "Full run"}, ${totalSeconds} s on ${machine.cpu}, ` +
      `${machine.cores} cores, ${machine.memoryGiB} GiB, node ${process.version}, ` +
      `load average ${machineBefore.loadAverage.join(" ")} at start.\n`,
  );
  const met = figures.filter((f) => f.met === true).length;
  const missed = figures.filter((f) => f.met === false).length;
  process.stdout.write(`Targets: ${met} met, ${missed} missed; ${failures.length} measurement(s) failed.\n`);
  writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify(
      { date: new Date().toISOString(), quick: QUICK, totalSeconds, machine, figures, failures, details },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`Results: ${RESULTS_FILE}\n`);
  if (failures.length > 0) {
    process.stderr.write(`bench: ${failures.length} measurement(s) could not run:\n`);
    for (const f of failures) process.stderr.write(`  ${f.section}: ${f.error}\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
