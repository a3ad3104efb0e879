/**
 * The program with the post-login Action that time-boxes transferred sessions: declared only when
 * asked for, as one Action bound into `post-login` with `TriggerAction` (never `TriggerActions`),
 * on the pinned runtime, without secrets, its code built for this stack's clients. A stack that
 * sets none of the keys (or sets them to their defaults) renders exactly its committed preview.
 */
import * as path from "node:path";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { OnExecutePostLogin, PostLoginApi } from "../actions/auth0-post-login";
import { reveal, resourcesOf, type StackModel } from "../model/rendered";
import { execFile } from "node:child_process";
import { renderStack } from "../offline/render";
import { onlyResource } from "../testkit/model";

const load = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};
const render = (stack: "dev" | "prod", overrides: Record<string, string> = {}) =>
  renderStack({ stack, preview: false, configOverrides: overrides, loadProgram: load });

const ROOT = path.resolve(__dirname, "..");

/** The offline preview's JSON of a stack, as `npm start -- --stack <stack> --json` prints it. */
function previewJson(stack: string, config: readonly string[]): Promise<string> {
  const args = ["offline/cli.ts", "--stack", stack, "--json", ...config.flatMap((c) => ["--config", c])];
  return new Promise((resolve, reject) =>
    execFile(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      args,
      { cwd: ROOT, maxBuffer: 32 << 20 },
      (e, out) => (e ? reject(e) : resolve(out)),
    ),
  );
}

const LIFETIME = "native-web-sso:transferredSessionLifetime";
const IDLE = "native-web-sso:transferredSessionIdleLifetime";
const REFUSE = "native-web-sso:transferredSessionRefuseUndeclared";
const ACTION = "auth0:index/action:Action";
const BINDING = "auth0:index/triggerAction:TriggerAction";
const FLOW = "auth0:index/triggerActions:TriggerActions";
const SHOP = {
  name: "shop",
  type: "regular_web",
  loginUri: "https://shop.acme.com/login",
  callbackUrls: ["https://shop.acme.com/callback"],
};

/** Runs an Action's code as Auth0 would (a CommonJS module, nothing to require) on a login. */
async function runAction(code: string, webClientId: string, nativeClientId: string): Promise<string[]> {
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(code, { module, exports: module.exports, Date: { now: () => 0 } });
  const calls: string[] = [];
  const api: PostLoginApi = {
    access: { deny: (reason) => calls.push(`deny ${reason}`) },
    session: {
      setExpiresAt: (at) => calls.push(`expires ${at}`),
      setIdleExpiresAt: (at) => calls.push(`idle ${at}`),
    },
  };
  await (module.exports.onExecutePostLogin as OnExecutePostLogin)(
    {
      client: { client_id: webClientId, name: "web" },
      user: { user_id: "auth0|ada" },
      session_transfer_token: {
        client_id: nativeClientId,
        scope: ["openid"],
        request: { ip: "203.0.113.7" },
      },
    },
    api,
  );
  return calls;
}

function clientId(model: StackModel, name: string): string {
  return String(
    reveal(onlyResource(model, "auth0:index/clientCredentials:ClientCredentials", name).inputs.clientId),
  );
}

describe.each(["dev", "prod"] as const)("%s", (stack) => {
  it("renders exactly as without them when the Action's keys are set to their defaults", async () => {
    // Against a render of this process, not preview/<stack>.json (tests/preview-cli.test.ts keeps
    // that fresh): the comparison holds for any bytes of the web app's bundle.
    const without = await previewJson(stack, []);
    const rendered = await previewJson(stack, [`${LIFETIME}=0`, `${IDLE}=0`, `${REFUSE}=false`]);
    expect(rendered === without, `${stack} renders otherwise with the Action's keys at their defaults`).toBe(
      true,
    );
    const doc = JSON.parse(rendered) as { resources: Record<string, unknown> };
    expect(Object.keys(doc.resources).filter((k) => /triggerActions?:|action:Action/.test(k))).toEqual([]);
  }, 120_000);

  describe("with transferred sessions time-boxed", () => {
    let model: StackModel;
    beforeAll(async () => {
      model = await render(stack, { [LIFETIME]: "3600", [IDLE]: "900" });
    }, 120_000);

    it("declares one Action on the newest runtime, without secrets, bound alone into post-login", () => {
      const action = onlyResource(model, ACTION, "transferred-sessions-action");
      expect(action.inputs).toMatchObject({
        runtime: "node22",
        supportedTriggers: { id: "post-login", version: "v3" },
        deploy: true,
        name: expect.stringContaining(`(${stack})`) as unknown,
      });
      expect(action.inputs.secrets).toBeUndefined();
      expect(action.inputs.secretsWos).toBeUndefined();
      const binding = onlyResource(model, BINDING, "transferred-sessions-binding");
      expect(binding.inputs.trigger).toBe("post-login");
      expect(binding.parent).toBe(action.parent);
      expect(binding.inputs.actionId).toEqual(expect.any(String));
    });

    it("binds the Action it declares: the binding's actionId is the Action's id", async () => {
      const doc = JSON.parse(await previewJson(stack, [`${LIFETIME}=3600`])) as {
        resources: Record<string, { inputs: Record<string, unknown> }>;
      };
      const binding = Object.entries(doc.resources).find(([key]) =>
        key.endsWith("::transferred-sessions-binding"),
      );
      expect(binding?.[1].inputs.actionId).toBe("${transferred-sessions-action.id}");
      expect(resourcesOf(model, FLOW)).toEqual([]);
    });

    it("deploys code that gives a transferred session the configured lifetimes", async () => {
      const code = String(reveal(onlyResource(model, ACTION).inputs.code));
      expect(await runAction(code, "any-web", "any-native")).toEqual(["expires 3600000", "idle 900000"]);
    });
  });

  it("with refusals, lets exactly the stack's native clients hand over to exactly its web apps", async () => {
    const model = await render(stack, {
      [REFUSE]: "true",
      "native-web-sso:externalWebApps": JSON.stringify([SHOP]),
    });
    const code = String(reveal(onlyResource(model, ACTION).inputs.code));
    const native = clientId(model, "native-credentials");
    const webs = [clientId(model, "web-credentials"), clientId(model, "shop-credentials")];
    for (const web of webs) expect(await runAction(code, web, native)).toEqual([]);
    const [foreign] = await runAction(code, webs[0], "someone-elses-native-app");
    expect(foreign).toMatch(/^deny Native to Web SSO refused: .*client someone-elses-native-app/);
    const [elsewhere] = await runAction(code, "someone-elses-web-app", native);
    expect(elsewhere).toMatch(/^deny Native to Web SSO refused: .*client someone-elses-web-app/);
  }, 120_000);
});
