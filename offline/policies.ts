/**
 * The hook between the offline preview and the policy pack: `policy/evaluate.ts`, when the project
 * has one, exports `evaluatePolicies(model)`. Loaded at run time so the preview works without it.
 */

import { existsSync } from "node:fs";
import * as path from "node:path";
import type { PolicyVerdict, StackModel } from "../model/rendered";
import { PROJECT_DIR } from "./render";

/** Evaluates the policy pack's rules against a recorded stack. */
export type PolicyEvaluator = (model: StackModel) => Promise<PolicyVerdict[]>;

/** The pack's evaluator, or `undefined` when the project has no `policy/evaluate.ts`. */
export function loadPolicyEvaluator(projectDir = PROJECT_DIR): PolicyEvaluator | undefined {
  const file = path.join(projectDir, "policy", "evaluate.ts");
  if (!existsSync(file)) return undefined;
  // A plain require: the module is optional, so a static import would not compile without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as { evaluatePolicies?: unknown };
  if (typeof mod.evaluatePolicies !== "function") {
    throw new Error(`${file} does not export evaluatePolicies(model)`);
  }
  return mod.evaluatePolicies as PolicyEvaluator;
}
