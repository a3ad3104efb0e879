/**
 * The CI identities' privileges against the main program: every resource type the main stack
 * declares (dev and prod, rendered under mocks) is covered by the read and deploy tables, so a new
 * type cannot ship without its permissions; the deploy role never gets `*` on `*` and uses
 * `Resource: "*"` only where AWS requires it; the read-only identities only read.
 */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { endpointBoundaryPolicy, rolePolicy, type PolicyDocument } from "../identities/policies";
import { AUTH0_PRIVILEGES, auth0DeployScopes, auth0ReadScopes } from "../identities/management-api-scopes";
import {
  AWS_PRIVILEGES,
  endpointBoundaryArn,
  LOCAL_TYPES,
  WILDCARD_ONLY,
  type PrivilegeScope,
} from "../identities/privileges";
import type { ModelResource, StackModel } from "../model/rendered";
import { renderStack } from "../offline/render";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};

const SCOPES: Record<string, PrivilegeScope> = {
  dev: { account: "111111111111", region: "eu-west-1", stack: "dev", project: "native-web-sso" },
  prod: {
    account: "222222222222",
    region: "us-east-1",
    stack: "prod",
    project: "native-web-sso",
    hostedZoneId: "Z04561231ACMECOM0PROD",
  },
};
const BUCKET = "acme-pulumi-state";

/** Everything after the service prefix: `lambda:CreateFunction` → `CreateFunction`. */
const verb = (action: string) => action.slice(action.indexOf(":") + 1);
// kms:Decrypt reads a SecureString value on refresh (through SSM only, for the stack's parameters).
const READ_VERB = /^(Get|List|Describe)[A-Z]|^GET$|^Decrypt$/;
const WRITE_VERB =
  /^(Create|Put|Update|Delete|Tag|Untag|Add|Remove|Set|Attach|Detach|Pass|Publish|Request|Change|Enable|Disable|Subscribe|Unsubscribe|Invoke|Import|Associate|Disassociate)|^(POST|PUT|PATCH|DELETE)$/;

const actionsOf = (doc: PolicyDocument) => doc.Statement.flatMap((s) => s.Action);

/** An IAM ARN pattern as a regular expression (`*` any run of characters, `?` one). */
const globToRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );

/**
 * The ARN AWS gives a rendered resource whose name appears in its ARN: its explicit name, or the
 * name Pulumi's auto-naming makes (`<logical name>-<7 hex>`). Undefined for types named by ID.
 */
function physicalArn(r: ModelResource, s: PrivilegeScope): string | undefined {
  const explicit = (key: string) =>
    typeof r.inputs[key] === "string" ? (r.inputs[key] as string) : undefined;
  const name = (key = "name") => explicit(key) ?? `${r.name}-1a2b3c4`;
  const regional = (service: string, resource: string) =>
    `arn:aws:${service}:${s.region}:${s.account}:${resource}`;
  switch (r.type) {
    case "aws:lambda/function:Function":
      return regional("lambda", `function:${name()}`);
    case "aws:iam/role:Role":
      return `arn:aws:iam::${s.account}:role/${name()}`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return regional("logs", `log-group:${name()}`);
    case "aws:ssm/parameter:Parameter":
      return regional("ssm", `parameter${name()}`);
    case "aws:sns/topic:Topic":
      return regional("sns", name());
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return regional("cloudwatch", `alarm:${name()}`);
    case "aws:cloudwatch/dashboard:Dashboard":
      return `arn:aws:cloudwatch::${s.account}:dashboard/${name("dashboardName")}`;
    case "aws:cloudwatch/eventBus:EventBus":
      return explicit("name") && regional("events", `event-bus/${explicit("name")}`);
    default:
      return undefined;
  }
}

describe.each(["dev", "prod"] as const)("the main program's %s stack", (stack) => {
  let model: StackModel;
  beforeAll(async () => {
    model = await renderStack({ stack, preview: false, loadProgram: load });
  });
  const customTypes = () => [...new Set(model.resources.filter((r) => r.custom).map((r) => r.type))].sort();

  it("declares only resource types the privilege tables cover", () => {
    const types = customTypes();
    expect(types.length).toBeGreaterThan(10);
    const missing = types.filter(
      (t) => !(t in AWS_PRIVILEGES) && !(t in AUTH0_PRIVILEGES) && !LOCAL_TYPES.includes(t),
    );
    expect(
      missing,
      "add these types to identities/privileges.ts (AWS_PRIVILEGES or AUTH0_PRIVILEGES) with their read and deploy actions",
    ).toEqual([]);
  });

  it("gets, for every AWS type it declares, read and deploy actions on ARNs of this stack", () => {
    for (const type of customTypes().filter((t) => t.startsWith("aws:"))) {
      const grants = AWS_PRIVILEGES[type];
      expect(grants.flatMap((g) => g.read).length, type).toBeGreaterThan(0);
      for (const grant of grants) {
        const resources = grant.resources(SCOPES[stack]);
        expect(resources.length, `${type}: no ARN in stack ${stack}`).toBeGreaterThan(0);
        for (const r of resources.filter((x) => x !== "*")) {
          expect(r, type).toMatch(/^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:/);
          const [, , , region, account] = r.split(":");
          expect([SCOPES[stack].region, ""], r).toContain(region);
          expect([SCOPES[stack].account, ""], r).toContain(account);
        }
      }
      const deployPolicy = rolePolicy("deploy", SCOPES[stack], BUCKET);
      for (const action of grants.flatMap((g) => [...g.read, ...g.deploy])) {
        expect(actionsOf(deployPolicy), type).toContain(action);
      }
    }
  });

  it("gets ARN patterns that match the names its resources really get", () => {
    const checked = model.resources.filter((r) => physicalArn(r, SCOPES[stack]) !== undefined);
    expect(checked.length).toBeGreaterThan(5);
    for (const r of checked) {
      const target = physicalArn(r, SCOPES[stack]) as string;
      const service = target.split(":").slice(0, 3).join(":");
      const patterns = AWS_PRIVILEGES[r.type]
        .flatMap((g) => g.resources(SCOPES[stack]))
        .filter((p) => p.startsWith(`${service}:`));
      expect(
        patterns.some((p) => globToRegExp(p).test(target)),
        `${r.urn}: ${target} matches none of ${patterns.join(", ")}`,
      ).toBe(true);
    }
  });

  it("gets a function role whose own policy the permissions boundary fully allows", () => {
    // The role's policy as the stack renders it, on the ARNs its log group and settings really get.
    const rolePolicyResource = model.resources.find(
      (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "endpoint-role-policy",
    );
    const logGroup = model.resources.find((r) => r.name === "endpoint-logs");
    expect(rolePolicyResource && logGroup).toBeTruthy();
    const document = JSON.parse(String(rolePolicyResource?.inputs.policy)) as PolicyDocument;
    expect(document.Statement.flatMap((s) => s.Action).sort()).toEqual([
      "kms:Decrypt",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "ssm:GetParametersByPath",
    ]);
    const logGroupArn = physicalArn(logGroup as ModelResource, SCOPES[stack]) as string;
    const settings = `arn:aws:ssm:${SCOPES[stack].region}:${SCOPES[stack].account}:parameter/native-web-sso/${stack}/web`;
    const real = (resource: string) =>
      resource
        .replace(/^arn:aws:logs:.*:log-group:[^:]+/, logGroupArn)
        .replace(/^arn:aws:ssm:.*:parameter\/.*\/web/, settings)
        .replace(/^arn:aws:kms:[^:]+:\d+:/, `arn:aws:kms:${SCOPES[stack].region}:${SCOPES[stack].account}:`);
    const boundary = endpointBoundaryPolicy(SCOPES[stack]);
    for (const statement of document.Statement) {
      for (const action of statement.Action) {
        for (const resource of statement.Resource.map(real)) {
          const allowed = boundary.Statement.some(
            (b) => b.Action.includes(action) && b.Resource.some((p) => globToRegExp(p).test(resource)),
          );
          expect(allowed, `${action} on ${resource}`).toBe(true);
        }
      }
    }
    // Its settings only with credentials Lambda made for one of the stack's functions.
    const settingsRead = boundary.Statement.find((b) => b.Action.includes("ssm:GetParametersByPath"));
    expect(settingsRead?.Condition).toEqual({
      ArnLike: {
        "lambda:SourceFunctionArn": [
          `arn:aws:lambda:${SCOPES[stack].region}:${SCOPES[stack].account}:function:native-web-sso-${stack}_endpoint`,
          `arn:aws:lambda:${SCOPES[stack].region}:${SCOPES[stack].account}:function:native-web-sso-${stack}_endpoint:*`,
        ],
      },
    });
    const fn = model.resources.find((r) => r.type === "aws:lambda/function:Function");
    const functionArn = physicalArn(fn as ModelResource, SCOPES[stack]) as string;
    const sourceArns = settingsRead?.Condition?.ArnLike["lambda:SourceFunctionArn"] as string[];
    expect(
      sourceArns.some((p) => globToRegExp(p).test(functionArn)),
      functionArn,
    ).toBe(true);
    expect(sourceArns.some((p) => globToRegExp(p).test(`${functionArn}:live`))).toBe(true);
    // And the role gets the boundary in every stack whose CI identities declare it.
    const role = model.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "endpoint-role");
    expect(role?.inputs.permissionsBoundary).toBe(endpointBoundaryArn(SCOPES[stack]));
  });

  it("gets the Management API scopes of every Auth0 type it declares", () => {
    for (const type of customTypes().filter((t) => t.startsWith("auth0:"))) {
      for (const scope of AUTH0_PRIVILEGES[type].read) expect(auth0ReadScopes(), type).toContain(scope);
      for (const scope of [...AUTH0_PRIVILEGES[type].read, ...AUTH0_PRIVILEGES[type].deploy])
        expect(auth0DeployScopes(), type).toContain(scope);
    }
  });
});

describe("the AWS privilege tables", () => {
  it("list only read verbs as read actions, and no read verb twice in a grant", () => {
    for (const [type, grants] of Object.entries(AWS_PRIVILEGES)) {
      for (const grant of grants) {
        for (const action of grant.read) expect(verb(action), `${type}: ${action}`).toMatch(READ_VERB);
        expect(new Set(grant.read).size, type).toBe(grant.read.length);
        expect(new Set(grant.deploy).size, type).toBe(grant.deploy.length);
      }
    }
  });
});

describe.each(["dev", "prod"] as const)("the CI role policies of %s", (stack) => {
  const scope = SCOPES[stack];
  const readOnly = rolePolicy("read-only", scope, BUCKET);
  const deploy = rolePolicy("deploy", scope, BUCKET);

  it.each([
    ["read-only", readOnly],
    ["deploy", deploy],
  ] as const)(
    "%s: no wildcard actions, Resource '*' only for actions AWS scopes to no resource",
    (_, doc) => {
      for (const statement of doc.Statement) {
        for (const action of statement.Action) {
          expect(action, statement.Sid).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
          expect(action).not.toContain("*");
        }
        if (statement.Resource.includes("*")) {
          expect(statement.Resource, statement.Sid).toEqual(["*"]);
          for (const action of statement.Action) expect(Object.keys(WILDCARD_ONLY), action).toContain(action);
        }
        for (const resource of statement.Resource.filter((r) => r !== "*")) {
          expect(resource, statement.Sid).not.toMatch(/^arn:aws:[a-z0-9-]+:\*|:\*:\*$/);
        }
      }
    },
  );

  it("read-only: only Get, List and Describe calls, no write verb anywhere", () => {
    for (const action of actionsOf(readOnly)) {
      expect(verb(action), action).toMatch(READ_VERB);
      expect(verb(action), action).not.toMatch(WRITE_VERB);
    }
    expect(actionsOf(readOnly)).not.toContain("s3:PutObject");
  });

  it("deploy: can change the stack's resources and its state, but not IAM beyond the function's role", () => {
    const actions = actionsOf(deploy);
    for (const needed of ["lambda:CreateFunction", "iam:PutRolePolicy", "ssm:PutParameter", "s3:PutObject"]) {
      expect(actions).toContain(needed);
    }
    for (const statement of deploy.Statement.filter((s) => s.Action.some((a) => a.startsWith("iam:")))) {
      expect(statement.Resource, statement.Sid).toEqual([
        `arn:aws:iam::${scope.account}:role/native-web-sso-${stack}_endpoint`,
      ]);
    }
    const passRole = deploy.Statement.find((s) => s.Action.includes("iam:PassRole"));
    expect(passRole?.Action).toEqual(["iam:PassRole"]);
    expect(passRole?.Condition).toEqual({ StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } });
    // No IAM policy ARN, user or OIDC provider: the role cannot widen itself or others.
    expect(
      actions.filter((a) =>
        /^iam:(Attach|CreatePolicy|CreateUser|CreateOpenID|PutUserPolicy|DeleteRolePermissionsBoundary)/.test(
          a,
        ),
      ),
    ).toEqual([]);
    // Nothing IAM reaches the boundary policy (Resource "*" statements hold no IAM action).
    for (const statement of deploy.Statement) {
      if (statement.Resource.some((r) => globToRegExp(r).test(endpointBoundaryArn(scope)))) {
        expect(
          statement.Action.filter((a) => a.startsWith("iam:")),
          statement.Sid,
        ).toEqual([]);
      }
    }
  });

  it("deploy: gives the function's role a policy or a boundary only while its boundary is the endpoint's", () => {
    const bounded = { StringEquals: { "iam:PermissionsBoundary": endpointBoundaryArn(scope) } };
    for (const action of [
      "iam:CreateRole",
      "iam:PutRolePolicy",
      "iam:DeleteRolePolicy",
      "iam:PutRolePermissionsBoundary",
    ]) {
      const statements = deploy.Statement.filter((s) => s.Action.includes(action));
      expect(statements, action).toHaveLength(1);
      expect(statements[0].Condition, action).toEqual(bounded);
    }
  });

  it("reads the SSM settings of this stack only", () => {
    const ssm = readOnly.Statement.filter((s) => s.Action.includes("ssm:GetParameter"));
    expect(ssm.flatMap((s) => s.Resource)).toEqual([
      `arn:aws:ssm:${scope.region}:${scope.account}:parameter/native-web-sso/${stack}/*`,
    ]);
  });

  it("reads this stack's state in the backend; only deploy writes it, and its lock", () => {
    const state = (doc: PolicyDocument) =>
      doc.Statement.filter((s) => s.Action.some((a) => a.startsWith("s3:")));
    const checkpoint = `arn:aws:s3:::${BUCKET}/.pulumi/stacks/native-web-sso/${stack}.json*`;
    expect(state(readOnly).flatMap((s) => s.Resource)).toEqual([
      `arn:aws:s3:::${BUCKET}`,
      `arn:aws:s3:::${BUCKET}/.pulumi/meta.yaml`,
      checkpoint,
    ]);
    const writes = state(deploy).filter((s) => s.Action.includes("s3:PutObject"));
    expect(writes.flatMap((s) => s.Resource)).toContain(checkpoint);
    expect(writes.flatMap((s) => s.Resource)).toContain(
      `arn:aws:s3:::${BUCKET}/.pulumi/locks/organization/native-web-sso/${stack}/*`,
    );
    for (const r of writes.flatMap((s) => s.Resource)) expect(r).toContain(`native-web-sso/${stack}`);
  });

  it("fits IAM's inline role policy limit (10,240 characters) with unique statement IDs", () => {
    for (const doc of [readOnly, deploy]) {
      expect(JSON.stringify(doc).length).toBeLessThan(10_240);
      const sids = doc.Statement.map((s) => s.Sid);
      expect(new Set(sids).size).toBe(sids.length);
      for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9]+$/);
    }
  });
});

describe("the Auth0 Management API scopes", () => {
  it("for previews and drift checks are read scopes only", () => {
    expect(auth0ReadScopes().length).toBeGreaterThan(0);
    for (const scope of auth0ReadScopes()) expect(scope).toMatch(/^read:[a-z_]+$/);
  });

  it("for deploys are exactly the scopes the README's prerequisites list, log stream scopes included", () => {
    const readme = readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");
    const prerequisites = /## Prerequisites\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
    const listed = [...prerequisites.matchAll(/`([^`]+)`/g)]
      .flatMap((m) => m[1].split(/\s+/))
      .filter((word) => /^(read|create|update|delete):[a-z_]+$/.test(word));
    expect([...new Set(listed)].sort()).toEqual(auth0DeployScopes());
    expect(auth0DeployScopes()).toEqual(
      expect.arrayContaining([
        "read:log_streams",
        "create:log_streams",
        "update:log_streams",
        "delete:log_streams",
      ]),
    );
    for (const scope of auth0DeployScopes()) expect(scope).toMatch(/^(read|create|update|delete):[a-z_]+$/);
  });
});
