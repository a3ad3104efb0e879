/**
 * The identities program for every stack under the Pulumi runtime's mocks: pinned logical names,
 * trust scoped to this repository's environments (deploy: only the deploy environment), Auth0
 * machine-to-machine applications with their grants, and outputs ready for the GitHub environments.
 */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../components/config";
import { IDENTITIES_PROJECT } from "../identities/config";
import { ENVIRONMENT_SECRETS, environmentName, PURPOSES } from "../identities/environments";
import type { TrustPolicy } from "../identities/policies";
import { auth0DeployScopes, auth0ReadScopes } from "../identities/management-api-scopes";
import { isSecret, resourcesOf, reveal, type StackModel } from "../model/rendered";
import { listStacks, readStackConfig, renderStack, type RenderOptions } from "../offline/render";
import { onlyResource } from "../testkit/model";

const IDENTITIES_DIR = path.resolve(__dirname, "..", "identities");
const load = async () => {
  vi.resetModules();
  return (await import("../identities/index")) as Record<string, unknown>;
};
const render = (opts: Omit<RenderOptions, "loadProgram" | "projectDir">) =>
  renderStack({ ...opts, projectDir: IDENTITIES_DIR, loadProgram: load });

/** Logical names and type chains, pinned: a renamed Auth0 client is a new client with a new ID. */
const URNS = [
  "native-web-sso-identities:github:OidcTrust::github",
  "native-web-sso-identities:github:OidcTrust$aws:iam/openIdConnectProvider:OpenIdConnectProvider::github-oidc-provider",
  "native-web-sso-identities:aws:EndpointBoundary::endpoint-boundary",
  "native-web-sso-identities:aws:EndpointBoundary$aws:iam/policy:Policy::endpoint-boundary-policy",
  "native-web-sso-identities:aws:CiRole::read-only",
  "native-web-sso-identities:aws:CiRole$aws:iam/role:Role::read-only-role",
  "native-web-sso-identities:aws:CiRole$aws:iam/rolePolicy:RolePolicy::read-only-role-policy",
  "native-web-sso-identities:aws:CiRole::deploy",
  "native-web-sso-identities:aws:CiRole$aws:iam/role:Role::deploy-role",
  "native-web-sso-identities:aws:CiRole$aws:iam/rolePolicy:RolePolicy::deploy-role-policy",
  "native-web-sso-identities:auth0:ManagementApiClient::read-only-management-api",
  "native-web-sso-identities:auth0:ManagementApiClient$auth0:index/client:Client::read-only-management-api-client",
  "native-web-sso-identities:auth0:ManagementApiClient$auth0:index/clientCredentials:ClientCredentials::read-only-management-api-credentials",
  "native-web-sso-identities:auth0:ManagementApiClient$auth0:index/clientGrant:ClientGrant::read-only-management-api-grant",
  "native-web-sso-identities:auth0:ManagementApiClient::deploy-management-api",
  "native-web-sso-identities:auth0:ManagementApiClient$auth0:index/client:Client::deploy-management-api-client",
  "native-web-sso-identities:auth0:ManagementApiClient$auth0:index/clientCredentials:ClientCredentials::deploy-management-api-credentials",
  "native-web-sso-identities:auth0:ManagementApiClient$auth0:index/clientGrant:ClientGrant::deploy-management-api-grant",
];

const shortUrn = (urn: string) => urn.split("::").slice(2).join("::");
const trustOf = (model: StackModel, role: string) =>
  JSON.parse(String(onlyResource(model, "aws:iam/role:Role", role).inputs.assumeRolePolicy)) as TrustPolicy;

describe.each(listStacks(IDENTITIES_DIR))("the identities program for %s", (stack) => {
  const config = readStackConfig(stack, IDENTITIES_DIR).config;
  const repository = config[`${IDENTITIES_PROJECT}:githubRepository`];
  const account = config[`${IDENTITIES_PROJECT}:awsAccountId`];
  const tenant = config["auth0:domain"];
  let model: StackModel;
  beforeAll(async () => {
    model = await render({ stack, preview: false });
  });

  it("declares the full set of resources under pinned logical names", () => {
    expect(model.resources.map((r) => shortUrn(r.urn)).sort()).toEqual([...URNS].sort());
  });

  it("declares GitHub's OIDC provider with the audience of aws-actions/configure-aws-credentials", () => {
    const provider = onlyResource(model, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(provider.inputs.url).toBe("https://token.actions.githubusercontent.com");
    expect(provider.inputs.clientIdLists).toEqual(["sts.amazonaws.com"]);
  });

  it.each([
    ["read-only-role", ["drift", "preview"]],
    ["deploy-role", ["deploy"]],
  ] as const)(
    "lets %s be assumed only from this repository's %j environments of the stack",
    (role, purposes) => {
      const trust = trustOf(model, role);
      expect(trust.Statement).toHaveLength(1);
      const [statement] = trust.Statement;
      expect(statement.Effect).toBe("Allow");
      expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
      expect(statement.Principal).toEqual({
        Federated: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`,
      });
      // StringEquals only: no StringLike, so no wildcard can widen the subjects.
      expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
      expect(statement.Condition.StringEquals).toEqual({
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": purposes.map(
          (p) => `repo:${repository}:environment:${stack}-${p}`,
        ),
      });
    },
  );

  it("declares the function role's permissions boundary under the name the deploy role's conditions use", () => {
    const policy = onlyResource(model, "aws:iam/policy:Policy", "endpoint-boundary-policy");
    expect(policy.inputs.name).toBe(`native-web-sso-${stack}-endpoint-boundary`);
    const document = JSON.parse(String(policy.inputs.policy)) as { Statement: { Action: string[] }[] };
    expect(document.Statement.flatMap((s) => s.Action).sort()).toEqual([
      "kms:Decrypt",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "ssm:GetParametersByPath",
    ]);
    expect(model.outputs).toHaveProperty("endpointPermissionsBoundaryArn");
  });

  it("names the roles outside the names the deploy role may manage", () => {
    for (const role of ["read-only-role", "deploy-role"]) {
      const name = String(onlyResource(model, "aws:iam/role:Role", role).inputs.name);
      expect(name).toMatch(new RegExp(`^native-web-sso-${stack}-ci-`));
      // The function role is native-web-sso-<stack>_endpoint: "_" ends every main-stack name.
      expect(name).not.toContain("_");
    }
  });

  it.each([
    ["read-only-management-api", auth0ReadScopes()],
    ["deploy-management-api", auth0DeployScopes()],
  ])(
    "makes %s a machine-to-machine application granted exactly its Management API scopes",
    (name, scopes) => {
      const client = onlyResource(model, "auth0:index/client:Client", `${name}-client`);
      expect(client.inputs).toMatchObject({ appType: "non_interactive", grantTypes: ["client_credentials"] });
      expect(String(client.inputs.name)).toContain(`(${stack})`);
      const grant = onlyResource(model, "auth0:index/clientGrant:ClientGrant", `${name}-grant`);
      expect(grant.inputs).toMatchObject({
        audience: `https://${tenant}/api/v2/`,
        scopes,
        subjectType: "client",
      });
      expect(grant.dependsOn).toContain(client.urn);
      const credentials = onlyResource(
        model,
        "auth0:index/clientCredentials:ClientCredentials",
        `${name}-credentials`,
      );
      expect(credentials.additionalSecretOutputs).toContain("clientSecret");
    },
  );

  it("outputs, per GitHub environment of the stack, the role ARN and client ID, and the client secret as a secret", () => {
    const names = PURPOSES.map((p) => environmentName(stack, p)).sort();
    expect(isSecret(model.outputs.githubEnvironments)).toBe(false);
    const environments = model.outputs.githubEnvironments as Record<string, Record<string, string>>;
    expect(Object.keys(environments).sort()).toEqual(names);
    const secretOutput = model.outputs.githubEnvironmentSecrets;
    expect(isSecret(secretOutput)).toBe(true);
    const secrets = reveal(secretOutput) as Record<string, Record<string, string>>;
    expect(Object.keys(secrets).sort()).toEqual(names);
    for (const env of names) {
      expect(Object.keys(environments[env]).sort(), env).toEqual(["AUTH0_CLIENT_ID", "AWS_ROLE_ARN"]);
      expect(Object.keys(secrets[env]), env).toEqual(["AUTH0_CLIENT_SECRET"]);
    }
    // Each role's ARN carries the name the program gives it.
    const roleArn = (logical: string) =>
      `arn:aws:iam::123456789012:role/${String(onlyResource(model, "aws:iam/role:Role", logical).inputs.name)}`;
    expect(environments[`${stack}-deploy`].AWS_ROLE_ARN).toBe(roleArn("deploy-role"));
    expect(environments[`${stack}-preview`].AWS_ROLE_ARN).toBe(roleArn("read-only-role"));
    expect(environments[`${stack}-drift`]).toEqual(environments[`${stack}-preview`]);
    expect(environments[`${stack}-deploy`].AUTH0_CLIENT_ID).not.toBe(
      environments[`${stack}-preview`].AUTH0_CLIENT_ID,
    );
    expect(secrets[`${stack}-deploy`].AUTH0_CLIENT_SECRET).toMatch(/^mock-secret-/);
    expect(secrets[`${stack}-deploy`]).not.toEqual(secrets[`${stack}-preview`]);
    expect(secrets[`${stack}-drift`]).toEqual(secrets[`${stack}-preview`]);
  });
});

describe.each(listStacks(IDENTITIES_DIR))("the README's one-time set-up, for %s", (stack) => {
  const readme = readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");
  let model: StackModel;
  beforeAll(async () => {
    model = await render({ stack, preview: false });
  });

  it("reads only outputs the identities program has, and pastes exactly the environments' secrets", () => {
    const read = [...readme.matchAll(/pulumi -C identities stack output (\w+)/g)].map((m) => m[1]);
    expect(new Set(read)).toEqual(
      new Set(["endpointPermissionsBoundaryArn", "githubEnvironments", "githubEnvironmentSecrets"]),
    );
    for (const output of read) expect(model.outputs[output], output).not.toBeUndefined();
    // The outputs give three of the five secrets; the README names the backend's two.
    const environments = model.outputs.githubEnvironments as Record<string, Record<string, string>>;
    const secrets = reveal(model.outputs.githubEnvironmentSecrets) as Record<string, Record<string, string>>;
    const env = environmentName(stack, "preview");
    const fromOutputs = [...Object.keys(environments[env]), ...Object.keys(secrets[env])];
    const fromBackend = ENVIRONMENT_SECRETS.filter((k) => !fromOutputs.includes(k));
    expect([...fromOutputs, ...fromBackend].sort()).toEqual([...ENVIRONMENT_SECRETS].sort());
    for (const k of fromBackend) expect(readme).toContain(`gh secret set ${k} --env dev-preview`);
    // The example role ARN the README pastes is the read-only role's name for dev.
    const example = /role\/(native-web-sso-dev-ci-[a-z-]+)/.exec(readme)?.[1];
    expect(example, "the README pastes an example read-only role ARN").toBeDefined();
    const ownExample = String(example).replace("-dev-", `-${stack}-`);
    expect(environments[env].AWS_ROLE_ARN.endsWith(`:role/${ownExample}`), ownExample).toBe(true);
  });
});

describe("configuration", () => {
  it("leaves GitHub's OIDC provider out when another stack declared it in the account", async () => {
    const model = await render({
      stack: "dev",
      preview: false,
      configOverrides: { [`${IDENTITIES_PROJECT}:createGithubOidcProvider`]: "false" },
    });
    expect(resourcesOf(model, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toEqual([]);
    expect(trustOf(model, "deploy-role").Statement[0].Principal.Federated).toBe(
      "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
    );
  });

  it("stops on a bad value before anything is declared", async () => {
    await expect(
      render({ stack: "prod", configOverrides: { [`${IDENTITIES_PROJECT}:awsAccountId`]: "prod" } }),
    ).rejects.toMatchObject({
      // The program is loaded afresh, so its ConfigError is another instance of the class.
      name: ConfigError.name,
      message: expect.stringContaining(`${IDENTITIES_PROJECT}:awsAccountId: got "prod"`),
    });
  });
});
