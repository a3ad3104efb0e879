import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { renderStack } from "../offline/render";

/** Every component the program declares, with what it registered as its outputs. */
const registered = new Map<
  string,
  { component: pulumi.ComponentResource; outputs: Record<string, unknown> }
>();

/** A component's public properties: its own fields, less the SDK's internals (`__...`, `urn`). */
function publicProperties(component: object): string[] {
  return Object.keys(component)
    .filter((k) => !k.startsWith("__") && k !== "urn")
    .sort();
}

describe("component outputs", () => {
  // `registerOutputs` is protected: reach it through a structural view of the prototype.
  const prototype = pulumi.ComponentResource.prototype as unknown as {
    registerOutputs(outputs?: Record<string, unknown>): void;
  };
  const spy = vi.spyOn(prototype, "registerOutputs");
  beforeAll(async () => {
    spy.mockImplementation(function (this: pulumi.ComponentResource, outputs?: Record<string, unknown>) {
      // The SDK itself registers empty outputs for a component once its constructor returns.
      if (outputs === undefined || Object.keys(outputs).length === 0) return;
      const type = (this as unknown as { __pulumiType: string }).__pulumiType;
      expect(registered.has(type), `${type} registers its outputs once`).toBe(false);
      registered.set(type, { component: this, outputs });
    });
    // Production: the stack with every optional part (custom domain, both platforms).
    await renderStack({
      stack: "prod",
      preview: false,
      loadProgram: async () => {
        vi.resetModules();
        return (await import("../index")) as Record<string, unknown>;
      },
    });
  });
  afterAll(() => spy.mockRestore());

  const COMPONENTS = [
    "native-web-sso:auth0:NativeApp",
    "native-web-sso:auth0:WebApp",
    "native-web-sso:aws:WebEndpoint",
    "native-web-sso:monitoring:Auth0LogStream",
    "native-web-sso:monitoring:EndpointLogMetrics",
    "native-web-sso:monitoring:SsoAlarms",
    "native-web-sso:monitoring:SsoDashboard",
    "native-web-sso:monitoring:SsoEventRules",
  ];

  it("are registered by every component of the program", () => {
    expect([...registered.keys()].sort()).toEqual(COMPONENTS);
  });

  it.each(COMPONENTS)("of %s are exactly its public properties, with the same values", (type) => {
    const { component, outputs } = registered.get(type)!;
    expect(Object.keys(outputs).sort()).toEqual(publicProperties(component));
    for (const [key, value] of Object.entries(outputs)) {
      expect(value, key).toBe((component as unknown as Record<string, unknown>)[key]);
    }
  });
});
