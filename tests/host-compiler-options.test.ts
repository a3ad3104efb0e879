/**
 * The compiler options the Pulumi CLI's Node.js host compiles each program with. The host reads the
 * `compilerOptions` of the `tsconfig.json` in the program's working directory only, without
 * following `extends`, and puts them over its own defaults (`@pulumi/pulumi` `cmd/run/run.js` for a
 * program, `cmd/run-policy-pack/run.js` for a policy pack, both via `tsutils.js`). So the folder the
 * CLI runs from must state every option itself, and `npm run check` must type-check it with them.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");

/** The host's defaults for TypeScript >= 4.7 (`cmd/run/run.js`, `cmd/run-policy-pack/run.js`). */
const HOST_DEFAULTS = {
  target: "ES2020",
  module: "nodenext",
  moduleResolution: "nodenext",
  sourceMap: "true",
};

/** The options the host hands ts-node when it runs from `dir`, read the way its `tsutils.js` reads them. */
function hostOptions(dir: string): Record<string, unknown> {
  const file = path.join(dir, "tsconfig.json");
  let own: Record<string, unknown> = {};
  try {
    const parsed = ts.parseConfigFileTextToJson(file, readFileSync(file, "utf8")).config as {
      compilerOptions?: Record<string, unknown>;
    };
    own = parsed.compilerOptions ?? {};
  } catch {
    // No tsconfig.json: the host tells ts-node to skip the project and uses its defaults.
  }
  return { ...HOST_DEFAULTS, ...own };
}

/** Type-checks one source file placed in `dir` with the options the host uses there. */
function diagnosticsOf(dir: string, source: string): string[] {
  // The host passes `sourceMap: "true"`, which ts-node takes and `convertCompilerOptionsFromJson` does not.
  const { sourceMap: _sourceMap, ...json } = hostOptions(dir);
  const { options, errors } = ts.convertCompilerOptionsFromJson(json, dir);
  expect(errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, "\n"))).toEqual([]);
  const file = path.join(dir, "host-options-probe.ts");
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.readFile = (f) => (f === file ? source : readFile(f));
  host.fileExists = (f) => f === file || exists(f);
  const program = ts.createProgram([file], { ...options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

const rootOptions = (): Record<string, unknown> => {
  const { outDir: _outDir, ...options } = hostOptions(ROOT);
  return options;
};

describe.each(["policy", "identities"])("%s/, as the CLI's host compiles it", (folder) => {
  const dir = path.join(ROOT, folder);

  it("gets the root's compiler options from its own tsconfig.json", () => {
    const { outDir: _outDir, ...options } = hostOptions(dir);
    expect(options).toEqual(rootOptions());
  });

  it("accepts what the root's options accept (ES2022 library, CommonJS imports)", () => {
    const probe =
      'import * as path from "node:path";\nexport const own = Object.hasOwn({ a: path.sep }, "a");\n';
    expect(diagnosticsOf(dir, probe)).toEqual([]);
  });

  it("is type-checked with those options by npm run check", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.check.split("&&").map((s) => s.trim())).toContain(`tsc --noEmit -p ${folder}`);
  });
});
