/**
 * What the rules of every section share: the resource types they look at, the production switch of
 * the policies that relax outside production, and small readers of policy properties.
 */
import type { PolicyResource } from "@pulumi/policy";
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

/** Per-policy configuration of the policies that relax outside production. */
export interface ProductionConfig {
  /** `false` in stacks marked non-production (`native-web-sso:production: false`). Default: `true`. */
  readonly production?: boolean;
}

export const productionSchema = {
  properties: {
    production: {
      type: "boolean" as const,
      default: true,
      description: "false in stacks marked non-production (native-web-sso:production false)",
    },
  },
};

export function isProduction(args: { getConfig<T extends object>(): T }): boolean {
  // No config means the strict, production behaviour.
  return args.getConfig<ProductionConfig>().production !== false;
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
