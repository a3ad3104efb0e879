/**
 * Every stack output of the committed stacks has a value. The engine drops an `undefined` output
 * and warns `Undefined value (<name>) will not show as a stack output` on every run
 * (`@pulumi/pulumi` `runtime/stack.js`); the offline model records such an output as `null`.
 */
import { describe, expect, it, vi } from "vitest";
import { listStacks, renderStack } from "../offline/render";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};

describe.each(listStacks())("stack %s", (stack) => {
  it("exports no undefined output", async () => {
    const model = await renderStack({ stack, preview: false, loadProgram: load });
    const undefinedOutputs = Object.keys(model.outputs).filter((k) => model.outputs[k] === null);
    expect(undefinedOutputs).toEqual([]);
  }, 120_000);
});
