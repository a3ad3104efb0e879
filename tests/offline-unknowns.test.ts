/**
 * What the real preview would not know, the offline preview shows as unknown. `pulumi preview` sends
 * an unknown for every value computed from a cloud-assigned one (a random password's result, a
 * client ID), and for anything the program derives from it; only a value whose derivation can be
 * shown (`${endpoint-api.apiEndpoint}/login`) is spelled out, never a value the mocks invented.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { listStacks, renderStack } from "../offline/render";
import { toView, UNKNOWN_TEXT, type JsonValue, type StackView } from "../offline/view";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};

async function view(stack: string): Promise<StackView> {
  const preview = await renderStack({ stack, loadProgram: load });
  const wiring = await renderStack({ stack, preview: false, loadProgram: load });
  return toView(preview, wiring);
}

function environmentOf(v: StackView): Record<string, JsonValue> {
  const fn = v.resources.find(
    (r) => r.type === "aws:lambda/function:Function" && r.name === "endpoint-function",
  );
  const env = (fn?.inputs.environment as { variables?: Record<string, JsonValue> } | undefined)?.variables;
  if (!env) throw new Error("the endpoint function has no environment variables");
  return env;
}

describe.each(listStacks())("the offline preview of %s", (stack) => {
  let v: StackView;
  beforeAll(async () => {
    v = await view(stack);
  }, 120_000);

  it("shows the settings revision (a hash of the generated cookie secret) as unknown", () => {
    expect(environmentOf(v).SETTINGS_REVISION).toBe(UNKNOWN_TEXT);
  });

  it("still shows how a cloud-assigned value is built where it can", () => {
    expect(v.outputs.nativeClientId).toBe("${native-client.clientId}");
  });

  it("keeps known parts of an output object known next to an unknown one", () => {
    const web = (v.outputs.webApps as Record<string, Record<string, JsonValue>>).web;
    expect(web.type).toBe("regular_web");
    expect(web.clientId).toBe("${web-client.clientId}");
  });
});
