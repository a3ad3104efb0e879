/**
 * How the stacks and their production flag are read from a project's files (`model/stacks.ts`),
 * on projects made for each case in a temporary folder, and the workflows' matrix lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deployOrder, githubOutputs, isProductionStack, listStacks } from "../model/stacks";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project folder with these files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "stacks-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const PROJECT = "name: shop\nruntime: nodejs\n";
const DEFAULT_FALSE = `${PROJECT}config:\n  production:\n    type: boolean\n    default: false\n`;

describe("listStacks", () => {
  it("lists exactly the Pulumi.<name>.yaml files, sorted", () => {
    const dir = project({
      "Pulumi.yaml": PROJECT,
      "Pulumi.prod.yaml": "",
      "Pulumi.dev.yaml": "",
      "Pulumi.dev-eu.yaml": "",
      "Pulumi.yml": "",
      "old.Pulumi.qa.yaml": "",
      "Pulumi.qa.yaml.bak": "",
      "Pulumi.a.b.yaml": "",
      "README.md": "",
    });
    expect(listStacks(dir)).toEqual(["dev", "dev-eu", "prod"]);
  });
});

describe("isProductionStack", () => {
  it.each([
    ["the stack says false", PROJECT, "config:\n  shop:production: false\n", false],
    ['the stack says "false"', PROJECT, 'config:\n  shop:production: "false"\n', false],
    ["the stack says true", DEFAULT_FALSE, "config:\n  shop:production: true\n", true],
    ["the stack says nothing, the project defaults to false", DEFAULT_FALSE, "config: {}\n", false],
    ["the stack says nothing, the project declares no default", PROJECT, "config: {}\n", true],
    ["the stack file is empty", DEFAULT_FALSE, "", false],
    ["the key names another project", PROJECT, "config:\n  other:production: false\n", true],
    ["the value is misspelt", PROJECT, "config:\n  shop:production: flase\n", true],
    ["the value is encrypted", PROJECT, "config:\n  shop:production:\n    secure: v1:abc\n", true],
    ["config is a list", PROJECT, "config:\n  - shop:production\n", true],
  ])("%s → %s", (_, projectFile, stackFile, production) => {
    const dir = project({ "Pulumi.yaml": projectFile, "Pulumi.s.yaml": stackFile });
    expect(isProductionStack("s", dir)).toBe(production);
  });

  it("counts a stack without a stack file, or a project without a name, as production", () => {
    expect(
      isProductionStack("missing", project({ "Pulumi.yaml": DEFAULT_FALSE.replace("name: shop\n", "") })),
    ).toBe(false);
    const unnamed = project({
      "Pulumi.yaml": "runtime: nodejs\n",
      "Pulumi.s.yaml": "config:\n  shop:production: false\n",
    });
    expect(isProductionStack("s", unnamed)).toBe(true);
    // A key without a project name (":production") is not the project's key either.
    const bare = project({
      "Pulumi.yaml": "runtime: nodejs\n",
      "Pulumi.s.yaml": 'config:\n  ":production": false\n',
    });
    expect(isProductionStack("s", bare)).toBe(false);
  });
});

describe("deployOrder and githubOutputs", () => {
  it("puts every non-production stack first and writes one $GITHUB_OUTPUT line per list", () => {
    const dir = project({
      "Pulumi.yaml": PROJECT,
      "Pulumi.dev.yaml": "config:\n  shop:production: false\n",
      "Pulumi.staging.yaml": "config:\n  shop:production: false\n",
      "Pulumi.prod.yaml": "config: {}\n",
    });
    const order = deployOrder(dir);
    expect(order).toEqual({
      stacks: ["dev", "prod", "staging"],
      nonProduction: ["dev", "staging"],
      production: ["prod"],
    });
    expect(githubOutputs(order)).toBe(
      'stacks=["dev","prod","staging"]\nnon-production=["dev","staging"]\nproduction=["prod"]\n',
    );
  });
});
