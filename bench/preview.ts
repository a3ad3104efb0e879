/**
 * Offline preview: wall time of `npm start -- --stack <stack>` per stack, in a fresh probe process
 * the split between loading the provider SDKs and running the program, and the preview of prod
 * against the same command of the code as it was before its start-up was cut ({@link TODAY}),
 * both timed in this run, alternately.
 */

import { join } from "node:path";
import type { PreviewProbeReport } from "./children/preview-probe";
import { count } from "./lib/env";
import { unpackCommit, type PinnedTree } from "./lib/pinned-tree";
import { below, info, type Figure, type SectionResult } from "./lib/report";
import { runProcess } from "./lib/run-process";
import { median, round } from "./lib/stats";

/** The stacks previewed. */
export const PREVIEW_STACKS = ["dev", "prod"] as const;

/** The commit whose `npm start -- --stack prod` is the yardstick: the preview before it was cut. */
export const TODAY = "cacb5f1";
/** The preview must take at most this share of {@link TODAY}'s time, measured in the same run. */
export const TARGET_RATIO = 0.5;

/** Times `npm start -- --stack prod` of {@link TODAY} and of this tree alternately; medians and ratio. */
export async function measureAgainstToday(): Promise<SectionResult> {
  const runs = count(5, 2);
  const section = "Offline preview";
  const name = `npm start -- --stack prod, now / ${TODAY} (same run)`;
  // The yardstick may become unrunnable (a shallow clone, dependencies it needs gone): then the
  // target is reported missed with the reason, and the rest of the benchmark still runs.
  const unmeasured = (error: unknown): SectionResult => {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
    return {
      figures: [
        { section, name, value: "n/a", unit: "", target: `<= ${TARGET_RATIO}`, met: false, note: reason },
      ],
    };
  };
  let today: PinnedTree;
  try {
    today = unpackCommit(TODAY);
  } catch (error) {
    return unmeasured(error);
  }
  try {
    const args = ["start", "--silent", "--", "--stack", "prod"];
    const time = async (cwd: string | undefined): Promise<{ ms: number; out: string }> => {
      const r = await runProcess("npm", args, 60_000, cwd);
      return { ms: r.wallMs, out: r.stdout };
    };
    // One untimed run each: tsx compiles the unpacked tree once into its cache.
    let firstToday;
    try {
      firstToday = await time(today.dir);
    } catch (error) {
      return unmeasured(new Error(`${TODAY} no longer runs here: ${String(error)}`));
    }
    const firstNow = await time(undefined);
    const todayMs: number[] = [];
    const nowMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate who goes first, so a change in the machine's load hits both alike.
      if (i % 2 === 0) {
        todayMs.push((await time(today.dir)).ms);
        nowMs.push((await time(undefined)).ms);
      } else {
        nowMs.push((await time(undefined)).ms);
        todayMs.push((await time(today.dir)).ms);
      }
    }
    const ratio = round(median(nowMs) / median(todayMs), 2);
    const same = firstToday.out === firstNow.out;
    const figures: Figure[] = [
      info(
        section,
        `npm start -- --stack prod at ${TODAY} (today's code)`,
        round(median(todayMs) / 1000, 2),
        "s",
        `wall, median of ${runs}`,
      ),
      info(
        section,
        "npm start -- --stack prod now",
        round(median(nowMs) / 1000, 2),
        "s",
        `wall, median of ${runs}`,
      ),
      {
        section,
        name,
        value: ratio,
        unit: "",
        target: `<= ${TARGET_RATIO}`,
        met: ratio <= TARGET_RATIO,
        gap: ratio <= TARGET_RATIO ? undefined : `+${round(ratio - TARGET_RATIO, 2)}`,
        note: `medians of ${runs} alternating runs each; outputs ${same ? "byte-identical" : "differ (the program moved since)"}`,
      },
    ];
    return { figures, details: { todayMs, nowMs, identicalOutput: same } };
  } finally {
    today.remove();
  }
}

/** Per stack and probe run: the app's source fingerprint and the code archive hashes (quiet-preview check). */
export type ArchiveHashes = Record<string, Array<Pick<PreviewProbeReport, "archives" | "sources">>>;

/** Runs the preview benchmark. */
export async function measurePreview(): Promise<SectionResult & { archives: ArchiveHashes }> {
  const runs = count(3, 1);
  const figures = [];
  const archives: ArchiveHashes = {};
  const details: Record<string, unknown> = {};
  for (const stack of PREVIEW_STACKS) {
    const walls: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await runProcess("npm", ["start", "--silent", "--", "--stack", stack], 60_000);
      if (!r.stdout.includes(stack)) throw new Error(`npm start --stack ${stack} printed no rendering`);
      walls.push(r.wallMs);
    }
    const probes: PreviewProbeReport[] = [];
    // At least two for dev: the quiet-preview check compares their archive hashes.
    for (let i = 0; i < (stack === "dev" ? Math.max(2, runs) : runs); i++) {
      const r = await runProcess(
        process.execPath,
        ["--import", "tsx", join(__dirname, "children", "preview-probe.ts"), stack],
        60_000,
      );
      probes.push(JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as PreviewProbeReport);
    }
    archives[stack] = probes.map(({ archives: a, sources }) => ({ archives: a, sources }));
    const wall = median(walls);
    const start = median(probes.map((p) => p.startMs));
    const sdk = median(probes.map((p) => p.sdkMs));
    const program = median(probes.map((p) => p.programMs));
    figures.push(
      below(
        "Offline preview",
        `npm start -- --stack ${stack}`,
        round(wall / 1000, 2),
        "s",
        3,
        `wall, median of ${runs}`,
      ),
      info(
        "Offline preview",
        `${stack} split: start / SDKs / program / rest`,
        [start, sdk, program, Math.max(0, wall - start - sdk - program)].map((v) => round(v, 0)).join(" / "),
        "ms",
        "node+tsx start-up / require the @pulumi SDKs as the preview does / program rendered twice (preview + wiring) / npm, policies, formatting",
      ),
    );
    details[stack] = { walls, probes: probes.map(({ archives: _a, sources: _s, ...p }) => p) };
  }
  const against = await measureAgainstToday();
  figures.push(...against.figures);
  return { figures, details: { ...details, againstToday: against.details }, archives };
}
