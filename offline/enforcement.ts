/**
 * Which policy enforcement the offline preview applies, and whether it fails: the same
 * configuration file and the same rule as `pulumi preview --policy-pack policy
 * --policy-pack-config <file>`, which fails when any mandatory policy reports a violation.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { PolicyPackConfig } from "@pulumi/policy";
import type { PolicyVerdict } from "../model/rendered";
import { PROJECT_DIR } from "./render";

/** The enforcement applied to one stack. */
export interface Enforcement {
  /** The configuration file, relative to the project; `undefined` when none applies (all strict). */
  readonly file: string | undefined;
  readonly config: PolicyPackConfig;
}

/**
 * The enforcement for a stack: `file` when given (it must exist), else none: every policy at the
 * level the pack gives it, each relaxing outside production by the stack's own production flag.
 */
export function enforcementFor(file?: string): Enforcement {
  if (file === undefined) return { file: undefined, config: {} };
  const chosen = file;
  if (!existsSync(chosen)) throw new Error(`--policy-config: no file ${file}`);
  let config: PolicyPackConfig;
  try {
    config = JSON.parse(readFileSync(chosen, "utf8")) as PolicyPackConfig;
  } catch (e) {
    throw new Error(`${chosen} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  return { file: path.relative(PROJECT_DIR, path.resolve(chosen)), config };
}

/** Lines saying which enforcement applied and what each policy ran at (`levels` from the evaluator). */
export function enforcementLines(
  e: Enforcement,
  levels: { readonly pack: string; readonly levels: readonly (readonly [string, string])[] },
): string[] {
  const byLevel = new Map<string, string[]>();
  for (const [name, level] of levels.levels) byLevel.set(level, [...(byLevel.get(level) ?? []), name]);
  const source = e.file
    ? `${e.file}, as pulumi preview --policy-pack policy --policy-pack-config ${e.file}`
    : "no configuration file: every policy at its own level, as pulumi preview --policy-pack policy";
  return [
    `  Enforcement (pack ${levels.pack}): ${source}.`,
    ...["mandatory", "advisory", "remediate", "disabled"]
      .filter((l) => byLevel.has(l))
      .map((l) => `    ${l}: ${(byLevel.get(l) ?? []).join(", ")}`),
  ];
}

/** The error `pulumi preview` ends with when mandatory policies report violations; `undefined` if none. */
export function mandatoryFailure(verdicts: readonly PolicyVerdict[], e: Enforcement): string | undefined {
  const n = verdicts.filter((v) => v.enforcement === "mandatory").length;
  if (n === 0) return undefined;
  return (
    `error: ${n} mandatory policy violation${n === 1 ? "" : "s"} (enforcement: ${e.file ?? "all strict, no configuration file"}): ` +
    "pulumi preview fails here, and pulumi up stops before it changes anything."
  );
}
