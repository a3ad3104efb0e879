/**
 * `npm ci` on a fresh machine prints no install-script notice to interpret: package.json's
 * `allowScripts` reviews every dependency's install script (npm 11's install-script policy).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");

describe("install scripts", () => {
  it("are all reviewed in package.json's allowScripts, so npm ci warns about none", async () => {
    // What `npm ci` would warn about, read-only.
    const { stdout } = await promisify(execFile)("npm", ["install-scripts", "ls"], { cwd: ROOT });
    expect(
      stdout.trim(),
      'review each listed script, then npm install-scripts approve <pkg> or deny <pkg> (README, "Install scripts")',
    ).toBe("No packages with unreviewed install scripts.");
  }, 60_000);
});
