/**
 * A pinned commit of this repository, unpacked next to the working tree so a benchmark can run
 * the code as it was and the code as it is in one run: `git archive <commit>` into a temporary
 * folder, with this checkout's `node_modules` linked in (same dependencies, same machine load).
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./env";

/** An unpacked commit; {@link PinnedTree.remove} deletes it. */
export interface PinnedTree {
  readonly commit: string;
  readonly dir: string;
  remove(): void;
}

/**
 * Unpacks `commit` of the repository at {@link ROOT}. Throws with git's message when the commit is
 * not in this clone (e.g. a shallow one).
 */
export function unpackCommit(commit: string): PinnedTree {
  const dir = mkdtempSync(join(tmpdir(), `native-web-sso-${commit}-`));
  try {
    const archive = execFileSync("git", ["-C", ROOT, "archive", "--format=tar", commit], {
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`cannot unpack commit ${commit}: ${stderr || String(error)}`, { cause: error });
  }
  return { commit, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
