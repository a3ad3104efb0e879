/**
 * Quiet previews: the Lambda code archive must not change when nothing changed. The bundle is
 * built from two copies of the sources in two different directories (at different depths), and
 * the offline renderer's archive hash is compared across separate preview runs.
 */

import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildLambdaBundle } from "../app/bundle";
import { ROOT } from "./lib/env";
import { expect, type Figure, type SectionResult } from "./lib/report";
import type { ArchiveHashes } from "./preview";

function copyCheckout(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of ["app", "package.json", "tsconfig.json"]) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
}

/** Runs the quiet-preview checks. `archives` are the preview probes' archive hashes per stack. */
export function measureQuiet(archives: ArchiveHashes | undefined): SectionResult {
  const base = mkdtempSync(join(tmpdir(), "native-web-sso-quiet-"));
  try {
    const a = join(base, "a");
    const b = join(base, "elsewhere", "deeper", "b");
    copyCheckout(a);
    copyCheckout(b);
    const here = buildLambdaBundle();
    const first = buildLambdaBundle({ rootDir: a });
    const second = buildLambdaBundle({ rootDir: b });
    // The two copies are frozen; the live checkout may be edited by others meanwhile.
    const same = first.sha256 === second.sha256;
    const s = "Quiet previews";
    const figures: Figure[] = [
      expect(
        s,
        "bundle built in two directories",
        same ? "identical" : "DIFFERENT",
        "identical",
        same,
        `sha256 ${first.sha256.slice(0, 12)}… / ${second.sha256.slice(0, 12)}… (a copy, a deeper copy); ` +
          `the live checkout ${here.sha256 === first.sha256 ? "matches" : "differs (edited meanwhile?)"}`,
      ),
    ];
    for (const [stack, runs] of Object.entries(archives ?? {}).filter(([, r]) => r.length >= 2)) {
      const hashes = runs.flatMap((r) => Object.values(r.archives));
      const distinct = new Set(hashes);
      const ok = hashes.length > 0 && distinct.size === 1;
      // Others may edit app/ while the benchmark runs: then a difference proves nothing.
      const edited = new Set(runs.map((r) => r.sources)).size > 1;
      const value =
        hashes.length === 0
          ? "no archive found"
          : ok
            ? "identical"
            : edited
              ? "inconclusive"
              : `${distinct.size} different`;
      figures.push(
        expect(
          s,
          `${stack} code archive hash across ${runs.length} previews`,
          value,
          "identical",
          ok,
          hashes.length === 0
            ? "the renderer reported no code archive"
            : `${[...distinct].map((h) => h.slice(0, 12)).join(", ")}… (renderer's ArchiveValue, separate processes)` +
                (!ok && edited ? "; app/ sources changed between the runs: run again" : ""),
        ),
      );
    }
    return { figures, details: { bundleSha256: [here.sha256, first.sha256, second.sha256], archives } };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
