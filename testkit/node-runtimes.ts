/**
 * The Node binaries the Lambda bundle and handler are tested on: the machine's Node and Node 24
 * from the `node` package (the `nodejs24.x` runtime the function runs on).
 */

import { existsSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

/** A Node binary to run tests or the bundle with. */
export interface NodeRuntime {
  /** Shown in test names, e.g. `Node 24 (node package)`. */
  label: string;
  /** Path of the binary. */
  execPath: string;
  /** The major version this binary must report. */
  major?: number;
}

const ROOT = resolve(__dirname, "..");

/** Node 24 from `node_modules/node` (an exact devDependency). */
export const NODE_24: NodeRuntime = {
  label: "Node 24 (node package, as nodejs24.x)",
  execPath: join(ROOT, "node_modules", "node", "bin", "node"),
  major: 24,
};

/**
 * The machine's Node: the one npm itself runs on (`npm_node_execpath`; npm scripts find the `node`
 * package's binary first on PATH), else the first `node` on PATH outside any `node_modules`, else
 * this process's.
 */
export function machineNode(): NodeRuntime {
  const onPath = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => dir && !dir.includes("node_modules"))
    .map((dir) => join(dir, "node"))
    .find((file) => existsSync(file));
  const execPath = process.env.npm_node_execpath || onPath || process.execPath;
  return { label: `the machine's Node (${execPath})`, execPath };
}

/** Both runtimes; throws when Node 24 is not installed (`npm ci` installs it). */
export function testedRuntimes(): NodeRuntime[] {
  if (!existsSync(NODE_24.execPath)) {
    throw new Error(`No Node 24 at ${NODE_24.execPath}: run npm ci (the node package is a devDependency)`);
  }
  return [machineNode(), NODE_24];
}
