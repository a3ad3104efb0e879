/**
 * The identities program's configuration: every bad value stops the run naming the key, the value
 * and the fix; `identities/Pulumi.yaml` documents exactly the keys the code reads; and each
 * identities stack points at the same tenant, region and zone as the main stack it serves.
 */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigError } from "../components/config";
import {
  IDENTITIES_DEFAULTS,
  IDENTITIES_KEYS,
  IDENTITIES_PROJECT,
  parseIdentitiesConfig,
} from "../identities/config";
import { listStacks, readStackConfig } from "../offline/render";

const IDENTITIES_DIR = path.resolve(__dirname, "..", "identities");
const ns = (key: string) => `${IDENTITIES_PROJECT}:${key}`;

const VALID = {
  "auth0:domain": "acme-dev.eu.auth0.com",
  "aws:region": "eu-west-1",
  [ns("githubRepository")]: "acme/native-web-sso",
  [ns("awsAccountId")]: "111111111111",
  [ns("stateBucket")]: "acme-pulumi-state",
};

function problemsOf(raw: Record<string, string | undefined>): ConfigError {
  try {
    parseIdentitiesConfig("dev", raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("parseIdentitiesConfig", () => {
  it("reads a valid configuration, defaults filled in", () => {
    expect(parseIdentitiesConfig("dev", VALID)).toEqual({
      stack: "dev",
      githubRepository: "acme/native-web-sso",
      awsAccountId: "111111111111",
      awsRegion: "eu-west-1",
      auth0Domain: "acme-dev.eu.auth0.com",
      stateBucket: "acme-pulumi-state",
      createGithubOidcProvider: true,
      webHostedZoneId: undefined,
    });
  });

  it.each([
    ["githubRepository", "https://github.com/acme/native-web-sso", "owner/name"],
    ["githubRepository", "acme/*", "owner/name"],
    ["githubRepository", undefined, "owner/name"],
    ["awsAccountId", "1234", "12-digit"],
    ["awsAccountId", undefined, "12-digit"],
    ["stateBucket", "s3://acme-pulumi-state", "without s3://"],
    ["stateBucket", "Acme_State", "without s3://"],
    ["createGithubOidcProvider", "yes", "true or false"],
    ["webHostedZoneId", "sso.acme.com", "hosted zone ID"],
  ])("refuses %s = %j, naming the key, the value and the fix", (key, value, expected) => {
    const error = problemsOf({ ...VALID, [ns(key)]: value });
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem.key).toBe(ns(key));
    expect(problem.found).toBe(JSON.stringify(value) ?? "undefined");
    expect(problem.expected).toContain(expected);
    expect(problem.fix).toMatch(new RegExp(`^pulumi -C identities config set --stack dev ${ns(key)} \\S+$`));
    expect(error.message).toContain(
      `${ns(key)}: got ${problem.found}; ${problem.expected}. Fix: ${problem.fix}`,
    );
  });

  it.each([
    ["aws:region", "Ireland"],
    ["aws:region", undefined],
    ["auth0:domain", "https://acme-dev.eu.auth0.com"],
    ["auth0:domain", undefined],
  ])("refuses provider key %s = %j with the fix", (key, value) => {
    const error = problemsOf({ ...VALID, [key]: value });
    expect(error.problems.map((p) => p.key)).toEqual([key]);
    expect(error.problems[0].fix).toMatch(
      new RegExp(`^pulumi -C identities config set --stack dev ${key} \\S+$`),
    );
  });

  it("reports every bad value at once, and unknown keys of its namespace", () => {
    const error = problemsOf({
      ...VALID,
      [ns("awsAccountId")]: "abc",
      [ns("stateBucket")]: "",
      [ns("githubRepo")]: "acme/native-web-sso",
    });
    expect(error.problems.map((p) => p.key)).toEqual([
      ns("awsAccountId"),
      ns("stateBucket"),
      ns("githubRepo"),
    ]);
    expect(error.problems[2].expected).toContain("unknown key");
    expect(error.problems[2].fix).toBe(`pulumi -C identities config rm --stack dev ${ns("githubRepo")}`);
  });

  it.each(["dev_eu", "Dev", "dev.eu", "dev--eu", "-dev", "a".repeat(20)])(
    "refuses the stack name %s, which would break the per-stack AWS names",
    (stack) => {
      let error: unknown;
      try {
        parseIdentitiesConfig(stack, VALID);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.map((p) => p.key)).toEqual(["stack"]);
      expect(problems[0].expected).toContain(`stack name "${stack}"`);
    },
  );

  it("accepts the longest stack name every AWS name still fits", () => {
    expect(parseIdentitiesConfig("a".repeat(19), VALID).stack).toBe("a".repeat(19));
  });

  it("ignores the main program's namespace (a different project)", () => {
    expect(() =>
      parseIdentitiesConfig("dev", { ...VALID, "native-web-sso:production": "false" }),
    ).not.toThrow();
  });
});

describe("identities/Pulumi.yaml", () => {
  const project = parse(readFileSync(path.join(IDENTITIES_DIR, "Pulumi.yaml"), "utf8")) as {
    name: string;
    main: string;
    runtime: { name: string; options: { typescript: boolean } };
    config: Record<string, { type: string; default?: unknown; description: string }>;
  };

  it("is its own project, a TypeScript program whose entry point is its own index.ts", () => {
    expect(project.name).toBe(IDENTITIES_PROJECT);
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true } });
    // Without `main` the language host would fall back to the root package.json's main program.
    expect(project.main).toBe("index.ts");
    expect(readFileSync(path.join(IDENTITIES_DIR, project.main), "utf8")).toContain("loadIdentitiesConfig");
  });

  it("documents exactly the keys the code reads, with the code's defaults", () => {
    expect(Object.keys(project.config).sort()).toEqual([...IDENTITIES_KEYS].sort());
    for (const key of IDENTITIES_KEYS) {
      expect(project.config[key].description.length, key).toBeGreaterThan(20);
      const fallback = (IDENTITIES_DEFAULTS as Record<string, unknown>)[key];
      expect(project.config[key].default, key).toEqual(fallback);
    }
  });
});

describe.each(listStacks(IDENTITIES_DIR))("identities stack %s", (stack) => {
  it("serves a main stack of the same name, on its tenant, region and custom domain zone", () => {
    expect(
      listStacks(),
      `identities/Pulumi.${stack}.yaml serves no main stack: add Pulumi.${stack}.yaml or remove it`,
    ).toContain(stack);
    const identities = readStackConfig(stack, IDENTITIES_DIR).config;
    const main = readStackConfig(stack).config;
    const cfg = parseIdentitiesConfig(stack, identities);
    expect(cfg.auth0Domain).toBe(main["auth0:domain"]);
    expect(cfg.awsRegion).toBe(main["aws:region"]);
    expect(cfg.webHostedZoneId).toBe(main["native-web-sso:webHostedZoneId"] || undefined);
  });

  it("lets the AWS provider run only with credentials of the stack's account", () => {
    const identities = readStackConfig(stack, IDENTITIES_DIR).config;
    expect(JSON.parse(identities["aws:allowedAccountIds"])).toEqual([identities[ns("awsAccountId")]]);
  });
});

it("there is an identities stack for every main stack", () => {
  const identities = listStacks(IDENTITIES_DIR);
  for (const stack of listStacks()) {
    expect(
      identities,
      `stack ${stack} has no CI identities: add identities/Pulumi.${stack}.yaml (README, "Add an environment")`,
    ).toContain(stack);
  }
});
