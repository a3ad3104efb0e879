/**
 * The stacks of a Pulumi project, read from its files: a stack is a `Pulumi.<name>.yaml`, and it
 * is a production stack unless its `<project>:production` says `false` (the project's declared
 * default otherwise). Nothing else in the tree lists the stacks: tests, the policy pack and the
 * workflows' matrices (`npm run --silent stacks`) all ask here.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

/** The repository's root folder, where the main program's `Pulumi.yaml` is. */
export const ROOT_DIR = path.resolve(__dirname, "..");

/** Stacks that have a `Pulumi.<name>.yaml` in the project folder, sorted. */
export function listStacks(projectDir = ROOT_DIR): string[] {
  return readdirSync(projectDir)
    .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function readYaml(file: string): unknown {
  return existsSync(file) ? (parseYaml(readFileSync(file, "utf8")) as unknown) : undefined;
}

function field(v: unknown, key: string): unknown {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Whether a stack is marked production: its stack file's `<project>:production`, else the
 * project's declared default, else `true`. Anything that is not plainly `false` (a missing or
 * unreadable file, an encrypted or misspelt value) counts as production, so strictness is never
 * lost by accident.
 */
export function isProductionStack(stack: string, projectDir = ROOT_DIR): boolean {
  const project = readYaml(path.join(projectDir, "Pulumi.yaml"));
  const name = field(project, "name");
  const key = `${typeof name === "string" ? name : ""}:production`;
  const own = field(field(readYaml(path.join(projectDir, `Pulumi.${stack}.yaml`)), "config"), key);
  const declared = field(field(field(project, "config"), "production"), "default");
  const value = own ?? declared;
  return !(value === false || value === "false");
}

/** The stacks in deploy order: every non-production stack first, then the production stacks. */
export interface DeployOrder {
  /** Every stack, sorted. */
  readonly stacks: readonly string[];
  /** Stacks marked `production: false`: deployed first. */
  readonly nonProduction: readonly string[];
  /** The production stacks: deployed after the others, behind their environments' reviewers. */
  readonly production: readonly string[];
}

/** The project's stacks, split by their production flag. */
export function deployOrder(projectDir = ROOT_DIR): DeployOrder {
  const stacks = listStacks(projectDir);
  return {
    stacks,
    nonProduction: stacks.filter((s) => !isProductionStack(s, projectDir)),
    production: stacks.filter((s) => isProductionStack(s, projectDir)),
  };
}

/**
 * The deploy order as `$GITHUB_OUTPUT` lines (`name=<JSON list>`), which the workflows read with
 * `fromJSON(needs.<job>.outputs.<name>)` as their matrices.
 */
export function githubOutputs(order: DeployOrder): string {
  return [
    `stacks=${JSON.stringify(order.stacks)}`,
    `non-production=${JSON.stringify(order.nonProduction)}`,
    `production=${JSON.stringify(order.production)}`,
  ]
    .map((l) => `${l}\n`)
    .join("");
}
