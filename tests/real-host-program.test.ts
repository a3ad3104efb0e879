/**
 * The real load path: the main program and the identities program, for every stack, run the way
 * `pulumi preview`'s Node.js language host runs them (`@pulumi/pulumi/cmd/run` under ts-node, with
 * the project's tsconfig, against an engine over gRPC: `./real-host/`). They run to the end, log no
 * warning or error, and register exactly the URNs and inputs the offline preview shows; a bad
 * config value prints the project's own sentence.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { resourceKey } from "../offline/stable-json";
import { listStacks, renderStack } from "../offline/render";
import { toView, type JsonValue } from "../offline/view";
import { disagreements } from "./real-host/compare";
import { problems, runProgram as run } from "./real-host/program";
import type { HostResult } from "../testkit/language-host/run";

const ROOT = path.resolve(__dirname, "..");
const IDENTITIES = path.join(ROOT, "identities");
interface Committed {
  resources: Record<string, { inputs: Record<string, JsonValue> }>;
  outputs: Record<string, JsonValue>;
}

const MAIN = listStacks();
const IDS = listStacks(IDENTITIES);
const main: Record<string, HostResult> = {};
const ids: Record<string, HostResult> = {};
let badConfig: HostResult;

beforeAll(async () => {
  // One child process per run, all at once: each costs seconds of CPU under ts-node.
  const jobs: Array<Promise<void>> = [
    ...MAIN.map(async (s) => void (main[s] = await run(ROOT, ".", s))),
    ...IDS.map(async (s) => void (ids[s] = await run(IDENTITIES, "index.ts", s))),
    (async () =>
      void (badConfig = await run(ROOT, ".", "dev", { "native-web-sso:deviceBinding": "bogus" })))(),
  ];
  await Promise.all(jobs);
}, 600_000);

describe.each(MAIN)("the main program for %s under the CLI's host", (stack) => {
  const committed = () =>
    JSON.parse(readFileSync(path.join(ROOT, "preview", `${stack}.json`), "utf8")) as Committed;

  it("runs to the end and logs no warning or error", () => {
    expect(problems(main[stack].record.logs)).toEqual([]);
    expect(main[stack].stderr).toBe("");
    expect(main[stack].code).toBe(0);
  });

  it("registers exactly the URNs of the offline preview", () => {
    const registered = main[stack].record.resources
      .filter((r) => r.type !== "pulumi:pulumi:Stack")
      .map((r) => resourceKey(r.urn));
    expect(registered.sort()).toEqual(Object.keys(committed().resources).sort());
  });

  it("sends every input the offline preview shows, with the value it shows", () => {
    const shown = committed().resources;
    const wrong = main[stack].record.resources
      .filter((r) => r.custom)
      .flatMap((r) =>
        disagreements(r.inputs, shown[resourceKey(r.urn)].inputs).map((d) => `${r.name}: ${d}`),
      );
    expect(wrong).toEqual([]);
  });

  it("exports the outputs the offline preview shows", () => {
    expect(Object.keys(main[stack].record.outputs ?? {}).sort()).toEqual(
      Object.keys(committed().outputs).sort(),
    );
    expect(disagreements(main[stack].record.outputs ?? {}, committed().outputs)).toEqual([]);
  });
});

describe.each(IDS)("the identities program for %s under the CLI's host", (stack) => {
  const load = async () => {
    vi.resetModules();
    return (await import("../identities/index")) as Record<string, unknown>;
  };

  it("runs to the end, logs no warning or error, and registers what the offline rendering shows", async () => {
    expect(problems(ids[stack].record.logs)).toEqual([]);
    expect(ids[stack].code).toBe(0);
    const preview = await renderStack({ stack, projectDir: IDENTITIES, loadProgram: load });
    const wiring = await renderStack({ stack, preview: false, projectDir: IDENTITIES, loadProgram: load });
    const view = toView(preview, wiring);
    const shown = new Map(view.resources.map((r) => [resourceKey(r.urn), r]));
    const registered = ids[stack].record.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    expect(registered.map((r) => resourceKey(r.urn)).sort()).toEqual([...shown.keys()].sort());
    const wrong = registered
      .filter((r) => r.custom)
      .flatMap((r) =>
        disagreements(r.inputs, shown.get(resourceKey(r.urn))?.inputs ?? {}).map((d) => `${r.name}: ${d}`),
      );
    expect(wrong).toEqual([]);
  }, 120_000);
});

describe("a bad config value under the CLI's host", () => {
  it("stops the run with the project's own sentence, not an object dump", () => {
    expect(badConfig.code).not.toBe(0);
    const errors = badConfig.record.logs.filter((l) => l.severity === 3).map((l) => l.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^Invalid configuration for stack "dev" \(1 problem\):\n {2}- native-web-sso:deviceBinding: got "bogus"/,
    );
    expect(errors[0]).not.toContain("problems:");
    expect(badConfig.record.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});
