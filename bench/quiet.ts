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
    const same = first.sha256 === second.sha256 && first.sha256 === here.sha256;
    const s = "Quiet previews";
    const figures: Figure[] = [
      expect(
        s,
        "bundle built in two directories",
        same ? "identical" : "DIFFERENT",
        "identical",
        same,
        `sha256 ${first.sha256.slice(0, 12)}… (${[here, first, second].map((x) => x.sha256.slice(0, 8)).join(", ")}: checkout, copy, deeper copy)`,
      ),
    ];
    for (const [stack, runs] of Object.entries(archives ?? {}).filter(([, r]) => r.length >= 2)) {
      const hashes = runs.flatMap((r) => Object.values(r));
      const distinct = new Set(hashes);
      const ok = hashes.length > 0 && distinct.size === 1;
      figures.push(
        expect(
          s,
          `${stack} code archive hash across ${runs.length} previews`,
          hashes.length === 0 ? "no archive found" : ok ? "identical" : `${distinct.size} different`,
          "identical",
          ok,
          hashes.length > 0
            ? `${[...distinct].map((h) => h.slice(0, 12)).join(", ")}… (renderer's ArchiveValue, separate processes)`
            : "the renderer reported no code archive",
        ),
      );
    }
    return { figures, details: { bundleSha256: [here.sha256, first.sha256, second.sha256], archives } };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
