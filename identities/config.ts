import * as pulumi from "@pulumi/pulumi";
import { hostProblem, PROJECT, type RawConfig } from "../components/config";
import { ProblemCollector } from "../components/config/problems";
import { stackNameProblem } from "../model/aws-names";

/** This program's project name: the namespace of its own config keys. */
export const IDENTITIES_PROJECT = "native-web-sso-identities";

/** Every key of this program's namespace; a test checks that "identities/Pulumi.yaml" declares exactly these. */
export const IDENTITIES_KEYS = [
  "githubRepository",
  "awsAccountId",
  "stateBucket",
  "createGithubOidcProvider",
  "webHostedZoneId",
] as const;

/** One key of this program's namespace. */
export type IdentitiesKey = (typeof IDENTITIES_KEYS)[number];

/** Defaults of the optional keys, as the CLI fills them from "identities/Pulumi.yaml"; the others are required. */
export const IDENTITIES_DEFAULTS = {
  createGithubOidcProvider: true,
  webHostedZoneId: "",
} as const satisfies Partial<Record<IdentitiesKey, string | boolean>>;

/** The validated configuration of one environment's identities. */
export interface IdentitiesConfig {
  /** The main program's stack these identities serve; also this stack's name. */
  readonly stack: string;
  /** "owner/name" of the GitHub repository whose workflows may assume the roles. */
  readonly githubRepository: string;
  /** The AWS account the main stack deploys into (scopes every ARN). */
  readonly awsAccountId: string;
  /** The AWS region of the main stack ("aws:region"). */
  readonly awsRegion: string;
  /** The Auth0 tenant domain ("auth0:domain"); its Management API is "https://<domain>/api/v2/". */
  readonly auth0Domain: string;
  /** The S3 bucket of the Pulumi backend that holds the main stack's state. */
  readonly stateBucket: string;
  /** Declare GitHub's OIDC provider in the account (once per account: false for the second stack there). */
  readonly createGithubOidcProvider: boolean;
  /** The Route 53 zone of the web app's custom domain, if the main stack has one. */
  readonly webHostedZoneId?: string;
}

const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const AWS_ACCOUNT_ID = /^\d{12}$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// S3 bucket naming rules: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending
// with a letter or digit.
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/**
 * Parses and validates the identities stack's raw configuration. Pure: no Pulumi runtime needed.
 * @throws ConfigError listing every bad value, each with its key, the value and the fix.
 */
export function parseIdentitiesConfig(stack: string, raw: RawConfig): IdentitiesConfig {
  const problems = new ProblemCollector();
  const own = (key: IdentitiesKey) => raw[`${IDENTITIES_PROJECT}:${key}`]?.trim();
  const set = (key: string, example: string) =>
    `pulumi -C identities config set --stack ${stack} ${key} ${example}`;
  const fix = (key: IdentitiesKey, example: string) => set(`${IDENTITIES_PROJECT}:${key}`, example);

  // The roles and the boundary are scoped to the main stack's names, which carry this stack name.
  const stackIssue = stackNameProblem(PROJECT, stack);
  if (stackIssue) {
    problems.add(
      "stack",
      stack,
      `${stackIssue} (this stack's name is the main stack's)`,
      "pulumi -C identities stack init <main stack name>",
    );
  }

  const githubRepository = own("githubRepository") ?? "";
  if (!GITHUB_REPOSITORY.test(githubRepository)) {
    problems.add(
      `${IDENTITIES_PROJECT}:githubRepository`,
      githubRepository || undefined,
      "expected the repository as owner/name, exactly as in its URL (the roles trust only its workflows)",
      fix("githubRepository", "acme/native-web-sso"),
    );
  }

  const awsAccountId = own("awsAccountId") ?? "";
  if (!AWS_ACCOUNT_ID.test(awsAccountId)) {
    problems.add(
      `${IDENTITIES_PROJECT}:awsAccountId`,
      awsAccountId || undefined,
      "expected the 12-digit ID of the AWS account the stack deploys into (aws sts get-caller-identity prints it)",
      fix("awsAccountId", "123456789012"),
    );
  }

  const awsRegion = (raw["aws:region"] ?? "").trim();
  if (!AWS_REGION.test(awsRegion)) {
    problems.add(
      "aws:region",
      awsRegion || undefined,
      "expected the main stack's region, e.g. eu-west-1 (the roles are scoped to it)",
      set("aws:region", "eu-west-1"),
    );
  }

  const auth0Domain = (raw["auth0:domain"] ?? "").trim();
  const hostIssue = auth0Domain === "" ? "the Auth0 tenant domain is required" : hostProblem(auth0Domain);
  if (hostIssue) {
    problems.add(
      "auth0:domain",
      auth0Domain || undefined,
      `${hostIssue} (the tenant domain, not a custom domain: the Management API lives there)`,
      set("auth0:domain", "<tenant>.<region>.auth0.com"),
    );
  }

  const stateBucket = own("stateBucket") ?? "";
  if (!S3_BUCKET.test(stateBucket) || stateBucket.includes("..")) {
    problems.add(
      `${IDENTITIES_PROJECT}:stateBucket`,
      stateBucket || undefined,
      "expected the name of the S3 bucket of the Pulumi backend (s3://<name>), without s3:// or a path",
      fix("stateBucket", "acme-pulumi-state"),
    );
  }

  let createGithubOidcProvider: boolean = IDENTITIES_DEFAULTS.createGithubOidcProvider;
  const createRaw = own("createGithubOidcProvider");
  if (createRaw === "true" || createRaw === "false") createGithubOidcProvider = createRaw === "true";
  else if (createRaw !== undefined) {
    problems.add(
      `${IDENTITIES_PROJECT}:createGithubOidcProvider`,
      createRaw,
      "expected true or false (false when another stack already declared GitHub's OIDC provider in this account)",
      fix("createGithubOidcProvider", "false"),
    );
  }

  const zone = own("webHostedZoneId") ?? "";
  if (zone !== "" && !HOSTED_ZONE_ID.test(zone)) {
    problems.add(
      `${IDENTITIES_PROJECT}:webHostedZoneId`,
      zone,
      "expected the Route 53 hosted zone ID of the web app's custom domain (native-web-sso:webHostedZoneId of the main stack), or leave it unset",
      fix("webHostedZoneId", "Z0123456789ABCDEFGHIJ"),
    );
  }

  for (const key of Object.keys(raw)) {
    if (
      key.startsWith(`${IDENTITIES_PROJECT}:`) &&
      !(IDENTITIES_KEYS as readonly string[]).includes(key.slice(IDENTITIES_PROJECT.length + 1))
    ) {
      problems.add(
        key,
        raw[key],
        `unknown key; expected one of ${IDENTITIES_KEYS.join(", ")} (a typo here would be silently ignored)`,
        `pulumi -C identities config rm --stack ${stack} ${key}`,
      );
    }
  }

  problems.throwIfAny(stack);
  return {
    stack,
    githubRepository,
    awsAccountId,
    awsRegion,
    auth0Domain,
    stateBucket,
    createGithubOidcProvider,
    webHostedZoneId: zone === "" ? undefined : zone,
  };
}

/** Reads and validates the running identities stack's configuration through the Pulumi runtime. */
export function loadIdentitiesConfig(): IdentitiesConfig {
  const raw: Record<string, string | undefined> = {};
  const own = new pulumi.Config(IDENTITIES_PROJECT);
  for (const key of IDENTITIES_KEYS) raw[`${IDENTITIES_PROJECT}:${key}`] = own.get(key);
  raw["aws:region"] = new pulumi.Config("aws").get("region");
  raw["auth0:domain"] = new pulumi.Config("auth0").get("domain");
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(`${IDENTITIES_PROJECT}:`) && !(key in raw)) raw[key] = value;
  }
  return parseIdentitiesConfig(pulumi.getStack(), raw);
}
