/**
 * The real load path of the policy pack: for every stack, the main program runs under the CLI's
 * host (`testkit/language-host/run.ts`), then the pack runs as `pulumi preview --policy-pack policy` starts it
 * (`@pulumi/pulumi/cmd/run-policy-pack`, `policy/` as working directory and tsconfig, the host's
 * environment) and analyzes what the program registered, as the engine asks it to
 * (`./real-host/policy-pack.ts`). Its verdicts (policy, enforcement, resource, message) and the
 * levels it applied are exactly what the offline preview reports for the same stack and config.
 *
 * Also here: a stack that opts out of the hosted web app, monitoring and an iOS identity runs to
 * the end under the host without the SDK's `Undefined value` warning.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PolicyVerdict } from "../model/rendered";
import { listStacks } from "../model/stacks";
import { enforcementFor } from "../offline/enforcement";
import { renderStack } from "../offline/render";
import { resourceKey } from "../offline/stable-json";
import { evaluatePolicies, policyLevels } from "../policy/evaluate";
import { DEV_SHOP_SPA } from "../testkit/many-apps";
import { startPack, type PackRun, type PackVerdict } from "./real-host/policy-pack";
import { problems, runProgram, stackConfig } from "./real-host/program";
import type { HostResult } from "../testkit/language-host/run";

const ROOT = path.resolve(__dirname, "..");
const POLICY = path.join(ROOT, "policy");

type Overrides = Readonly<Record<string, string | undefined>>;

/** One preview of a stack: what the program registered under the host and what the pack said. */
interface Preview {
  readonly program: HostResult;
  readonly pack: PackRun;
}

/**
 * A change the pack must flag, in both of its RPCs: prod told it is no production stack, with
 * unprotected clients and device binding off. The program accepts it (its own check follows the
 * run's config); the pack reads prod's stack file, so `Analyze` reports the device binding and
 * `AnalyzeStack` the unprotected clients, all mandatory.
 */
const FLAGGED: { stack: string; overrides: Overrides } = {
  stack: "prod",
  overrides: {
    "native-web-sso:production": "false",
    "native-web-sso:protectClients": "false",
    "native-web-sso:deviceBinding": "none",
  },
};

/** A stack without the hosted web app, monitoring or an iOS identity (one web app runs elsewhere). */
const OPTED_OUT: Overrides = {
  "native-web-sso:hostedWebApp": "false",
  "native-web-sso:monitoring": "false",
  "native-web-sso:iosTeamId": undefined,
  "native-web-sso:iosBundleId": undefined,
  "native-web-sso:externalWebApps": JSON.stringify([DEV_SHOP_SPA]),
};
/** The outputs that stack has no value for. */
const OPTED_OUT_OUTPUTS = [
  "iosAuth0Plist",
  "monitoringOutputs",
  "webClientId",
  "webClientSecret",
  "webLoginUri",
  "webSettingsPath",
  "webUrl",
];

/** The pack starts while the program runs, as the engine loads its policy packs first. */
async function preview(stack: string, overrides: Overrides = {}): Promise<Preview> {
  const { project, config, secretKeys } = stackConfig(ROOT, stack, overrides);
  const [program, running] = await Promise.all([
    runProgram(ROOT, ".", stack, overrides),
    startPack({
      packDir: POLICY,
      organization: "organization",
      project,
      stack,
      config,
      secretKeys,
      // No configuration file: what `npm start` applies unless told `--policy-config`.
      policyConfig: enforcementFor().config,
    }),
  ]);
  try {
    return {
      program,
      pack: await running.analyze(program.record.resources, program.record.componentOutputs),
    };
  } finally {
    await running.stop();
  }
}

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};

/** What the offline preview reports for the stack: its verdicts, each attributed as the engine does. */
async function offline(stack: string, overrides: Overrides = {}) {
  const model = await renderStack({ stack, configOverrides: overrides, loadProgram: load });
  const enforcement = enforcementFor();
  const verdicts = (await evaluatePolicies(model, enforcement.config)).map(
    // The engine shows a stack-wide finding on the stack (analyze_snapshot.go, resolveStackPolicyViolationURN).
    (v: PolicyVerdict): PackVerdict => ({ ...v, urn: v.urn ?? model.stackUrn }),
  );
  return { model, verdicts, levels: policyLevels(enforcement.config) };
}

const sorted = (verdicts: readonly PackVerdict[]) =>
  [...verdicts].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const PACK_VERSION = (
  JSON.parse(readFileSync(path.join(POLICY, "package.json"), "utf8")) as { version: string }
).version;

const STACKS = listStacks();
const previews: Record<string, Preview> = {};
let flagged: Preview;
let optedOut: HostResult;

beforeAll(async () => {
  // All at once: each program run and each pack start costs seconds of CPU under ts-node. Every
  // one settles before a failure is reported, so no pack is left serving.
  const runs = await Promise.allSettled([
    ...STACKS.map(async (s) => void (previews[s] = await preview(s))),
    (async () => void (flagged = await preview(FLAGGED.stack, FLAGGED.overrides)))(),
    (async () => void (optedOut = await runProgram(ROOT, ".", "dev", OPTED_OUT)))(),
  ]);
  for (const r of runs) if (r.status === "rejected") throw r.reason;
}, 600_000);

describe.each(STACKS)("the policy pack for %s under the CLI's host", (stack) => {
  it("loads, logs nothing, and applies the levels the offline preview says it applies", async () => {
    const { pack, program } = previews[stack];
    expect(program.code).toBe(0);
    expect(pack.stderr).toBe("");
    expect(problems(pack.logs)).toEqual([]);
    const { levels } = await offline(stack);
    expect([pack.pack, pack.version]).toEqual([levels.pack, PACK_VERSION]);
    expect(pack.levels).toEqual(levels.levels);
  });

  it("returns exactly the verdicts of the offline preview", async () => {
    const { verdicts } = await offline(stack);
    expect(sorted(previews[stack].pack.verdicts)).toEqual(sorted(verdicts));
  });
});

describe("a change the offline preview flags, under the CLI's host", () => {
  it("gets the same mandatory violations from the real pack, from Analyze and AnalyzeStack", async () => {
    expect(flagged.program.code).toBe(0);
    const { verdicts } = await offline(FLAGGED.stack, FLAGGED.overrides);
    expect(verdicts.map((v) => [v.policy, v.enforcement, v.urn.split("::").pop()])).toEqual([
      ["session-transfer-device-binding", "mandatory", "native-client"],
      ["session-transfer-device-binding", "mandatory", "web-client"],
      ["auth0-clients-protected", "mandatory", "native-client"],
      ["auth0-clients-protected", "mandatory", "native-credentials"],
      ["auth0-clients-protected", "mandatory", "web-client"],
      ["auth0-clients-protected", "mandatory", "web-credentials"],
    ]);
    expect(sorted(flagged.pack.verdicts)).toEqual(sorted(verdicts));
  });
});

describe("a stack that opts out of the hosted web app, monitoring and iOS, under the CLI's host", () => {
  it("runs to the end, logs no warning (no `Undefined value`), and exports null for what it lacks", () => {
    expect(problems(optedOut.record.logs)).toEqual([]);
    expect(optedOut.record.logs.map((l) => l.message).join("\n")).not.toContain("Undefined value");
    expect(optedOut.stderr).toBe("");
    expect(optedOut.code).toBe(0);
    const outputs = optedOut.record.outputs ?? {};
    expect(OPTED_OUT_OUTPUTS.filter((k) => !(k in outputs) || outputs[k] !== null)).toEqual([]);
  });

  it("registers exactly the URNs the offline preview shows for the same config", async () => {
    const model = await renderStack({ stack: "dev", configOverrides: OPTED_OUT, loadProgram: load });
    const registered = optedOut.record.resources
      .filter((r) => r.type !== "pulumi:pulumi:Stack")
      .map((r) => resourceKey(r.urn));
    expect(registered.sort()).toEqual(model.resources.map((r) => resourceKey(r.urn)).sort());
  });
});
