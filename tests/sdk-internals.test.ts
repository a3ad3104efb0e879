/**
 * Each internal `offline/sdk-internals.ts` relies on, checked against the installed packages. A
 * failure names the package, the version the internal was checked against and the one installed:
 * after an upgrade, read that internal's comment, fix or drop it, then move CHECKED_AGAINST.
 */
import { readFileSync } from "node:fs";
import Module from "node:module";
import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  CHECKED_AGAINST,
  DEFERRED_CLOSURE_EXPORTS,
  outputState,
  policyInternals,
} from "../offline/sdk-internals";
import { PROJECT_DIR } from "../offline/render";
import { known, UNKNOWN, UNKNOWN_SENTINEL } from "../policy/known";

type Checked = keyof typeof CHECKED_AGAINST | "node";

const installed = (pkg: Checked): string =>
  pkg === "node"
    ? process.version
    : String(
        (
          JSON.parse(readFileSync(join(PROJECT_DIR, "node_modules", pkg, "package.json"), "utf8")) as {
            version: string;
          }
        ).version,
      ).replace(/^v/, "");

/** The message of a failed check: what changed, against what it was checked, what is installed. */
const changed = (pkg: Checked, what: string): string =>
  `${what}: offline/sdk-internals.ts relies on this of ${pkg}, checked against ${
    pkg === "node" ? "Node.js 20, 22 and 24" : `${pkg} ${CHECKED_AGAINST[pkg]}`
  }; installed: ${installed(pkg)}. Read that internal's comment there, adapt or remove it, then update CHECKED_AGAINST.`;

describe("the SDK internals the offline preview relies on", () => {
  it("names the versions it was checked against, and they are the installed ones", () => {
    for (const pkg of Object.keys(CHECKED_AGAINST) as (keyof typeof CHECKED_AGAINST)[]) {
      expect(installed(pkg), changed(pkg, "the installed version differs")).toBe(CHECKED_AGAINST[pkg]);
    }
  });

  it("Node: Module._nodeModulePaths and Module.prototype.load exist", () => {
    const m = Module as unknown as { _nodeModulePaths?: unknown; prototype: { load?: unknown } };
    expect(typeof m._nodeModulePaths, changed("node", "Module._nodeModulePaths is gone")).toBe("function");
    expect(typeof m.prototype.load, changed("node", "Module.prototype.load is gone")).toBe("function");
  });

  it("@pulumi/pulumi: its runtime copies exactly the deferred functions out of its closure serializer", () => {
    const runtimeIndex = readFileSync(
      join(PROJECT_DIR, "node_modules/@pulumi/pulumi/runtime/index.js"),
      "utf8",
    );
    for (const [file, names] of Object.entries(DEFERRED_CLOSURE_EXPORTS)) {
      const variable = /\/closure\/(\w+)\.js$/.exec(file)?.[1];
      const copied = [...runtimeIndex.matchAll(new RegExp(`${variable}_1\\.(\\w+)`, "g"))].map((m) => m[1]);
      expect(
        [...new Set(copied)].sort(),
        changed("@pulumi/pulumi", `runtime/index.js copies other names out of ${file}`),
      ).toEqual([...names].sort());
    }
  });

  it("@pulumi/pulumi: an Output tells whether it is known and secret without being applied", async () => {
    const secret = await outputState(pulumi.secret("s"));
    expect(
      [secret.known, secret.secret, await secret.value()],
      changed("@pulumi/pulumi", "Output.isKnown/isSecret/promise"),
    ).toEqual([true, true, "s"]);
    expect(typeof pulumi.runtime.getMonitor, changed("@pulumi/pulumi", "runtime.getMonitor is gone")).toBe(
      "function",
    );
    expect(
      typeof (pulumi.runtime as unknown as { waitForRPCs?: unknown }).waitForRPCs,
      changed("@pulumi/pulumi", "runtime.waitForRPCs is gone"),
    ).toBe("function");
  });

  it("@pulumi/aws: a resource class carries the type token isType compares", () => {
    expect(
      policyInternals.isTypeOf("aws:lambda/function:Function", aws.lambda.Function),
      changed("@pulumi/aws", "__pulumiType"),
    ).toBe(true);
    expect(policyInternals.isTypeOf("aws:iam/role:Role", aws.lambda.Function)).toBe(false);
  });

  it("@pulumi/policy: its proxy throws on an unknown, and policy/known.ts reads past it", () => {
    const props = policyInternals.unknownCheckingProxy({
      a: UNKNOWN_SENTINEL,
      b: "x",
      c: [UNKNOWN_SENTINEL],
    });
    let thrown: unknown;
    try {
      void (props as { a: string }).a;
    } catch (e) {
      thrown = e;
    }
    expect(
      policyInternals.isUnknownValueError(thrown),
      changed("@pulumi/policy", "unknownCheckingProxy/UnknownValueError"),
    ).toBe(true);
    expect(known(props), changed("@pulumi/policy", "the proxy now traps getOwnPropertyDescriptor")).toEqual({
      a: UNKNOWN,
      b: "x",
      c: [UNKNOWN],
    });
  });
});
