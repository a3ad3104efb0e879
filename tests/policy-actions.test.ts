/**
 * The pack's rules for Auth0 Actions: no `TriggerActions` may own the post-login flow, and an Action
 * runs on the pinned runtime without secrets. Shown on hand-built resources, and on what the
 * program itself declares (which passes), and on that declaration broken one way at a time.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it, vi } from "vitest";
import type { ModelResource, StackModel } from "../model/rendered";
import { renderStack } from "../offline/render";
import { evaluatePolicies } from "../policy/evaluate";
import { actionRuntimeAndSecrets, policies, postLoginFlowNotOwned } from "../policy/rules";

const TRIGGER_ACTIONS = "auth0:index/triggerActions:TriggerActions";
const ACTION = "auth0:index/action:Action";

/** Runs a resource policy on one resource of `type`; its violation messages. */
async function check(policy: ResourceValidationPolicy, type: string, props: object): Promise<string[]> {
  const validate = policy.validateResource;
  if (typeof validate !== "function") throw new Error(`${policy.name} validates no resource`);
  const messages: string[] = [];
  await validate(
    {
      type,
      props,
      urn: `urn:pulumi:dev::native-web-sso::${type}::subject`,
      name: "subject",
      opts: {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      stackTags: new Map(),
      isType: () => true,
      asType: () => props as never,
      getConfig: <T extends object>() => ({}) as T,
      notApplicable: () => undefined as never,
    },
    (message) => messages.push(message),
  );
  return messages;
}

const GOOD_ACTION = {
  name: "Acme transferred sessions (dev)",
  code: "exports.onExecutePostLogin = async () => {};",
  runtime: "node22",
  supportedTriggers: { id: "post-login", version: "v3" },
  deploy: true,
};

describe("post-login-flow-not-owned", () => {
  it("refuses a TriggerActions that owns the post-login flow, and says what to use instead", async () => {
    const [message, ...more] = await check(postLoginFlowNotOwned, TRIGGER_ACTIONS, {
      trigger: "post-login",
      actions: [{ id: "act_1", displayName: "ours" }],
    });
    expect(more).toEqual([]);
    expect(message).toContain("owns the whole post-login flow");
    expect(message).toContain("auth0.TriggerAction");
  });

  it("leaves other flows, and a trigger not known yet, alone", async () => {
    expect(
      await check(postLoginFlowNotOwned, TRIGGER_ACTIONS, { trigger: "credentials-exchange", actions: [] }),
    ).toEqual([]);
    expect(
      await check(postLoginFlowNotOwned, TRIGGER_ACTIONS, { trigger: unknownValue, actions: [] }),
    ).toEqual([]);
  });

  it("is in the pack", () => {
    expect(policies.map((p) => p.name)).toEqual(
      expect.arrayContaining(["post-login-flow-not-owned", "action-runtime-and-secrets"]),
    );
  });
});

describe("action-runtime-and-secrets", () => {
  it("passes an Action on node22 without secrets", async () => {
    expect(await check(actionRuntimeAndSecrets, ACTION, GOOD_ACTION)).toEqual([]);
  });

  it.each(["node12", "node16", "node18"])("refuses the older runtime %s", async (runtime) => {
    expect(await check(actionRuntimeAndSecrets, ACTION, { ...GOOD_ACTION, runtime })).toEqual([
      `Action "Acme transferred sessions (dev)" runs on "${runtime}", older than "node22": set runtime "node22".`,
    ]);
  });

  it("refuses an Action that leaves the runtime to Auth0", async () => {
    const { runtime: _runtime, ...unpinned } = GOOD_ACTION;
    expect(await check(actionRuntimeAndSecrets, ACTION, unpinned)).toEqual([
      `Action "Acme transferred sessions (dev)" declares no runtime, so Auth0 picks one: set runtime "node22".`,
    ]);
  });

  it("refuses secrets of either kind", async () => {
    const messages = await check(actionRuntimeAndSecrets, ACTION, {
      ...GOOD_ACTION,
      secrets: [{ name: "API_KEY", value: "s3cr3t" }],
      secretsWos: [{ name: "OTHER", value: "x" }],
    });
    expect(messages).toEqual([
      'Action "Acme transferred sessions (dev)" declares secrets: the stack\'s Actions hold no secret. Remove them.',
      'Action "Acme transferred sessions (dev)" declares secretsWos: the stack\'s Actions hold no secret. Remove them.',
    ]);
  });
});

describe("the pack on the program's own Action", () => {
  const load = async () => {
    vi.resetModules();
    return (await import("../index")) as Record<string, unknown>;
  };
  const render = () =>
    renderStack({
      stack: "prod",
      preview: true,
      configOverrides: { "native-web-sso:transferredSessionLifetime": "3600" },
      loadProgram: load,
    });
  const violations = async (model: StackModel) =>
    (await evaluatePolicies(model))
      .filter((v) => v.enforcement === "mandatory")
      .map((v) => `${v.policy}: ${v.message}`);
  const changed = (model: StackModel, type: string, inputs: ModelResource["inputs"]): StackModel => ({
    ...model,
    resources: model.resources.map((r) =>
      r.type === type ? { ...r, inputs: { ...r.inputs, ...inputs } } : r,
    ),
  });

  it("passes it as declared, and refuses it on an older runtime", async () => {
    const model = await render();
    expect(await violations(model)).toEqual([]);
    const [older] = await violations(changed(model, ACTION, { runtime: "node18" }));
    expect(older).toMatch(/^action-runtime-and-secrets: .*runs on "node18"/);
  }, 120_000);
});
