/**
 * Runs the pack's policies in-process against what the program declares (a {@link StackModel} from
 * `offline/render.ts`), the way the Pulumi CLI would run them during `pulumi preview --policy-pack
 * policy`: same policies, same messages, each stack's production flag read the same way. No CLI or
 * gRPC involved.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { policyInternals } from "../offline/sdk-internals";
import type {
  EnforcementLevel,
  PolicyPackConfig,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import {
  ArchiveValue,
  Secret,
  Unknown,
  type ModelResource,
  type ModelValue,
  type PolicyVerdict,
  type StackModel,
} from "../model/rendered";
import { UNKNOWN_SENTINEL } from "./known";
import { isProductionUrn, PACK_ENFORCEMENT, PACK_NAME, policies } from "./rules";

/** The enforcement levels from the strictest down, as a policy configuration can set them. */
const STRICTNESS: readonly EnforcementLevel[] = ["remediate", "mandatory", "advisory", "disabled"];

/**
 * Refuses a policy configuration that would let a production stack run leniently: one that lowers
 * a policy's enforcement level (or `all` of them), or sets the `production` property the pack once
 * read from its configuration (the pack now reads the stack's `native-web-sso:production` itself).
 * Non-production stacks may configure what they like.
 * @throws Error naming every offending entry and the fix.
 */
export function checkPolicyConfig(stack: string, production: boolean, config: PolicyPackConfig): void {
  const problems: string[] = [];
  for (const [name, c] of Object.entries(config)) {
    const policy = policies.find((p) => p.name === name);
    if (name !== "all" && policy === undefined) {
      problems.push(
        `"${name}" is no policy of the pack (its policies: ${policies.map((p) => p.name).join(", ")})`,
      );
      continue;
    }
    const level = typeof c === "string" ? c : c?.enforcementLevel;
    if (typeof c === "object" && c !== null && "production" in c) {
      problems.push(
        `"${name}" sets "production", which the pack no longer reads: it follows the stack's native-web-sso:production; remove the property`,
      );
    }
    if (!production || level === undefined) continue;
    const own = policy?.enforcementLevel ?? PACK_ENFORCEMENT;
    if (STRICTNESS.indexOf(level) > STRICTNESS.indexOf(own)) {
      problems.push(
        `"${name}" is lowered to "${level}" (it is "${own}"), which stack ${stack} may not do: it is a production stack (native-web-sso:production); remove the entry, or mark the stack non-production with pulumi config set native-web-sso:production false --stack ${stack}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `The policy configuration for stack ${stack} is refused:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

const { unknownCheckingProxy, isUnknownValueError, isTypeOf } = policyInternals;

/** The pack's version, which the CLI reads from `policy/package.json` and shows in messages. */
function packVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, "package.json"), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}

class NotApplicable extends Error {}

/** A model value as a policy receives it over the wire. */
function toWire(v: ModelValue): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(toWire);
  // Policies see secrets in clear and unmarked (`@pulumi/policy` unwraps them).
  if (v instanceof Secret) return toWire(v.value);
  // The engine sends every unknown as the same sentinel string.
  if (v instanceof Unknown) return UNKNOWN_SENTINEL;
  // The model keeps only the archive's hash; no rule reads code.
  if (v instanceof ArchiveValue) return new pulumi.asset.AssetArchive({});
  if (Object.getPrototypeOf(v) !== Object.prototype) {
    // Guessing would turn an unknown value into a wrong verdict.
    throw new Error(
      `evaluatePolicies: unexpected ${Object.getPrototypeOf(v)?.constructor?.name} in the model`,
    );
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x as ModelValue)]));
}

function propsOf(r: ModelResource): Record<string, unknown> {
  return unknownCheckingProxy(toWire({ ...r.inputs }) as Record<string, unknown>);
}

function optsOf(r: ModelResource): PolicyResourceOptions {
  return {
    protect: r.protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [...r.additionalSecretOutputs],
    parent: r.parent,
  };
}

export function levelOf(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  config: PolicyPackConfig,
): EnforcementLevel {
  const c = config[policy.name];
  const configured = typeof c === "string" ? c : c?.enforcementLevel;
  return configured || policy.enforcementLevel || PACK_ENFORCEMENT;
}

function configOf(policyName: string, config: PolicyPackConfig): object {
  const c = config[policyName];
  if (c === undefined || typeof c === "string") return {};
  // The CLI hands a policy its properties without the enforcement level.
  const { enforcementLevel: _level, ...properties } = c;
  return properties;
}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? "Policy does not apply");
}

function resourceArgs(
  r: ModelResource,
  policyName: string,
  config: PolicyPackConfig,
): ResourceValidationArgs {
  const props = propsOf(r);
  return {
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: optsOf(r),
    stackTags: new Map(),
    isType: (resourceClass) => isTypeOf(r.type, resourceClass),
    asType: (resourceClass) => (isTypeOf(r.type, resourceClass) ? props : undefined) as never,
    getConfig: <T extends object>() => configOf(policyName, config) as T,
    notApplicable,
  };
}

function stackResources(model: StackModel): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const resources = model.resources.map((r): PolicyResource => {
    const props = propsOf(r);
    const resource: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: optsOf(r),
      dependencies: [],
      // The model records dependencies per resource, not per property; rules fall back to them.
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(r.type, resourceClass),
      asType: (resourceClass) => (isTypeOf(r.type, resourceClass) ? props : undefined) as never,
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  model.resources.forEach((r, i) => {
    resources[i].parent = byUrn.get(r.parent);
    resources[i].dependencies = r.dependsOn
      .map((urn) => byUrn.get(urn))
      .filter((d): d is PolicyResource => d !== undefined);
  });
  return resources;
}

function isStackPolicy(p: ResourceValidationPolicy | StackValidationPolicy): p is StackValidationPolicy {
  return typeof (p as Partial<StackValidationPolicy>).validateStack === "function";
}

/** The pack's name and each policy's level under `config`, as the offline preview reports them. */
export function policyLevels(config: PolicyPackConfig): {
  pack: string;
  levels: [string, EnforcementLevel][];
} {
  return { pack: PACK_NAME, levels: policies.map((p) => [p.name, levelOf(p, config)]) };
}

/**
 * Evaluates every policy of the pack against a rendered stack.
 *
 * @param model What the program declares, from `renderStack` (preview or test mode).
 * @param config The pack's configuration, as `--policy-pack-config` would give it; none by default.
 *   The policies that relax outside production read the stack's `native-web-sso:production` from
 *   its stack file, as under the CLI; a configuration that would relax a production stack is refused.
 * @returns One verdict per violation, in policy order; `message` is the text the policy reports.
 *   A policy that reads a value unknown during the preview yields the CLI's advisory "can't run"
 *   verdict instead, as a real preview does.
 */
export async function evaluatePolicies(
  model: StackModel,
  config?: PolicyPackConfig,
): Promise<PolicyVerdict[]> {
  const packConfig = config ?? {};
  checkPolicyConfig(model.stack, isProductionUrn(model.stackUrn), packConfig);
  const verdicts: PolicyVerdict[] = [];
  const from = (name: string) => `policy '${name}' from policy pack '${PACK_NAME}@v${packVersion()}'`;

  for (const policy of policies) {
    const level = levelOf(policy, packConfig);
    if (level === "disabled") continue;
    const enforcement = level === "advisory" ? "advisory" : "mandatory";

    const run = async (check: () => Promise<void> | void, urn: string | undefined): Promise<void> => {
      try {
        await check();
      } catch (e) {
        if (e instanceof NotApplicable) return;
        if (isUnknownValueError(e)) {
          verdicts.push({
            policy: policy.name,
            enforcement: "advisory",
            urn,
            message: `can't run ${from(policy.name)} during preview: ${e.message}`,
          });
          return;
        }
        throw new Error(`Error validating ${urn ?? "the stack"} with ${from(policy.name)}: ${String(e)}`, {
          cause: e,
        });
      }
    };

    if (isStackPolicy(policy)) {
      const args: StackValidationArgs = {
        resources: stackResources(model),
        stackTags: new Map(),
        getConfig: <T extends object>() => configOf(policy.name, packConfig) as T,
        notApplicable,
      };
      const report: ReportViolation = (message, urn) =>
        verdicts.push({ policy: policy.name, enforcement, urn, message });
      await run(() => policy.validateStack(args, report), undefined);
      continue;
    }

    const validations: ResourceValidation[] = Array.isArray(policy.validateResource)
      ? policy.validateResource
      : policy.validateResource
        ? [policy.validateResource]
        : [];
    for (const r of model.resources) {
      for (const validate of validations) {
        // As in a real run, a resource policy's violations always concern the resource itself.
        const report: ReportViolation = (message) =>
          verdicts.push({ policy: policy.name, enforcement, urn: r.urn, message });
        await run(() => validate(resourceArgs(r, policy.name, packConfig), report), r.urn);
      }
    }
  }
  return verdicts;
}
