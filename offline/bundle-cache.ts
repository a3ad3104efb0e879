/**
 * `require("esbuild").buildSync` for the offline preview: an in-memory build (`write: false`)
 * asked for again is answered without building, from this process's memory or from a cache file
 * whose every input file still has the content it was built from.
 *
 * The program bundles the web app once per render; the preview renders each stack twice and is
 * run again and again while a change is reviewed. A cache entry is keyed by the build options,
 * esbuild's version and the project's `package.json`, `package-lock.json` and `tsconfig.json`, and
 * lists the sha256 of each file esbuild read (its metafile's inputs): any edit to any of them is
 * a miss, and the build runs as it always did.
 */

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { BuildOptions, BuildResult, OutputFile } from "esbuild";
import { standIn } from "./sdk-internals";

type BuildSync = (options: BuildOptions) => BuildResult;

/** What a cache file holds. */
interface CacheEntry {
  readonly inputs: Readonly<Record<string, string>>;
  readonly outputs: ReadonlyArray<{ readonly path: string; readonly hash: string; readonly text: string }>;
  readonly warnings: BuildResult["warnings"];
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

function outputFile(o: CacheEntry["outputs"][number]): OutputFile {
  const contents = new Uint8Array(Buffer.from(o.text, "utf8"));
  return { path: o.path, hash: o.hash, contents, text: o.text };
}

/** The entry if every input still hashes as recorded. */
function validEntry(file: string, root: string): CacheEntry | undefined {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(readFileSync(file, "utf8")) as CacheEntry;
  } catch {
    return undefined;
  }
  for (const [input, hash] of Object.entries(entry.inputs)) {
    let data: Buffer;
    try {
      data = readFileSync(path.resolve(root, input));
    } catch {
      return undefined;
    }
    if (sha256(data) !== hash) return undefined;
  }
  return entry;
}

function writeEntry(file: string, result: BuildResult, root: string): void {
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile?.inputs ?? {})) {
    inputs[input] = sha256(readFileSync(path.resolve(root, input)));
  }
  const entry: CacheEntry = {
    inputs,
    outputs: (result.outputFiles ?? []).map((o) => ({ path: o.path, hash: o.hash, text: o.text })),
    warnings: result.warnings,
  };
  mkdirSync(path.dirname(file), { recursive: true });
  const scratch = `${file}.${process.pid}.tmp`;
  writeFileSync(scratch, JSON.stringify(entry));
  renameSync(scratch, file); // atomic: parallel previews never read half a file
}

/**
 * A `buildSync` that answers repeated in-memory builds from memory, then from `cacheDir`.
 * Builds that write files, use plugins or ask for a metafile always run.
 */
export function cachingBuildSync(build: BuildSync, version: string, cacheDir: string): BuildSync {
  const memory = new Map<string, BuildResult>();
  return (options) => {
    if (options.write !== false || options.plugins !== undefined || options.metafile !== undefined) {
      return build(options);
    }
    const key = JSON.stringify(options);
    const remembered = memory.get(key);
    if (remembered) return remembered;
    const root = options.absWorkingDir ?? process.cwd();
    const project = ["package.json", "package-lock.json", "tsconfig.json"]
      .map((f) => readOr(path.join(root, f), ""))
      .join("\0");
    const file = path.join(cacheDir, `${sha256(`${version}\0${key}\0${project}`).slice(0, 32)}.json`);
    const cached = validEntry(file, root);
    let result: BuildResult;
    if (cached) {
      result = {
        errors: [],
        warnings: cached.warnings,
        outputFiles: cached.outputs.map(outputFile),
        metafile: undefined,
        mangleCache: undefined,
      };
    } else {
      const built = build({ ...options, metafile: true });
      try {
        writeEntry(file, built, root);
      } catch {
        // A cache that cannot be written only costs the next run a build.
      }
      result = { ...built, metafile: undefined };
    }
    memory.set(key, result);
    return result;
  };
}

/** Makes `require("esbuild").buildSync` the caching one for this process. */
export function cacheBundles(cacheDir: string): void {
  const filename = require.resolve("esbuild");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  standIn(filename, {
    ...esbuild,
    buildSync: cachingBuildSync(esbuild.buildSync, esbuild.version, cacheDir),
  });
}
