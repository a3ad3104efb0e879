/**
 * The slips a new team makes in a stack file, each refused before anything is declared with its
 * key, its value and the `pulumi config` fix, all in one run: on the offline preview's path (the
 * stack file read from disk, the program run under the mocks) and on the real CLI's (the program
 * started with the configuration in `PULUMI_CONFIG`, as the Pulumi CLI hands it over).
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import {
  auth0EventBridgeRegions,
  AWS_REGIONS,
  ConfigError,
  CREDENTIAL_KEYS,
  providerKeys,
} from "../components/config";
import { PROJECT_DIR, readStackConfig, renderStack } from "../offline/render";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};

/** dev's stack file, as a team copies it for a new environment. */
const DEV = (
  parseYaml(readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  }
).config;

const dir = mkdtempSync(path.join(tmpdir(), "nws-slips-"));
copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Writes `Pulumi.<stack>.yaml` with dev's config changed (`undefined` removes a key); its stack name. */
function stackFile(changes: Record<string, unknown>): string {
  const stack = `slip${++files}`;
  const config: Record<string, unknown> = { ...DEV, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete config[k];
  writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config }));
  return stack;
}

/** The problems the program reports for a stack file, as `pulumi preview` would print them. */
async function problemsOf(changes: Record<string, unknown>): Promise<string[]> {
  const stack = stackFile(changes);
  const error = await renderStack({ stack, projectDir: dir, loadProgram: load }).then(
    () => undefined,
    (e: unknown) => e,
  );
  // The program is loaded afresh, with its own copy of the class: compare by name.
  expect(
    (error as Error | undefined)?.name,
    "the program declared resources for a stack file with a slip",
  ).toBe("ConfigError");
  return (error as ConfigError).message.split("\n").slice(1);
}

const NAMESPACES = "(the namespaces of this stack: native-web-sso, aws, auth0, random, pulumi)";

// [the slip, the stack file's change, the line the user reads]
const SLIPS: [string, Record<string, unknown>, string][] = [
  [
    "a typo in our namespace",
    { "native-web-ss:deviceBinding": "asn" },
    `  - native-web-ss:deviceBinding: got "asn"; unknown namespace "native-web-ss"; did you mean \`native-web-sso:deviceBinding\`? ${NAMESPACES}. Fix: pulumi config rm native-web-ss:deviceBinding, then pulumi config set native-web-sso:deviceBinding <value>`,
  ],
  [
    "a namespace nobody reads",
    { "acme:owner": "platform" },
    `  - acme:owner: got "platform"; unknown namespace "acme" ${NAMESPACES}. Fix: pulumi config rm acme:owner`,
  ],
  [
    "a typo in a provider's key",
    { "auth0:domian": "acme-dev.eu.auth0.com" },
    '  - auth0:domian: got "acme-dev.eu.auth0.com"; unknown key of the auth0 provider; did you mean `auth0:domain`? (the provider would ignore it). Fix: pulumi config rm auth0:domian, then pulumi config set auth0:domain <value>',
  ],
  [
    "a key of a provider that takes none",
    { "random:seed": "42" },
    '  - random:seed: got "42"; unknown key: the random provider takes no configuration (@pulumi/random declares none). Fix: pulumi config rm random:seed',
  ],
  [
    "a near miss of one of our keys",
    { "native-web-sso:deviceBindng": "ip" },
    '  - native-web-sso:deviceBindng: got "ip"; unknown key; did you mean `deviceBinding`? (a typo here would be silently ignored). Fix: pulumi config rm native-web-sso:deviceBindng, then pulumi config set native-web-sso:deviceBinding <value>',
  ],
  [
    "the Auth0 client secret in plain text",
    { "auth0:clientSecret": "s3cr3t" },
    '  - auth0:clientSecret: got "<plain text>"; a credential in plain text in the stack file, readable by anyone with the repository. Fix: pulumi config rm auth0:clientSecret and export AUTH0_CLIENT_SECRET instead (README, "Credentials"), or pulumi config set --secret auth0:clientSecret <value>',
  ],
  [
    "an Auth0 API token in plain text",
    { "auth0:apiToken": "eyJhbGciOi" },
    '  - auth0:apiToken: got "<plain text>"; a credential in plain text in the stack file, readable by anyone with the repository. Fix: pulumi config rm auth0:apiToken and export AUTH0_API_TOKEN instead (README, "Credentials"), or pulumi config set --secret auth0:apiToken <value>',
  ],
  [
    "an AWS secret key in plain text",
    { "aws:secretKey": "wJalrXUtnFEMI" },
    '  - aws:secretKey: got "<plain text>"; a credential in plain text in the stack file, readable by anyone with the repository. Fix: pulumi config rm aws:secretKey and export AWS_SECRET_ACCESS_KEY instead (README, "Credentials"), or pulumi config set --secret aws:secretKey <value>',
  ],
  [
    "an AWS access key in plain text",
    { "aws:accessKey": "AKIAEXAMPLE" },
    '  - aws:accessKey: got "<plain text>"; a credential in plain text in the stack file, readable by anyone with the repository. Fix: pulumi config rm aws:accessKey and export AWS_ACCESS_KEY_ID instead (README, "Credentials"), or pulumi config set --secret aws:accessKey <value>',
  ],
  [
    "no AWS region",
    { "aws:region": undefined },
    "  - aws:region: got undefined; the AWS region is required (the stack's resources live there). Fix: pulumi config set aws:region <region>, e.g. pulumi config set aws:region eu-west-1",
  ],
  [
    "a misspelt AWS region",
    { "aws:region": "eu-westt-1" },
    '  - aws:region: got "eu-westt-1"; not an AWS region; did you mean eu-west-1? (a region @pulumi/aws knows). Fix: pulumi config set aws:region eu-west-1',
  ],
];

describe("a stack file's slips", () => {
  it.each(SLIPS)("refuses %s, naming the key, the value and the fix", async (_slip, changes, line) => {
    expect(await problemsOf(changes)).toEqual([line]);
  });

  it("refuses a region Auth0 cannot stream logs to while monitoring is on, and takes it with monitoring off", async () => {
    const [line] = await problemsOf({ "aws:region": "af-south-1" });
    expect(line).toMatch(
      /^ {2}- aws:region: got "af-south-1"; Auth0 cannot stream logs to EventBridge in af-south-1, which the monitoring needs \(it can in ap-east-1, .*eu-west-1, .*us-west-2\)\. Fix: pulumi config set aws:region <one of those>, or opt out of the monitoring with pulumi config set native-web-sso:monitoring false$/,
    );
    const stack = stackFile({ "aws:region": "af-south-1", "native-web-sso:monitoring": false });
    const model = await renderStack({ stack, projectDir: dir, loadProgram: load });
    expect(model.resources.length).toBeGreaterThan(10);
  });

  it("reports every slip of a stack file at once, never echoing a credential", async () => {
    const all = Object.assign({}, ...SLIPS.filter(([what]) => what !== "no AWS region").map(([, c]) => c));
    const lines = await problemsOf(all);
    expect(lines.sort()).toEqual(
      SLIPS.filter(([what]) => what !== "no AWS region")
        .map(([, , line]) => line)
        .sort(),
    );
    expect(lines.join("\n")).not.toMatch(/s3cr3t|wJalrXUtnFEMI|AKIAEXAMPLE|eyJhbGciOi/);
  });

  it("accepts credentials stored as secrets, and the engine's own keys", async () => {
    const stack = stackFile({
      "auth0:clientSecret": { secure: "v1:abc:def" },
      "aws:secretKey": { secure: "v1:ghi:jkl" },
      "pulumi:disable-default-providers": ["random"],
    });
    expect(readStackConfig(stack, dir).secretKeys.sort()).toEqual(["auth0:clientSecret", "aws:secretKey"]);
    const model = await renderStack({ stack, projectDir: dir, loadProgram: load });
    expect(model.resources.length).toBeGreaterThan(10);
  });
});

describe("under the Pulumi CLI", () => {
  it("checks every key the CLI hands the program in PULUMI_CONFIG, secrets by PULUMI_CONFIG_SECRET_KEYS", async () => {
    const config = {
      ...readStackConfig("dev").config,
      "auth0:domian": "acme-dev.eu.auth0.com",
      "aws:secretKey": "wJalrXUtnFEMI",
      "auth0:clientSecret": "decrypted-by-the-cli",
    };
    // The program stops at its configuration, before it would need the engine.
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", "index.ts"], {
      cwd: PROJECT_DIR,
      env: {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["auth0:clientSecret"]),
        PULUMI_NODEJS_STACK: "dev",
        PULUMI_NODEJS_PROJECT: "native-web-sso",
      },
    });
    const failure = (await run.then(
      () => undefined,
      (e: unknown) => e,
    )) as { stderr: string } | undefined;
    expect(failure, "the program ran with a misspelt key and a plain-text credential").toBeDefined();
    // Node prints an uncaught error's message with its stack and again with its fields: each key once.
    const reported = [
      ...new Set(
        [...(failure?.stderr ?? "").matchAll(/key: '([^']+)'|^ {2}- ([^ ]+): got/gm)].map(
          (m) => m[1] ?? m[2],
        ),
      ),
    ];
    // auth0:clientSecret is a secret there, as `secure:` in the stack file makes it.
    expect(reported).toEqual(["auth0:domian", "aws:secretKey"]);
    expect(failure?.stderr).not.toContain("wJalrXUtnFEMI");
  }, 60_000);
});

describe("the providers' own schemas", () => {
  it("come from the installed SDKs: keys, regions, and the regions Auth0 streams to", () => {
    expect(providerKeys("auth0").map((k) => k.name)).toEqual(
      expect.arrayContaining(["domain", "clientSecret"]),
    );
    expect(providerKeys("aws").map((k) => k.name)).toEqual(expect.arrayContaining(["region", "secretKey"]));
    expect(providerKeys("random")).toEqual([]);
    expect(AWS_REGIONS).toEqual(expect.arrayContaining(["eu-west-1", "af-south-1"]));
    expect(auth0EventBridgeRegions()).toEqual(expect.arrayContaining(["eu-west-1", "us-east-1"]));
    expect(auth0EventBridgeRegions()).not.toContain("af-south-1");
  });

  it("mark as credentials every key @pulumi/aws treats as secret, with the variables the providers read", () => {
    const provider = readFileSync(require.resolve("@pulumi/aws/provider.js"), "utf8");
    const secret = /additionalSecretOutputs: \[([^\]]*)\]/.exec(provider)?.[1] ?? "";
    const keys = [...secret.matchAll(/"(\w+)"/g)].map((m) => `aws:${m[1]}`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys)
      expect(Object.keys(CREDENTIAL_KEYS), `add ${key} to CREDENTIAL_KEYS`).toContain(key);
    for (const k of providerKeys("auth0")) {
      const key = `auth0:${k.name}`;
      if (key in CREDENTIAL_KEYS) expect(CREDENTIAL_KEYS[key], key).toBe(k.envVar);
    }
  });
});
