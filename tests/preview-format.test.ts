/**
 * The offline preview's renderings, in-process: secrets never printed (from hand-made models and
 * from the whole program with the mocks' stand-in secrets), cloud-only values never invented,
 * stable JSON, the per-property diff and the policy section.
 */

import { describe, expect, it, vi } from "vitest";
import { diffJson, diffViews, formatDiffText } from "../offline/diff";
import { stableJson, viewJson } from "../offline/stable-json";
import { formatText } from "../offline/text";
import {
  ArchiveValue,
  Secret,
  secretTexts,
  Unknown,
  type ModelResource,
  type ModelValue,
  type PolicyVerdict,
  type StackModel,
} from "../model/rendered";
import { listStacks, renderStack } from "../offline/render";
import { SECRET_TEXT, toView, UNKNOWN_TEXT } from "../offline/view";

const PROJECT = "native-web-sso";

function resource(
  stack: string,
  type: string,
  name: string,
  inputs: Record<string, ModelValue>,
): ModelResource {
  return {
    urn: `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`,
    type,
    name,
    parent: `urn:pulumi:${stack}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${stack}`,
    custom: true,
    protect: false,
    inputs,
    additionalSecretOutputs: [],
    dependsOn: [],
  };
}

function model(
  stack: string,
  resources: ModelResource[],
  outputs: Record<string, ModelValue>,
  preview = true,
): StackModel {
  return {
    project: PROJECT,
    stack,
    preview,
    stackUrn: `urn:pulumi:${stack}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${stack}`,
    config: { "aws:region": "eu-west-1" },
    resources: [...resources].sort((a, b) => (a.urn < b.urn ? -1 : 1)),
    outputs,
  };
}

const CONFIG_SECRET = "correct-horse-battery-staple";
const NESTED_SECRET = "s3cr3t-nested-value";

/** A preview model holding secrets in every place a secret can sit, and its wiring counterpart. */
function fixtures(): { preview: StackModel; wiring: StackModel } {
  const fnType = "aws:lambda/function:Function";
  const roleType = "aws:iam/role:Role";
  const preview = model(
    "dev",
    [
      resource("dev", roleType, "r", { description: "runs it" }),
      resource("dev", fnType, "f", {
        role: Unknown.instance,
        memorySize: 256,
        environment: { variables: { TOKEN: new Secret(CONFIG_SECRET), PLAIN: "visible" } },
        list: ["a", new Secret({ deep: [NESTED_SECRET] })],
        secretUnknown: Unknown.instance,
        invented: Unknown.instance,
        code: new ArchiveValue("ab".repeat(32), { "index.js": { bytes: 3, sha256: "cd".repeat(32) } }),
      }),
    ],
    { password: new Secret(CONFIG_SECRET), later: Unknown.instance, url: Unknown.instance },
  );
  const wiring = model(
    "dev",
    [
      resource("dev", roleType, "r", { description: "runs it" }),
      resource("dev", fnType, "f", {
        role: "arn:aws:iam::123456789012:role/mock-r",
        memorySize: 256,
        environment: { variables: { TOKEN: new Secret(CONFIG_SECRET), PLAIN: "visible" } },
        list: ["a", new Secret({ deep: [NESTED_SECRET] })],
        // The engine drops the secret flag of an unknown in a preview; the wiring model keeps it.
        secretUnknown: new Secret("mock-secret-wired"),
        // A stand-in that no resource of the model explains.
        invented: "mock-from-nowhere",
        code: new ArchiveValue("ab".repeat(32), { "index.js": { bytes: 3, sha256: "cd".repeat(32) } }),
      }),
    ],
    { password: new Secret(CONFIG_SECRET), later: "from-the-program", url: "https://mock-r.example/x" },
    false,
  );
  return { preview, wiring };
}

function allSecrets(m: StackModel): string[] {
  return [...m.resources.flatMap((r) => secretTexts({ ...r.inputs })), ...secretTexts({ ...m.outputs })];
}

describe("secrets", () => {
  it("print as [secret] in text, JSON and diff, wherever they sit", () => {
    const { preview, wiring } = fixtures();
    const view = toView(preview, wiring);
    const other = toView({ ...preview, stack: "prod" }, { ...wiring, stack: "prod" });
    const renderings = [formatText(view), viewJson(view), formatDiffText(diffViews(view, other), PROJECT)];
    renderings.push(diffJson(diffViews(view, other)));
    const secrets = [CONFIG_SECRET, NESTED_SECRET, "mock-secret-wired"];
    expect(secretTexts({ ...wiring.resources[0].inputs, ...wiring.resources[1].inputs })).toEqual(
      expect.arrayContaining(secrets),
    );
    for (const text of renderings) for (const s of secrets) expect(text).not.toContain(s);
    const json = JSON.parse(viewJson(view)) as {
      resources: Record<string, { inputs: Record<string, unknown> }>;
      outputs: Record<string, unknown>;
    };
    const f = json.resources["aws:lambda/function:Function::f"].inputs;
    expect(f.environment).toEqual({ variables: { PLAIN: "visible", TOKEN: SECRET_TEXT } });
    expect(f.list).toEqual(["a", SECRET_TEXT]);
    expect(f.secretUnknown).toBe(SECRET_TEXT);
    expect(json.outputs.password).toBe(SECRET_TEXT);
  });

  it.each(listStacks())(
    "of the whole program (%s), with the mocks' stand-in secrets filled in, never print",
    async (stack) => {
      const loadProgram = async () => {
        vi.resetModules();
        return (await import("../index")) as Record<string, unknown>;
      };
      const preview = await renderStack({ stack, loadProgram });
      const wiring = await renderStack({ stack, preview: false, loadProgram });
      const secrets = allSecrets(wiring);
      // The web client's secret and the cookie secret, at least, in inputs and outputs.
      expect(secrets.some((s) => s.startsWith("mock-secret-"))).toBe(true);
      expect(secrets.some((s) => s.startsWith("mock-password-"))).toBe(true);
      const view = toView(preview, wiring);
      const text = formatText(view) + viewJson(view);
      for (const s of secrets) expect(text).not.toContain(s);
      expect(text).toContain(`webClientSecret: ${SECRET_TEXT}`);
    },
  );
});

describe("values only the cloud knows", () => {
  it("show as references to the resource property they come from, or as unknown, never invented", () => {
    const { preview, wiring } = fixtures();
    const json = JSON.parse(viewJson(toView(preview, wiring))) as {
      resources: Record<string, { inputs: Record<string, unknown> }>;
      outputs: Record<string, unknown>;
    };
    const f = json.resources["aws:lambda/function:Function::f"].inputs;
    expect(f.role).toBe("${r.arn}");
    expect(f.invented).toBe(UNKNOWN_TEXT);
    expect(json.outputs.url).toBe("https://${r.name}.example/x");
    // Unknown in the preview because it waited on a cloud value, with no stand-in in it to show
    // how: the real preview sends an unknown, and so it is shown (the value might be a hash of one).
    expect(json.outputs.later).toBe(UNKNOWN_TEXT);
  });

  it("show as unknown when there is no wiring model", () => {
    const { preview } = fixtures();
    const text = formatText(toView(preview));
    expect(text).toContain(`role: ${UNKNOWN_TEXT}`);
    expect(text).toContain(`url: ${UNKNOWN_TEXT}`);
  });
});

describe("stable JSON", () => {
  it("sorts keys and puts one scalar per line", () => {
    expect(stableJson({ b: [1, "x"], a: { d: null, c: true }, e: [], f: {} })).toBe(
      '{\n  "a": {\n    "c": true,\n    "d": null\n  },\n  "b": [\n    1,\n    "x"\n  ],\n  "e": [],\n  "f": {}\n}\n',
    );
  });

  it("keeps the code archive's content hash", () => {
    const { preview } = fixtures();
    const json = viewJson(toView(preview));
    expect(json).toContain(`"sha256": "${"ab".repeat(32)}"`);
    expect(formatText(toView(preview))).toContain(
      `code: archive sha256:${"ab".repeat(32)} (index.js 3 bytes)`,
    );
  });
});

describe("diff", () => {
  it("lists changed, added and removed properties and resources, stack ignored", () => {
    const fn = "aws:lambda/function:Function";
    const base = toView(
      model(
        "dev",
        [resource("dev", fn, "f", { memorySize: 256, old: "x" }), resource("dev", fn, "gone", {})],
        {},
      ),
    );
    const other = toView(
      model(
        "prod",
        [resource("prod", fn, "f", { memorySize: 512, extra: ["a"] }), resource("prod", fn, "new", { a: 1 })],
        {
          out: "y",
        },
      ),
    );
    const text = formatDiffText(diffViews(base, other), PROJECT);
    expect(text).toContain("  ~ f  (aws:lambda/function:Function)\n");
    expect(text).toContain("      ~ memorySize: 256 → 512\n");
    expect(text).toContain("      + extra: [a]\n");
    expect(text).toContain("      - old: x\n");
    expect(text).toContain("  + new  (aws:lambda/function:Function)  (only in prod)\n      + a: 1\n");
    expect(text).toContain("  - gone  (aws:lambda/function:Function)  (only in dev)\n");
    expect(text).toContain("  + out: y\n");
  });

  it("compares lists by value, as --since does: one inserted element is one line", () => {
    const rule = "aws:cloudwatch/eventRule:EventRule";
    const base = toView(model("dev", [resource("dev", rule, "r", { clients: ["native", "web"] })], {}));
    const other = toView(
      model("prod", [resource("prod", rule, "r", { clients: ["native", "shop", "web"] })], {}),
    );
    const text = formatDiffText(diffViews(base, other), PROJECT);
    expect(text).toContain("  ~ r  (aws:cloudwatch/eventRule:EventRule)\n      + clients[1]: shop\n\n");
    expect(text.match(/clients\[/g)).toHaveLength(1);
    expect(JSON.parse(diffJson(diffViews(base, other)))).toMatchObject({
      resources: { [`${rule}::r`]: { changes: { "clients[1]": { op: "+", other: "shop" } } } },
    });
  });

  it("says so when two stacks declare the same", () => {
    const v = toView(model("dev", [resource("dev", "t:m:T", "x", { a: 1 })], {}));
    const w = toView(model("prod", [resource("prod", "t:m:T", "x", { a: 1 })], {}));
    expect(diffViews(v, w).resources).toEqual([]);
    expect(formatDiffText(diffViews(v, w), PROJECT)).toContain("declare the same resources");
  });
});

describe("policies", () => {
  it("print in their own section, mandatory first, and in the JSON", () => {
    const m = model("dev", [resource("dev", "t:m:T", "x", {})], {});
    const verdicts: PolicyVerdict[] = [
      { policy: "b-advice", enforcement: "advisory", message: "consider it" },
      { policy: "a-rule", enforcement: "mandatory", urn: m.resources[0].urn, message: "must fix" },
    ];
    const view = toView(m, undefined, verdicts);
    const text = formatText(view);
    const section = text.slice(text.indexOf("\nPolicies:\n"));
    expect(section.indexOf("[mandatory] a-rule: x (t:m:T)")).toBeGreaterThan(0);
    expect(section.indexOf("[mandatory]")).toBeLessThan(section.indexOf("[advisory] b-advice"));
    const json = JSON.parse(viewJson(view)) as { policies: Array<Record<string, string>> };
    expect(json.policies[0]).toEqual({
      enforcement: "mandatory",
      message: "must fix",
      policy: "a-rule",
      resource: "t:m:T::x",
    });
    expect(formatText(toView(m, undefined, []))).toContain("No policy reported a violation.");
    expect(formatText(toView(m))).not.toContain("Policies:");
  });
});
