/**
 * `npm start`, run as a user runs it (a child process): the offline preview of both stacks, the
 * committed renderings under preview/, --diff, determinism, config errors and one-line changes.
 */

import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { npmStart, type StartRun } from "../testkit/npm-start";
import { parseConfig } from "../components/config";
import { listStacks, readStackConfig } from "../offline/render";

const ROOT = path.resolve(__dirname, "..");

type Run = StartRun;

const start = (...args: string[]): Promise<Run> => npmStart(args);

function ok(run: Run): string {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return run.stdout;
}

// Stand-ins the mocks invent: none may be shown as if it were real.
const INVENTED = /mock-|\/mock\/|_mock\.|ZMOCK|123456789012/;

const runs: Record<string, Run> = {};
beforeAll(async () => {
  const jobs: Record<string, string[]> = {
    default: [],
    dev: ["--stack", "dev"],
    prod: ["--stack", "prod"],
    diff: ["--stack", "dev", "--diff", "prod"],
    diffJson: ["--stack", "dev", "--diff", "prod", "--json"],
    prodJsonAgain: ["--stack", "prod", "--json"],
    burst: ["--stack", "prod", "--json", "--config", "native-web-sso:apiThrottleBurstLimit=600"],
    badConfig: ["--stack", "dev", "-c", "deviceBinding=bogus", "-c", "native-web-sso:lambdaMemoryMb=5"],
    noStack: ["--stack", "nope"],
    badFlag: ["--bogus"],
  };
  for (const stack of listStacks()) jobs[`json:${stack}`] = ["--stack", stack, "--json"];
  const names = Object.keys(jobs);
  const results = await Promise.all(names.map((n) => start(...jobs[n])));
  names.forEach((n, i) => (runs[n] = results[i]));
}, 180_000);

describe("npm start", () => {
  it("says at the top that it is an offline rendering and how to run the real preview", () => {
    const lines = ok(runs.dev).split("\n");
    expect(lines[0]).toContain('Offline preview of stack "dev"');
    expect(lines.slice(0, 4).join("\n")).toContain("under the Pulumi");
    expect(lines.slice(0, 4).join("\n")).toContain("pulumi preview --stack dev --refresh");
  });

  it("renders dev by default", () => {
    expect(ok(runs.default)).toBe(ok(runs.dev));
  });

  it("draws the resource tree with component parents, type tokens and logical names", () => {
    const text = ok(runs.dev);
    expect(text).toMatch(/^ \+ {3}pulumi:pulumi:Stack +native-web-sso-dev$/m);
    expect(text).toMatch(/^ \+ {3}├─ native-web-sso:auth0:NativeApp +native$/m);
    expect(text).toMatch(/^ \+ {3}│ {2}├─ auth0:index\/client:Client +native-client$/m);
    expect(text).toMatch(
      /^ \+ {3}│ {2}└─ auth0:index\/clientCredentials:ClientCredentials +native-credentials$/m,
    );
    expect(text).toMatch(/^ \+ {3}├─ native-web-sso:aws:WebEndpoint +endpoint$/m);
    expect(text).toMatch(/^ \+ {3}│ {2}├─ aws:lambda\/function:Function +endpoint-function$/m);
    // The last component draws its children without a trunk.
    expect(text).toMatch(/^ \+ {3}└─ native-web-sso:monitoring:SsoEventRules +monitoring-rules$/m);
    expect(text).toMatch(
      /^ \+ {6}└─ aws:cloudwatch\/logResourcePolicy:LogResourcePolicy +monitoring-rules-archive-policy$/m,
    );
    expect(text).toContain("+ 61 to create");
  });

  it("shows the settings that matter for the Auth0 clients", () => {
    const text = ok(runs.dev);
    const web = text.slice(text.indexOf("  web-client  (auth0:index/client:Client)"));
    expect(web).toContain("appType: regular_web");
    expect(web).toContain("grantTypes: [authorization_code]");
    expect(web).toContain("initiateLoginUri: ${endpoint-api.apiEndpoint}/login");
    expect(web).toContain("callbacks: [${endpoint-api.apiEndpoint}/callback]");
    expect(web).toContain("sessionTransfer.allowedAuthenticationMethods: [cookie, query]");
    expect(web).toContain("sessionTransfer.enforceDeviceBinding: asn");
    const native = text.slice(text.indexOf("  native-client  (auth0:index/client:Client)"));
    expect(native).toContain("appType: native");
    expect(native).toContain("grantTypes: [authorization_code, refresh_token]");
    expect(native).toContain("sessionTransfer.canCreateSessionTransferToken: true");
    expect(native).toContain("- com.acme.shop.dev://acme-dev.eu.auth0.com/ios/com.acme.shop.dev/callback");
  });

  it("shows runtime, route, IAM actions and, in prod, the custom domain", () => {
    const dev = ok(runs.dev);
    expect(dev).toContain("runtime: nodejs24.x");
    expect(dev).toContain("routeKey: $default");
    expect(dev).toContain("Allow logs:CreateLogStream, logs:PutLogEvents (WriteOwnLogs)");
    expect(dev).toContain("Allow ssm:GetParametersByPath (ReadOwnSettings)");
    expect(dev).toContain("Allow sts:AssumeRole by { Service: lambda.amazonaws.com }");
    expect(dev).toMatch(/code: archive sha256:[0-9a-f]{64} \(index\.js \d+ bytes\)/);
    const prod = ok(runs.prod);
    expect(prod).toMatch(/auth0:index\/client:Client +native-client {2}\[protected\]$/m);
    expect(prod).toContain("initiateLoginUri: https://sso.acme.com/login");
    expect(prod).toContain("domainName: sso.acme.com");
    expect(prod).toContain("aliases[0].name: ${endpoint-domain.domainNameConfiguration.targetDomainName}");
    expect(prod).toContain("memorySize: 512");
    // Even a plain-looking value the mocks invent (the record type) shows as where it comes from.
    expect(prod).toContain("type: ${endpoint-certificate.domainValidationOptions[0].resourceRecordType}");
  });

  it("prints the stack outputs, secrets as [secret] and cloud-assigned values as references", () => {
    for (const text of [ok(runs.dev), ok(runs.prod)]) {
      const outputs = text.slice(text.indexOf("\nOutputs:\n"));
      expect(outputs).toContain("webClientSecret: [secret]");
      expect(outputs).toContain("nativeClientId: ${native-client.clientId}");
      expect(outputs).toContain("<string>${native-client.clientId}</string>");
      expect(outputs).toContain("sessionTransferCookie.name: auth0_session_transfer_token");
    }
  });

  it("never presents a value the mocks invented as real", () => {
    for (const name of ["dev", "prod", "diff", "diffJson", ...listStacks().map((s) => `json:${s}`)]) {
      expect(ok(runs[name]), name).not.toMatch(INVENTED);
    }
  });

  it("gives byte-identical output for the same program and config", () => {
    expect(ok(runs.prodJsonAgain)).toBe(ok(runs["json:prod"]));
  });

  it("writes stable, sorted JSON with one scalar per line", () => {
    const json = ok(runs["json:dev"]);
    const doc = JSON.parse(json) as { resources: Record<string, { inputs: Record<string, unknown> }> };
    const fn =
      doc.resources["native-web-sso:aws:WebEndpoint$aws:lambda/function:Function::endpoint-function"];
    expect(fn.inputs.runtime).toBe("nodejs24.x");
    expect(json).toMatch(/^ {8}"memorySize": 256,$/m);
    expect(json).toContain('"webClientSecret": "[secret]"');
    expect(Object.keys(doc)).toEqual([...Object.keys(doc)].sort());
  });
});

describe("committed renderings", () => {
  it.each(listStacks())("preview/%s.json is what the program renders now", (stack) => {
    const committed = readFileSync(path.join(ROOT, "preview", `${stack}.json`), "utf8");
    expect(
      ok(runs[`json:${stack}`]) === committed,
      `preview/${stack}.json is stale: run \`npm start -- --write\` and commit preview/`,
    ).toBe(true);
  });

  it("exist for every stack and for no other", () => {
    const files = readdirSync(path.join(ROOT, "preview")).sort();
    expect(files).toEqual(listStacks().map((s) => `${s}.json`));
  });

  it("show one changed config value as one changed line", () => {
    const before = ok(runs["json:prod"]).split("\n");
    const after = ok(runs.burst).split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed).toEqual(['          "throttlingBurstLimit": 600,']);
  });
});

describe("npm start -- --diff", () => {
  it("shows per resource and property what prod declares that dev does not", () => {
    const text = ok(runs.diff);
    expect(text).toContain("  ~ endpoint-function  (aws:lambda/function:Function)");
    expect(text).toContain("      ~ memorySize: 256 → 512");
    expect(text).toContain("      ~ retentionInDays: 7 → 365");
    expect(text).toContain("      ~ (protect): false → true");
    expect(text).toContain(
      "      ~ initiateLoginUri: ${endpoint-api.apiEndpoint}/login → https://sso.acme.com/login",
    );
    expect(text).toContain("  + endpoint-certificate  (aws:acm/certificate:Certificate)  (only in prod)");
    expect(text).toContain("      + domainName: sso.acme.com");
    // No resource is only in dev (output lines, indented alike, are not resources).
    expect(text).not.toMatch(/^ {2}- \S+ {2}\(/m);
    // Settings both stacks share are not listed.
    expect(text).not.toContain("runtime:");
  });

  it("writes the same difference as JSON", () => {
    const doc = JSON.parse(ok(runs.diffJson)) as {
      base: string;
      other: string;
      resources: Record<string, { op: string; changes: Record<string, unknown> }>;
    };
    expect(doc.base).toBe("dev");
    expect(doc.other).toBe("prod");
    const fn =
      doc.resources["native-web-sso:aws:WebEndpoint$aws:lambda/function:Function::endpoint-function"];
    expect(fn.op).toBe("~");
    expect(fn.changes.memorySize).toEqual({ op: "~", base: 256, other: 512 });
    expect(
      doc.resources["native-web-sso:aws:WebEndpoint$aws:acm/certificate:Certificate::endpoint-certificate"]
        .op,
    ).toBe("+");
  });
});

describe("errors", () => {
  it("fails on a bad config value with the program's own message, as pulumi preview does", () => {
    const raw = {
      ...readStackConfig("dev").config,
      "native-web-sso:deviceBinding": "bogus",
      "native-web-sso:lambdaMemoryMb": "5",
    };
    let expected = "";
    try {
      parseConfig("dev", raw);
    } catch (error) {
      expected = (error as Error).message;
    }
    expect(expected).toContain("native-web-sso:deviceBinding");
    expect(runs.badConfig.code).toBe(1);
    expect(runs.badConfig.stdout).toBe("");
    expect(runs.badConfig.stderr).toBe(`error: ${expected}\n`);
  });

  it("names the stacks there are when asked for one that does not exist", () => {
    expect(runs.noStack.code).toBe(1);
    expect(runs.noStack.stderr).toContain("No stack file Pulumi.nope.yaml");
    expect(runs.noStack.stderr).toContain("dev, prod");
  });

  it("prints the usage on an unknown flag", () => {
    expect(runs.badFlag.code).toBe(2);
    expect(runs.badFlag.stderr).toContain("Usage: npm start --");
  });
});
