import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../components/config";
import { CiRole } from "./ci-role";
import { EndpointBoundary } from "./endpoint-boundary";
import { loadIdentitiesConfig } from "./config";
import { accessOf, environmentName, PURPOSES, type Access } from "./environments";
import { GithubOidcTrust } from "./github-oidc-trust";
import { ManagementApiClient } from "./management-api-client";
import { auth0DeployScopes, auth0ReadScopes } from "./management-api-scopes";
import { environmentSubject } from "./policies";
import type { PrivilegeScope } from "./privileges";

// The CI identities of one environment of the main stack (this stack's name is that stack's name):
// a read-only and a deploy identity, each an AWS role plus an Auth0 Management API application.
// Validate every value first: a bad one stops the run before anything is declared.
const cfg = loadIdentitiesConfig();
const scope: PrivilegeScope = {
  account: cfg.awsAccountId,
  region: cfg.awsRegion,
  stack: cfg.stack,
  project: PROJECT,
  hostedZoneId: cfg.webHostedZoneId,
};
const environmentsOf = (access: Access) =>
  PURPOSES.filter((p) => accessOf(p) === access).map((p) => environmentName(cfg.stack, p));

// Logical names are pinned by a test: a renamed Auth0 client is a new client with a new ID.
const github = new GithubOidcTrust("github", {
  account: cfg.awsAccountId,
  createProvider: cfg.createGithubOidcProvider,
});

// Declared here, not in the main stack: the deploy role may not change it.
const boundary = new EndpointBoundary("endpoint-boundary", { scope });

const roles = {} as Record<Access, CiRole>;
const clients = {} as Record<Access, ManagementApiClient>;
for (const access of ["read-only", "deploy"] as const) {
  roles[access] = new CiRole(access, {
    access,
    roleName: `${PROJECT}-${cfg.stack}-ci-${access}`,
    repository: cfg.githubRepository,
    environments: environmentsOf(access),
    scope,
    stateBucket: cfg.stateBucket,
    providerArn: github.providerArn,
  });
  clients[access] = new ManagementApiClient(`${access}-management-api`, {
    clientName: `Native Web SSO CI ${access} (${cfg.stack})`,
    tenantDomain: cfg.auth0Domain,
    scopes: access === "deploy" ? auth0DeployScopes() : auth0ReadScopes(),
  });
}

const perEnvironment = <T>(value: (access: Access) => T): Record<string, T> =>
  Object.fromEntries(PURPOSES.map((p) => [environmentName(cfg.stack, p), value(accessOf(p))]));

/**
 * What to paste into each GitHub environment of this stack, by environment name, as environment
 * secrets of these names (`pulumi -C identities stack output githubEnvironments --stack <stack>`).
 */
export const githubEnvironments = perEnvironment((access) => ({
  AWS_ROLE_ARN: roles[access].arn,
  AUTH0_CLIENT_ID: clients[access].clientId,
}));
/** The third secret of each environment, AUTH0_CLIENT_SECRET (`--show-secrets`). */
export const githubEnvironmentSecrets = pulumi.secret(
  perEnvironment((access) => ({ AUTH0_CLIENT_SECRET: clients[access].clientSecret })),
);
/** The `sub` claims each role trusts. */
export const trustedSubjects = {
  readOnly: environmentsOf("read-only").map((e) => environmentSubject(cfg.githubRepository, e)),
  deploy: environmentsOf("deploy").map((e) => environmentSubject(cfg.githubRepository, e)),
};
/** The Management API scopes of the two applications. */
export const managementApiScopes = { readOnly: auth0ReadScopes(), deploy: auth0DeployScopes() };
/**
 * The main stack's `endpointPermissionsBoundary` (`pulumi config set endpointPermissionsBoundary
 * "$(pulumi -C identities stack output endpointPermissionsBoundaryArn --stack <stack>)"`): without
 * it on the function's role, the deploy role may not create the role or write its policy.
 */
export const endpointPermissionsBoundaryArn = boundary.arn;
/** GitHub's OIDC provider in the account. */
export const githubOidcProviderArn = github.providerArn;
/** The Auth0 tenant these applications belong to. */
export const auth0TenantDomain = cfg.auth0Domain;
