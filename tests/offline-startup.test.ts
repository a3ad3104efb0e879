/**
 * The offline preview's start-up (`offline/startup.ts`) defers what the program does not use and
 * changes nothing it gets: checked in a plain Node process (the require cache is Node's, not
 * vitest's), against the installed SDK versions. The internals it uses are checked by
 * `tests/sdk-internals.test.ts`.
 */

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as esbuild from "esbuild";
import type { BuildOptions } from "esbuild";
import { cachingBuildSync } from "../offline/bundle-cache";
import { PROJECT_DIR } from "../offline/render";
import { SHORTCUTS, turnedOff } from "../offline/startup-shortcuts";
import { npmStart } from "../testkit/npm-start";

/** Runs a CommonJS script under tsx in the project folder; resolves with its last stdout line as JSON. */
function runNode(script: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "-e", script],
      { cwd: PROJECT_DIR, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>);
      },
    );
  });
}

const loaded = (pattern: string) =>
  `Object.keys(require.cache).some((k) => k.includes(${JSON.stringify(pattern)}))`;

describe("offline preview start-up", () => {
  it("loads neither TypeScript, npm's Arborist nor unused AWS services, and serializes a closure when asked", async () => {
    const report = await runNode(`
      require("./offline/startup");
      const pulumi = require("@pulumi/pulumi");
      const aws = require("@pulumi/aws");
      const before = {
        typescript: ${loaded("/node_modules/typescript/")},
        arborist: ${loaded("/node_modules/@npmcli/arborist/")},
        s3: ${loaded("/@pulumi/aws/s3/")},
      };
      const lambda = aws.lambda;
      const sameNamespace = lambda.Function === require("@pulumi/aws/lambda").Function && typeof lambda.Function === "function";
      pulumi.runtime.serializeFunction(() => 42).then((closure) => {
        console.log(JSON.stringify({
          before,
          sameNamespace,
          closure: closure.text.includes("42"),
          typescriptAfter: ${loaded("/node_modules/typescript/")},
        }));
        process.exit(0);
      }, (e) => { console.error(e); process.exit(1); });
    `);
    expect(report).toEqual({
      before: { typescript: false, arborist: false, s3: false },
      sameNamespace: true,
      closure: true,
      typescriptAfter: true,
    });
  });

  it("gives @pulumi/aws's every export, namespaces and the rest alike, as the real index has it", async () => {
    const report = await runNode(`
      require("./offline/startup");
      const standIn = require("@pulumi/aws");
      const names = Object.keys(standIn);
      // The real index, loaded fresh beside the stand-in the require cache holds.
      const file = require.resolve("@pulumi/aws");
      const real = { exports: require("./offline/sdk-internals").loadUncached(file) };
      const realNames = Object.keys(real.exports);
      const namespaces = realNames.filter((k) => require("node:fs").existsSync(require("node:path").join(require("node:path").dirname(file), k, "index.js")));
      // Namespaces: the same members, each the very same value; everything else: the same value.
      const differing = realNames.filter((k) =>
        namespaces.includes(k)
          ? JSON.stringify(Object.keys(standIn[k])) !== JSON.stringify(Object.keys(real.exports[k])) ||
            Object.keys(real.exports[k]).some((m) => standIn[k][m] !== real.exports[k][m])
          : standIn[k] !== real.exports[k],
      );
      // "in" answers as the real namespace does: its members yes, anything else no.
      const inAnswers = namespaces.every((k) => Object.keys(real.exports[k]).every((m) => m in standIn[k]) && !("noSuchMember" in standIn[k]) && "__esModule" in standIn[k]);
      console.log(JSON.stringify({ names: names.length, namespaces: namespaces.length, sameNames: JSON.stringify([...names].sort()) === JSON.stringify([...realNames].sort()), differing, inAnswers }));
      process.exit(0);
    `);
    expect(report.sameNames).toBe(true);
    expect(report.namespaces).toBeGreaterThan(200);
    expect(report.differing).toEqual([]);
    expect(report.inAnswers).toBe(true);
  });

  it("builds an in-memory bundle once, answers it again from memory or the cache, and rebuilds after any input changes", () => {
    const project = mkdtempSync(join(tmpdir(), "bundle-cache-"));
    try {
      writeFileSync(join(project, "entry.ts"), 'import { word } from "./word";\nexport const said = word;\n');
      writeFileSync(join(project, "word.ts"), 'export const word = "first";\n');
      let builds = 0;
      const counting = (options: BuildOptions) => {
        builds++;
        return esbuild.buildSync(options);
      };
      const cacheDir = join(project, "cache");
      const options: BuildOptions = {
        absWorkingDir: project,
        entryPoints: ["entry.ts"],
        outfile: "out.js",
        bundle: true,
        write: false,
        format: "cjs",
      };
      const direct = esbuild.buildSync(options).outputFiles?.[0]?.text;
      const first = cachingBuildSync(counting, esbuild.version, cacheDir);
      expect(first(options).outputFiles?.[0]?.text).toBe(direct);
      expect(first({ ...options }).outputFiles?.[0]?.text).toBe(direct);
      expect(builds).toBe(1);
      // Another process: from the cache file, the same bytes.
      const second = cachingBuildSync(counting, esbuild.version, cacheDir);
      const cached = second(options).outputFiles?.[0];
      expect(builds).toBe(1);
      expect(cached?.text).toBe(direct);
      expect(Buffer.from(cached?.contents ?? []).toString("utf8")).toBe(direct);
      // An imported file changes: built again, with the change.
      writeFileSync(join(project, "word.ts"), 'export const word = "second";\n');
      const third = cachingBuildSync(counting, esbuild.version, cacheDir);
      expect(third(options).outputFiles?.[0]?.text).toContain("second");
      expect(builds).toBe(2);
      // Builds that write files are never answered from the cache.
      third({ ...options, write: true });
      third({ ...options, write: true });
      expect(builds).toBe(4);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it("prints the same rendering with every shortcut turned off, the way out after an SDK upgrade", async () => {
    const [on, off] = await Promise.all([
      npmStart(["--stack", "prod"]),
      npmStart(["--stack", "prod"], undefined, { NATIVE_WEB_SSO_PLAIN_START: "all" }),
    ]);
    expect(on.code).toBe(0);
    expect(off.code).toBe(0);
    expect(off.stdout).toBe(on.stdout);
  });

  it("turns off the shortcuts NATIVE_WEB_SSO_PLAIN_START names, and refuses a name it does not know", async () => {
    expect([...turnedOff(undefined)]).toEqual([]);
    expect([...turnedOff("all")].sort()).toEqual(Object.keys(SHORTCUTS).sort());
    expect([...turnedOff(" bundle-cache,stack-traces ")]).toEqual(["bundle-cache", "stack-traces"]);
    expect(() => turnedOff("bundle-cache,closures")).toThrow(
      /NATIVE_WEB_SSO_PLAIN_START: "closures" is not a start-up shortcut; use all or any of closure-serializer, aws-namespaces, bundle-cache, stack-traces/,
    );
    const typo = await npmStart(["--stack", "dev"], undefined, { NATIVE_WEB_SSO_PLAIN_START: "closures" });
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim()).toBe(
      'NATIVE_WEB_SSO_PLAIN_START: "closures" is not a start-up shortcut; use all or any of closure-serializer, aws-namespaces, bundle-cache, stack-traces',
    );
  });
});
