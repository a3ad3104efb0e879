/**
 * The stacks' IAM, evaluated as AWS evaluates it (`@cloud-copilot/iam-simulate`: identity policy,
 * permissions boundary, KMS key policy, conditions), on the documents the programs render for three
 * stacks sharing one account and region (`dev`, `prod` and `dev-eu`, whose name starts with
 * another's). Allowed: what a `pulumi up` and a refresh of a stack call, on that stack's resources,
 * and what its function does. Denied: anything of another stack, any change by a read-only role,
 * any way around the function's boundary.
 */

import { beforeAll, describe, expect, it } from "vitest";
import { AWS_PRIVILEGES, type PrivilegeScope } from "../identities/privileges";
import {
  actionList,
  decide,
  KEY_POLICY_DELEGATING_TO_IAM,
  resourcesOf,
  type IamRequest,
} from "./iam-evaluate";
import {
  ACCOUNT,
  REGION,
  renderStackPair,
  SETTINGS_KEY,
  STACKS,
  type Document,
  type Physical,
  type RenderedStack,
  type StackName,
} from "./iam-stacks";

const stacks = {} as Record<StackName, RenderedStack>;
beforeAll(async () => {
  for (const s of STACKS) stacks[s] = await renderStackPair(s);
}, 240_000);

/** Who asks, with which policies: the part of a request that stays the same across its actions. */
type Caller = Pick<IamRequest, "principal" | "identity" | "boundary">;

/**
 * The function's `kms:Decrypt` of one settings parameter as SSM makes it on the function's behalf
 * (a customer managed key whose policy hands its use to IAM, so only the caller's policies decide).
 */
function decryptThroughSsm(
  fn: Caller,
  lambda: Readonly<Record<string, string>>,
  parameter: string,
): IamRequest {
  return {
    ...fn,
    action: "kms:Decrypt",
    resource: SETTINGS_KEY,
    resourcePolicy: KEY_POLICY_DELEGATING_TO_IAM,
    context: {
      ...lambda,
      "kms:ViaService": `ssm.${REGION}.amazonaws.com`,
      "kms:CallerAccount": ACCOUNT,
      "kms:EncryptionContext:PARAMETER_ARN": parameter,
    },
  };
}

/** `*` and `?` patterns of IAM, as a regular expression. */
const glob = (p: string) =>
  new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
/** IAM passes the function role only with these (the deploy role's conditions name them). */
const BOUNDED = [
  "iam:CreateRole",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:PutRolePermissionsBoundary",
];
const ADMINISTRATOR = "arn:aws:iam::aws:policy/AdministratorAccess";

/** The request context `pulumi up` sends for an action on a resource of stack `s`. */
function contextOf(action: string, target: Physical, s: RenderedStack): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { ...target.context };
  if (action === "iam:PassRole") context["iam:PassedToService"] = "lambda.amazonaws.com";
  if (BOUNDED.includes(action)) context["iam:PermissionsBoundary"] = s.boundaryArn;
  return context;
}

const scopeOf = (s: RenderedStack): PrivilegeScope => {
  const zone = s.resources.find((r) => r.type === "aws:route53/record:Record");
  return {
    account: ACCOUNT,
    region: REGION,
    stack: s.stack,
    project: "native-web-sso",
    hostedZoneId: zone?.arn.split("/").pop(),
  };
};

/** A call of a `pulumi up` or a refresh: an action of the privilege tables on one of the stack's resources. */
interface Step {
  readonly action: string;
  readonly target: Physical;
  readonly read: boolean;
}

/** Every call the privilege tables say the stack's declared types need, on the stack's own resources. */
function stepsOf(s: RenderedStack): { steps: Step[]; unmatched: string[] } {
  const types = new Set(
    s.model.resources.filter((r) => r.custom && r.type.startsWith("aws:")).map((r) => r.type),
  );
  const steps: Step[] = [];
  const unmatched: string[] = [];
  for (const type of types) {
    for (const grant of AWS_PRIVILEGES[type] ?? []) {
      const patterns = grant.resources(scopeOf(s));
      // A grant on "*" is a call on "*" (with the tags of a create, where the stack has one).
      const all = patterns.includes("*")
        ? [
            s.resources.find((r) => r.arn === "*" && r.type === type) ?? {
              type,
              name: type,
              arn: "*",
              tags: {},
              context: {},
            },
          ]
        : s.resources.filter((r) => r.arn !== "*" && patterns.some((p) => glob(p).test(r.arn)));
      if (all.length === 0) unmatched.push(`${type}: ${patterns.join(", ")}`);
      for (const target of all) {
        for (const action of grant.read) steps.push({ action, target, read: true });
        for (const action of grant.deploy) steps.push({ action, target, read: false });
      }
    }
  }
  return { steps, unmatched };
}

const as = (principal: string, identity: Document, boundary?: Document) => ({
  principal,
  identity: [identity],
  boundary,
});
const request = (
  who: { principal: string; identity: Document[]; boundary?: Document },
  action: string,
  target: Physical,
  context: Record<string, string | string[]>,
): IamRequest => ({
  ...who,
  action,
  resource: target.arn,
  context,
  resourcePolicy: target.arn.startsWith("arn:aws:kms:") ? KEY_POLICY_DELEGATING_TO_IAM : undefined,
});

describe.each(STACKS)("the %s stack's own identities", (name) => {
  it("let the deploy role make every call of a pulumi up and the read-only role every call of a refresh", async () => {
    const s = stacks[name];
    const { steps, unmatched } = stepsOf(s);
    expect(unmatched, `grants that name none of the stack's resources: ${unmatched.join("; ")}`).toEqual([]);
    expect(steps.length).toBeGreaterThan(150);
    const refused: string[] = [];
    const unevaluated: string[] = [];
    for (const step of steps) {
      const roles = step.read
        ? [as(s.deployRoleArn, s.deployPolicy), as(s.readOnlyRoleArn, s.readOnlyPolicy)]
        : [as(s.deployRoleArn, s.deployPolicy)];
      for (const role of roles) {
        const decision = await decide(
          request(role, step.action, step.target, contextOf(step.action, step.target, s)),
        );
        if (decision.startsWith("invalid"))
          unevaluated.push(`${step.action} on ${step.target.arn}: ${decision}`);
        else if (decision !== "Allowed")
          refused.push(`${role.principal}: ${step.action} on ${step.target.arn}: ${decision}`);
      }
    }
    expect(refused, refused.join("\n")).toEqual([]);
    expect(unevaluated, unevaluated.slice(0, 20).join("\n")).toEqual([]);
  });

  it("refuse the read-only role every change the deploy role may make", async () => {
    const s = stacks[name];
    const readActions = new Set(s.readOnlyPolicy.Statement.flatMap(actionList));
    let evaluated = 0;
    const allowed: string[] = [];
    for (const step of stepsOf(s).steps.filter((x) => !x.read && !readActions.has(x.action))) {
      const decision = await decide(
        request(
          as(s.readOnlyRoleArn, s.readOnlyPolicy),
          step.action,
          step.target,
          contextOf(step.action, step.target, s),
        ),
      );
      if (decision.startsWith("invalid")) continue;
      evaluated += 1;
      if (decision === "Allowed") allowed.push(`${step.action} on ${step.target.arn}`);
    }
    expect(evaluated).toBeGreaterThan(60);
    expect(allowed, allowed.join("\n")).toEqual([]);
  });

  it("let the function read and decrypt its settings under its boundary, and write its logs", async () => {
    const s = stacks[name];
    const fn = { principal: s.functionRoleArn, identity: [s.functionRolePolicy], boundary: s.boundaryPolicy };
    const settingsPath = s.parameterArns[0].replace(/\/[^/]+$/, "");
    const lambda = { "lambda:SourceFunctionArn": s.functionArn };
    expect(
      await decide({ ...fn, action: "ssm:GetParametersByPath", resource: settingsPath, context: lambda }),
    ).toBe("Allowed");
    for (const parameter of s.parameterArns) {
      // A customer managed key: only the caller's policy and boundary decide (KMS default key policy).
      expect(await decide(decryptThroughSsm(fn, lambda, parameter)), parameter).toBe("Allowed");
      // Not directly, only through SSM.
      expect(
        await decide({
          ...fn,
          action: "kms:Decrypt",
          resource: SETTINGS_KEY,
          resourcePolicy: KEY_POLICY_DELEGATING_TO_IAM,
          context: { "kms:CallerAccount": ACCOUNT, "kms:EncryptionContext:PARAMETER_ARN": parameter },
        }),
      ).not.toBe("Allowed");
    }
    const ownGroup = s.resources.find((r) => r.name === "endpoint-logs")?.arn ?? "";
    expect(
      await decide({
        ...fn,
        action: "logs:PutLogEvents",
        resource: `${ownGroup}:log-stream:x`,
        context: lambda,
      }),
    ).toBe("Allowed");
  });

  it("keep the function within its boundary whatever policy a deploy gives its role", async () => {
    const s = stacks[name];
    const everything: Document = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    };
    const fn = { principal: s.functionRoleArn, identity: [everything], boundary: s.boundaryPolicy };
    for (const [action, resource] of [
      ["s3:GetObject", "arn:aws:s3:::acme-pulumi-state/.pulumi/stacks/native-web-sso/prod.json"],
      ["lambda:UpdateFunctionCode", s.functionArn],
      ["iam:PutRolePolicy", s.functionRoleArn],
      ["ssm:PutParameter", s.parameterArns[0]],
      ["kms:Decrypt", SETTINGS_KEY],
    ] as const) {
      expect(
        await decide({
          ...fn,
          action,
          resource,
          resourcePolicy: resource.startsWith("arn:aws:kms") ? KEY_POLICY_DELEGATING_TO_IAM : undefined,
        }),
        action,
      ).not.toBe("Allowed");
    }
  });

  it("refuse the deploy role any change of the boundary, or a role policy or boundary past it", async () => {
    const s = stacks[name];
    const deploy = { principal: s.deployRoleArn, identity: [s.deployPolicy] };
    const cases: [string, string, Record<string, string>][] = [
      ["iam:CreatePolicyVersion", s.boundaryArn, {}],
      ["iam:DeletePolicy", s.boundaryArn, {}],
      ["iam:DeletePolicyVersion", s.boundaryArn, {}],
      ["iam:SetDefaultPolicyVersion", s.boundaryArn, {}],
      ["iam:DeleteRolePermissionsBoundary", s.functionRoleArn, {}],
      ["iam:PutRolePermissionsBoundary", s.functionRoleArn, { "iam:PermissionsBoundary": ADMINISTRATOR }],
      ["iam:PutRolePolicy", s.functionRoleArn, {}],
      ["iam:PutRolePolicy", s.functionRoleArn, { "iam:PermissionsBoundary": ADMINISTRATOR }],
      [
        "iam:AttachRolePolicy",
        s.functionRoleArn,
        { "iam:PolicyARN": ADMINISTRATOR, "iam:PermissionsBoundary": s.boundaryArn },
      ],
      [
        "iam:CreateRole",
        `arn:aws:iam::${ACCOUNT}:role/anything-else`,
        { "iam:PermissionsBoundary": s.boundaryArn },
      ],
      ["iam:PassRole", s.deployRoleArn, { "iam:PassedToService": "lambda.amazonaws.com" }],
      ["iam:PutRolePolicy", s.deployRoleArn, { "iam:PermissionsBoundary": s.boundaryArn }],
    ];
    for (const [action, resource, context] of cases) {
      const decision = await decide({ ...deploy, action, resource, context });
      expect(decision, `${action} on ${resource}`).not.toMatch(/^invalid/);
      expect(decision, `${action} on ${resource} ${JSON.stringify(context)}`).not.toBe("Allowed");
    }
  });
});

describe.each(STACKS.flatMap((s) => STACKS.filter((t) => t !== s).map((t) => [s, t] as const)))(
  "in one account, the %s stack against the %s stack",
  (own, other) => {
    it("lets neither its deploy role nor its read-only role touch any resource of the other", async () => {
      const s = stacks[own];
      const t = stacks[other];
      const kinds = new Set<string>();
      const allowed: string[] = [];
      for (const role of [as(s.deployRoleArn, s.deployPolicy), as(s.readOnlyRoleArn, s.readOnlyPolicy)]) {
        const doc = role.identity[0];
        for (const target of t.resources) {
          for (const statement of doc.Statement) {
            // On "*" only what is granted on "*" under a condition (creating with the stack's tag):
            // unconditioned "*" grants are wildcard-only actions (identities-iam-reference), which
            // name no resource of any stack.
            if (target.arn === "*" && !(statement.Condition && resourcesOf(statement).includes("*")))
              continue;
            for (const action of actionList(statement)) {
              const decision = await decide(request(role, action, target, contextOf(action, target, t)));
              if (decision.startsWith("invalid")) continue;
              kinds.add(target.type);
              if (decision === "Allowed") allowed.push(`${role.principal}: ${action} on ${target.arn}`);
            }
          }
        }
      }
      expect(allowed, allowed.join("\n")).toEqual([]);
      // Every kind of the other stack's resources was tried: functions, roles, log groups, APIs,
      // certificates (prod), the bus and rules, the topic, alarms, the dashboard, settings.
      const services = new Set(
        [s.deployPolicy, s.readOnlyPolicy]
          .flatMap((d) => d.Statement.flatMap(actionList))
          .map((a) => a.split(":")[0]),
      );
      for (const type of new Set(
        t.resources.filter((r) => services.has(r.arn.split(":")[2])).map((r) => r.type),
      )) {
        expect([...kinds], type).toContain(type);
      }
    });

    it.each([
      ["its own policy", false],
      ["any policy a deploy gives its role", true],
    ])("lets its function, under %s, read, decrypt and log nothing of the other", async (_, anything) => {
      const s = stacks[own];
      const t = stacks[other];
      const everything: Document = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
      };
      const fn = {
        principal: s.functionRoleArn,
        identity: [anything ? everything : s.functionRolePolicy],
        boundary: s.boundaryPolicy,
      };
      const lambda = { "lambda:SourceFunctionArn": s.functionArn };
      const otherPath = t.parameterArns[0].replace(/\/[^/]+$/, "");
      expect(
        await decide({ ...fn, action: "ssm:GetParametersByPath", resource: otherPath, context: lambda }),
      ).not.toBe("Allowed");
      for (const parameter of t.parameterArns) {
        expect(await decide(decryptThroughSsm(fn, lambda, parameter))).not.toBe("Allowed");
      }
      for (const group of t.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")) {
        expect(
          await decide({ ...fn, action: "logs:PutLogEvents", resource: `${group.arn}:log-stream:x` }),
        ).not.toBe("Allowed");
      }
    });
  },
);
