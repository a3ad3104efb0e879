/**
 * Fresh process: how the offline preview's time splits. Loads the provider SDKs as the preview does
 * (after `offline/startup.ts`, timed), then runs the program for a stack as the preview does (a
 * preview render and a wiring render, timed), and prints one JSON line with the timings and the
 * code archives' hashes.
 */

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import type { ArchiveValue, ModelValue } from "../../model/rendered";

const started = performance.now();

/** The probe's report. */
export interface PreviewProbeReport {
  /** Process time origin to the probe's first line (node + tsx start-up). */
  startMs: number;
  /** The preview's start-up, then `require` of @pulumi/pulumi, @pulumi/aws, @pulumi/auth0, @pulumi/random. */
  sdkMs: number;
  /** The program rendered twice (preview and wiring), SDKs already loaded. */
  programMs: number;
  /** Code archives found in the preview render: URN to archive hash. */
  archives: Record<string, string>;
  /** sha256 over the app's sources when the render started: runs are comparable only if equal. */
  sources: string;
}

/** Hashes every file below `app/`, so a comparison can tell an edit from non-determinism. */
function sourcesFingerprint(): string {
  const root = resolve(__dirname, "..", "..");
  const h = createHash("sha256");
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else h.update(`${relative(root, full)}\0`).update(readFileSync(full));
    }
  };
  walk(join(root, "app"));
  return h.digest("hex");
}

function collectArchives(v: ModelValue, into: string[], isArchive: (x: unknown) => x is ArchiveValue): void {
  if (isArchive(v)) into.push(v.sha256);
  else if (Array.isArray(v)) for (const x of v) collectArchives(x, into, isArchive);
  else if (v !== null && typeof v === "object")
    for (const x of Object.values(v)) collectArchives(x, into, isArchive);
}

async function main(): Promise<void> {
  const stack = process.argv[2];
  if (!stack) throw new Error("usage: preview-probe <stack>");
  const t0 = performance.now();
  const load = createRequire(__filename);
  load("../../offline/startup");
  for (const sdk of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/auth0", "@pulumi/random"]) load(sdk);
  const t1 = performance.now();
  const { renderStack } = await import("../../offline/render");
  const { ArchiveValue: Archive } = await import("../../model/rendered");
  const sources = sourcesFingerprint();
  const model = await renderStack({ stack });
  await renderStack({ stack, preview: false });
  const t2 = performance.now();
  const archives: Record<string, string> = {};
  for (const r of model.resources) {
    const found: string[] = [];
    collectArchives(r.inputs, found, (x): x is ArchiveValue => x instanceof Archive);
    found.forEach((h, i) => (archives[found.length > 1 ? `${r.urn}#${i}` : r.urn] = h));
  }
  const report: PreviewProbeReport = {
    startMs: started,
    sdkMs: t1 - t0,
    programMs: t2 - t1,
    archives,
    sources,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
