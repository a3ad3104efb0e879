/**
 * Builds the Lambda bundle in memory: one minified CommonJS file with everything the app needs (no
 * AWS SDK: the app signs its one SSM request itself with aws4fetch). Synchronous so the stack can
 * call it while declaring resources.
 */

import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { buildSync } from "esbuild";

/** The built bundle. */
export interface LambdaBundle {
  /** The JavaScript of `index.js`. */
  code: string;
  /** Size of {@link code} in bytes (UTF-8). */
  bytes: number;
  /** Hex SHA-256 of {@link code}. */
  sha256: string;
}

/** Options of {@link buildLambdaBundle}, for tests; the defaults are what the stack deploys. */
export interface LambdaBundleOptions {
  /** The project root (holding `app/` and `node_modules/`). Default: the parent of this file's directory. */
  rootDir?: string;
}

/** The Lambda runtime for the bundle's syntax level (the function runs `nodejs24.x`). */
export const BUNDLE_TARGET = "node24";

/**
 * Bundles `app/lambda.ts` with esbuild (platform node, target node24, cjs, minified, one file). Paths inside the output are relative to the project root and nothing
 * time-dependent is emitted, so the same sources give the same bytes from any checkout directory.
 */
export function buildLambdaBundle(options: LambdaBundleOptions = {}): LambdaBundle {
  const rootDir = options.rootDir ?? resolve(__dirname, "..");
  const result = buildSync({
    absWorkingDir: rootDir,
    entryPoints: ["app/lambda.ts"],
    outfile: "index.js",
    bundle: true,
    write: false,
    platform: "node",
    target: BUNDLE_TARGET,
    format: "cjs",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  if (result.errors.length > 0) {
    throw new Error(`esbuild failed: ${result.errors.map((e) => e.text).join("; ")}`);
  }
  const output = result.outputFiles.find((f) => f.path.endsWith("index.js"));
  if (!output || result.outputFiles.length !== 1) {
    throw new Error(`esbuild produced ${result.outputFiles.length} files; expected exactly index.js`);
  }
  const code = output.text;
  return {
    code,
    bytes: Buffer.byteLength(code, "utf8"),
    sha256: createHash("sha256").update(code, "utf8").digest("hex"),
  };
}
