/**
 * The library floor's Lambda bundle, built the way the product's Express-based bundle was: one
 * minified CommonJS file, the AWS SDK left to the runtime, iconv-lite's tables replaced by Node's
 * TextDecoder. Only the cold-start benchmark uses it, as its yardstick.
 */

import { buildSync } from "esbuild";
import { ROOT } from "./lib/env";

/** Builds bench/fixtures/library-floor-lambda.ts into one file's text. */
export function buildFloorBundle(): string {
  const result = buildSync({
    absWorkingDir: ROOT,
    entryPoints: ["bench/fixtures/library-floor-lambda.ts"],
    outfile: "index.js",
    bundle: true,
    write: false,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    legalComments: "none",
    external: ["@aws-sdk/*"],
    alias: { "iconv-lite": "./bench/fixtures/iconv-lite-shim.ts" },
    mainFields: ["main", "module"],
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (result.errors.length > 0 || !output)
    throw new Error("esbuild could not build the library floor bundle");
  return output.text;
}
