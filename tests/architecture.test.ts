/**
 * The import rules of ARCHITECTURE.md, as dependency-cruiser checks them (`.dependency-cruiser.cjs`):
 * the tree keeps them, and each rule catches the import it forbids (tests/fixtures/architecture/
 * breaks every rule once, in a tree laid out like this one).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { cruise, type IConfiguration, type ICruiseResult } from "dependency-cruiser";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.join(__dirname, "..");
const CONFIG_FILE = ".dependency-cruiser.cjs";
const config = createRequire(__filename)(path.join(ROOT, CONFIG_FILE)) as IConfiguration;
const TSCONFIG = path.join(ROOT, "tsconfig.json");
/** The project's tsconfig, parsed the way dependency-cruiser's own command line does. */
const tsConfig = ts.parseJsonConfigFileContent(
  ts.readConfigFile(TSCONFIG, ts.sys.readFile).config,
  ts.sys,
  ROOT,
);
const RULES = (config.forbidden ?? []).map((r) => r.name ?? "");
/** Every folder ARCHITECTURE.md describes, and the program. */
const ENTRIES = [
  "index.ts",
  "model",
  "actions",
  "components",
  "app",
  "offline",
  "policy",
  "testkit",
  "e2e",
  "bench",
  "identities",
  "tests",
];

/** The modules cruised in a tree, and the violations of the rules: `[rule, from, to]`, sorted. */
async function cruiseTree(baseDir: string): Promise<{ modules: string[]; violations: string[][] }> {
  const entries = ENTRIES.filter((e) => existsSync(path.join(baseDir, e)));
  const result = await cruise(
    entries,
    {
      ...config.options,
      // The fixtures are excluded from the project's cruise, not from their own.
      exclude: baseDir === ROOT ? config.options?.exclude : undefined,
      baseDir,
      tsConfig: { fileName: TSCONFIG },
      validate: true,
      ruleSet: { forbidden: config.forbidden },
    },
    undefined,
    { tsConfig },
  );
  const output = result.output as ICruiseResult;
  return {
    modules: output.modules.map((m) => m.source),
    violations: output.summary.violations.map((v) => [v.rule.name, v.from, v.to]).sort(),
  };
}

describe("the architecture", () => {
  it("is kept by every import of the tree", async () => {
    const { modules, violations } = await cruiseTree(ROOT);
    // The cruise saw the tree: the program, its components, the pack and the tests.
    expect(modules).toEqual(
      expect.arrayContaining([
        "index.ts",
        "components/config/index.ts",
        "policy/rules/index.ts",
        "tests/architecture.test.ts",
      ]),
    );
    expect(modules.filter((m) => m.startsWith("tests/fixtures/"))).toEqual([]);
    expect(violations).toEqual([]);
  }, 120_000);

  it("catches each forbidden import, and lets the allowed ones through", async () => {
    const { violations: found } = await cruiseTree(path.join(__dirname, "fixtures", "architecture"));
    expect(found).toEqual(
      [
        ["model-imports-no-project-code", "model/leak.ts", "components/widget.ts"],
        ["no-cycles", "model/cycle-a.ts", "model/cycle-b.ts"],
        ["app-imports-only-app-and-model", "app/leak.ts", "components/widget.ts"],
        ["actions-import-only-actions-and-model", "actions/leak.ts", "components/widget.ts"],
        ["components-import-only-the-contract-of-app", "components/leak.ts", "app/server.ts"],
        ["components-import-only-the-contract-of-app", "components/second-program.ts", "identities/index.ts"],
        ["only-tests-import-identities", "components/second-program.ts", "identities/index.ts"],
        ["policy-imports-only-model-and-the-contract-of-app", "policy/leak.ts", "offline/render.ts"],
        [
          "the-offline-evaluator-imports-only-the-pack-and-the-sdk-internals",
          "policy/evaluate.ts",
          "offline/leak.ts",
        ],
        ["offline-receives-the-policy-evaluator", "offline/render.ts", "policy/evaluate.ts"],
        ["offline-renders-without-project-code", "offline/leak.ts", "components/widget.ts"],
        ["offline-imports-only-the-evaluator-of-policy", "offline/cli.ts", "policy/rules.ts"],
        ["testkit-imports-no-tools-or-tests", "testkit/leak.ts", "tests/helper.ts"],
        ["nothing-imports-tests", "testkit/leak.ts", "tests/helper.ts"],
        ["e2e-imports-no-tests-or-infrastructure", "e2e/leak.ts", "components/widget.ts"],
        ["e2e-imports-no-tests-or-infrastructure", "e2e/program.ts", "index.ts"],
        ["only-tests-import-the-program", "e2e/program.ts", "index.ts"],
        ["bench-imports-no-tests", "bench/leak.ts", "tests/helper.ts"],
        ["nothing-imports-tests", "bench/leak.ts", "tests/helper.ts"],
        ["identities-imports-only-model-and-the-config-reader", "identities/leak.ts", "components/widget.ts"],
      ].sort(),
    );
    // Every rule is shown to bite.
    expect([...new Set(found.map(([rule]) => rule))].sort()).toEqual([...RULES].sort());
  }, 120_000);

  it("is what ARCHITECTURE.md describes, rule by rule", () => {
    const doc = readFileSync(path.join(ROOT, "ARCHITECTURE.md"), "utf8");
    expect(doc).toContain(CONFIG_FILE);
    for (const rule of RULES) expect(doc, rule).toContain(`\`${rule}\``);
  });
});

describe("the tree", () => {
  const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
  const folders = [
    ...new Set(tracked.filter((f) => f.includes("/") && !f.startsWith(".")).map((f) => f.split("/")[0])),
  ];

  it("has no source module over 400 lines", () => {
    const long = tracked
      .filter((f) => f.endsWith(".ts") && !f.startsWith("tests/"))
      .map((f) => [f, readFileSync(path.join(ROOT, f), "utf8").split("\n").length - 1] as const)
      .filter(([, lines]) => lines > 400);
    expect(long).toEqual([]);
  });

  it("is described folder by folder in ARCHITECTURE.md and in the README's layout, and nothing more", () => {
    const architecture = readFileSync(path.join(ROOT, "ARCHITECTURE.md"), "utf8");
    const table = /## Folders\n([\s\S]*?)\n## /.exec(architecture)?.[1] ?? "";
    const described = [...table.matchAll(/^\| `([\w.-]+)\/` +\|/gm)].map((m) => m[1]);
    expect(described.sort()).toEqual([...folders].sort());
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const layout = /## Layout\n+```\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const listed = [...layout.matchAll(/^([\w.-]+)\/ /gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...folders].sort());
  });
});

describe("the offline preview", () => {
  it("loads no module of policy/ by a path of its own: only cli.ts imports the evaluator, statically", () => {
    const offline = readdirSync(path.join(ROOT, "offline")).filter((f) => f.endsWith(".ts"));
    for (const file of offline.filter((f) => f !== "cli.ts")) {
      const source = readFileSync(path.join(ROOT, "offline", file), "utf8");
      expect(source, file).not.toMatch(/["'`][^"'`\n]*policy\/[^"'`\n]*["'`]/);
      expect(source, file).not.toMatch(/["'`](\.\.\/)+policy["'`]/);
    }
    const cli = readFileSync(path.join(ROOT, "offline", "cli.ts"), "utf8");
    expect(cli).toContain('import { evaluatePolicies, policyLevels } from "../policy/evaluate";');
    expect(cli.match(/policy\//g)).toHaveLength(1);
  });
});
