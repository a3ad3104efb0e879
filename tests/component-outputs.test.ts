import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import ts from "typescript";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { StackModel } from "../model/rendered";
import { PROJECT_DIR, renderStack } from "../offline/render";

/**
 * Components' outputs as the engine receives them (the `RegisterResourceOutputs` message of the
 * resource monitor protocol, what `pulumi stack export` stores), held against the public properties
 * the component classes declare. Both sides are public: the engine protocol and the TypeScript API.
 */

/** The subset of the protocol's RegisterResourceOutputsRequest read here. */
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface OutputsMonitor {
  registerResourceOutputs(req: OutputsRequest, cb: (...args: unknown[]) => void): void;
}

/** The protocol's marker of a serialized resource reference (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** Component type token to the names of the public properties its class declares. */
function declaredComponents(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const dir = join(PROJECT_DIR, "components");
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(dir, file), "utf8"), ts.ScriptTarget.Latest);
    source.forEachChild((node) => {
      if (!ts.isClassDeclaration(node)) return;
      const heritage = node.heritageClauses?.flatMap((h) => h.types.map((t) => t.expression.getText(source)));
      if (!heritage?.includes("pulumi.ComponentResource")) return;
      let type: string | undefined;
      const properties: string[] = [];
      for (const member of node.members) {
        const hidden = ts
          .getModifiers(member as ts.HasModifiers)
          ?.some((m) =>
            [
              ts.SyntaxKind.PrivateKeyword,
              ts.SyntaxKind.ProtectedKeyword,
              ts.SyntaxKind.StaticKeyword,
            ].includes(m.kind),
          );
        if (ts.isPropertyDeclaration(member) && !hidden && ts.isIdentifier(member.name)) {
          properties.push(member.name.text);
        }
        if (ts.isConstructorDeclaration(member)) {
          member.body?.forEachChild(function visit(n): void {
            if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword) {
              const first = n.arguments[0];
              if (first && ts.isStringLiteral(first)) type = first.text;
            }
            n.forEachChild(visit);
          });
        }
      }
      expect(type, `${file}: ${node.name?.text} passes its type token to super()`).toBeDefined();
      found.set(type!, properties.sort());
    });
  }
  return found;
}

/** The URN's type: the last segment of the `parent$type` chain. */
function typeOfUrn(urn: string): string {
  const chain = urn.split("::")[2];
  return chain.split("$").at(-1)!;
}

function referencedUrns(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedUrns);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o[SIG_KEY] === RESOURCE_REFERENCE_SIG) return [String(o.urn)];
    return Object.values(o).flatMap(referencedUrns);
  }
  return [];
}

describe("component outputs", () => {
  /** URN of each component to the outputs it registered. */
  const registered = new Map<string, Record<string, unknown>[]>();
  let model: StackModel;
  const declared = declaredComponents();

  beforeAll(async () => {
    // Production: the stack with every optional part (custom domain, both platforms).
    model = await renderStack({
      stack: "prod",
      preview: false,
      loadProgram: async () => {
        const monitor = pulumi.runtime.getMonitor() as unknown as OutputsMonitor;
        const original = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResourceOutputs = (req, cb) => {
          const outputs = req.getOutputs()?.toJavaScript() ?? {};
          // The SDK itself registers empty outputs for a component once its constructor returns.
          if (Object.keys(outputs).length > 0) {
            registered.set(req.getUrn(), [...(registered.get(req.getUrn()) ?? []), outputs]);
          }
          original(req, cb);
        };
        vi.resetModules();
        return (await import("../index")) as Record<string, unknown>;
      },
    });
  });

  it("are registered once by every component of the program", () => {
    const components = model.resources.filter((r) => !r.custom);
    expect([...registered.keys()].sort()).toEqual(components.map((c) => c.urn).sort());
    for (const [urn, calls] of registered) expect(calls, urn).toHaveLength(1);
  });

  it("are exactly the public properties each component class declares", () => {
    expect(registered.size).toBeGreaterThan(0);
    for (const [urn, [outputs]] of registered) {
      const type = typeOfUrn(urn);
      expect(declared.get(type), `${type} is declared in components/`).toBeDefined();
      expect(Object.keys(outputs).sort(), type).toEqual(declared.get(type));
    }
  });

  it("refer only to resources the component itself declares", () => {
    const byUrn = new Map(model.resources.map((r) => [r.urn, r]));
    const inside = (urn: string, component: string): boolean => {
      for (let r = byUrn.get(urn); r; r = byUrn.get(r.parent)) if (r.parent === component) return true;
      return false;
    };
    let references = 0;
    for (const [urn, [outputs]] of registered) {
      for (const [key, value] of Object.entries(outputs)) {
        for (const ref of referencedUrns(value)) {
          references++;
          expect(inside(ref, urn), `${typeOfUrn(urn)}.${key} -> ${ref}`).toBe(true);
        }
      }
    }
    expect(references).toBeGreaterThan(0);
  });
});
