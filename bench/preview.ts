/**
 * Offline preview: wall time of `npm start -- --stack <stack>` per stack, and in a fresh probe
 * process the split between loading the provider SDKs and running the program.
 */

import { join } from "node:path";
import type { PreviewProbeReport } from "./children/preview-probe";
import { count } from "./lib/env";
import { below, info, type SectionResult } from "./lib/report";
import { runProcess } from "./lib/run-process";
import { median, round } from "./lib/stats";

/** The stacks previewed. */
export const PREVIEW_STACKS = ["dev", "prod"] as const;

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
        "node+tsx start-up / require the 4 @pulumi SDKs / program rendered twice (preview + wiring) / npm, policies, formatting",
      ),
    );
    details[stack] = { walls, probes: probes.map(({ archives: _a, sources: _s, ...p }) => p) };
  }
  return { figures, details, archives };
}
