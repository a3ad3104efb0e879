/**
 * The stack as a git ref declares it (`npm start -- --since <ref>`): the ref's tree exported with
 * `git archive` into a temporary folder, the project's `node_modules` linked in, and the same
 * renderer run on it. The ref's program and stack files are used; its dependencies are today's
 * (`node_modules` is not checked out), which is what a reviewer of a change that does not touch
 * `package-lock.json` wants.
 */

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** A ref's tree on disk, ready to render; `remove` deletes it. */
export interface CheckedOutRef {
  readonly dir: string;
  /** The commit the ref names (abbreviated). */
  readonly commit: string;
  remove(): void;
}

function git(projectDir: string, args: readonly string[]): string {
  return execFileSync("git", ["-C", projectDir, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/**
 * Exports the tree of `ref` into a temporary folder.
 * @throws naming the ref when git does not know it.
 */
export function checkOutRef(ref: string, projectDir: string): CheckedOutRef {
  let commit: string;
  try {
    commit = git(projectDir, ["rev-parse", "--verify", "--quiet", "--short=12", `${ref}^{commit}`]);
  } catch {
    throw new Error(
      `--since: git knows no commit "${ref}" in ${projectDir} (try a branch, tag or commit, e.g. origin/main)`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), "native-web-sso-since-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const tar = path.join(dir, ".tree.tar");
    git(projectDir, ["archive", "--format=tar", "-o", tar, commit]);
    execFileSync("tar", ["-xf", tar, "-C", dir], { stdio: "ignore" });
    rmSync(tar);
    // A tree may carry a committed node_modules link of its own: today's dependencies win.
    rmSync(path.join(dir, "node_modules"), { recursive: true, force: true });
    symlinkSync(path.join(projectDir, "node_modules"), path.join(dir, "node_modules"), "dir");
  } catch (e) {
    remove();
    throw e;
  }
  return { dir, commit, remove };
}

/** `true` when the checked-out tree has the stack's file (a stack new in the change has none). */
export function hasStack(dir: string, stack: string): boolean {
  return existsSync(path.join(dir, `Pulumi.${stack}.yaml`));
}
