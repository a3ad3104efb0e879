/**
 * What the rules of every section share: the resource types they look at, whether the stack is a
 * production stack (for the policies that relax outside production), and small readers of policy
 * properties.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isProductionStack } from "../../model/stacks";
import { at, isUnknown, list, type Known } from "../known";

/** Resource type tokens the policies look at. */
export const TYPES = {
  client: "auth0:index/client:Client",
  clientCredentials: "auth0:index/clientCredentials:ClientCredentials",
  parameter: "aws:ssm/parameter:Parameter",
  function: "aws:lambda/function:Function",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  stage: "aws:apigatewayv2/stage:Stage",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  randomPassword: "random:index/randomPassword:RandomPassword",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
} as const;

/**
 * The stack a URN belongs to (`urn:pulumi:<stack>::<project>::<type>::<name>`): the CLI sends every
 * resource's URN, so the pack knows the stack without being told.
 */
export function stackOfUrn(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

const productionByStack = new Map<string, boolean>();

/**
 * Whether the stack a resource belongs to is a production stack: its `Pulumi.<stack>.yaml`'s
 * `native-web-sso:production`, read by the pack itself from the project the pack sits in (the CLI
 * runs the pack from `policy/`), the project's default otherwise. No policy configuration can
 * relax it, and anything unclear (no URN, no stack file) counts as production.
 */
export function isProductionUrn(urn: string | undefined): boolean {
  const stack = urn === undefined ? undefined : stackOfUrn(urn);
  if (stack === undefined) return true;
  let production = productionByStack.get(stack);
  if (production === undefined) {
    production = isProductionStack(stack);
    productionByStack.set(stack, production);
  }
  return production;
}

/** Whether the stack of a resource policy's resource, or of a stack policy's resources, is production. */
export function isProduction(args: { urn: string } | { resources: readonly { urn: string }[] }): boolean {
  if ("urn" in args) return isProductionUrn(args.urn);
  // A stack's resources all share its URN prefix; no resource at all is judged strictly.
  return isProductionUrn(args.resources[0]?.urn);
}

export function str(v: Known | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function label(p: Known, fallback: string): string {
  return str(at(p, "name")) ?? fallback;
}

export function strings(v: Known | undefined): string[] {
  if (typeof v === "string") return [v];
  const l = list(v);
  return l === undefined || isUnknown(l) ? [] : l.filter((x): x is string => typeof x === "string");
}

/** The resource a property of `r` refers to, found by the engine's dependency records. */
export function linked(r: PolicyResource, property: string, type: string): PolicyResource | undefined {
  const byProperty = r.propertyDependencies[property]?.filter((d) => d.type === type) ?? [];
  if (byProperty.length > 0) return byProperty[0];
  const byDependency = r.dependencies.filter((d) => d.type === type);
  return byDependency.length === 1 ? byDependency[0] : undefined;
}
