/**
 * The post-login Action that time-boxes sessions a session transfer token starts: its handler
 * against the event and API shapes Auth0 documents (`actions/auth0-post-login.ts`), and the code the
 * stack deploys, run as Auth0 runs an Action's code (a CommonJS module on its own: no `require`).
 */
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import type { OnExecutePostLogin, PostLoginApi, PostLoginEvent } from "../actions/auth0-post-login";
import { buildPostLoginActionCode } from "../actions/bundle";
import { transferredSessionAction } from "../actions/post-login";
import { TRANSFER_REFUSAL_PREFIX, type TransferredSessionPolicy } from "../model/transferred-sessions";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const NATIVE = "nAtIvEcLiEnTiD000000000000000001";
const OTHER_NATIVE = "oThErNaTiVeCLiEnT00000000000002";
const WEB = "wEbCLiEnTiD00000000000000000001";
const OTHER_WEB = "oThErWeBcLiEnT000000000000000002";

/** A post-login event for a login at `webClientId`, started by a token of `nativeClientId` if given. */
function event(webClientId: string, nativeClientId?: string): PostLoginEvent {
  return {
    client: { client_id: webClientId, name: "Shop" },
    user: { user_id: "auth0|ada" },
    session: { id: "sess-1", created_at: new Date(NOW).toISOString() },
    ...(nativeClientId
      ? {
          session_transfer_token: {
            client_id: nativeClientId,
            scope: ["openid", "offline_access"],
            request: { ip: "203.0.113.7", asn: "64500", user_agent: "ShopApp/1.0" },
          },
        }
      : {}),
  };
}

/** An API that records every call, in order. */
function recordingApi(): { api: PostLoginApi; calls: string[][] } {
  const calls: string[][] = [];
  const api: PostLoginApi = {
    access: { deny: (reason) => calls.push(["deny", reason]) },
    session: {
      setExpiresAt: (at) => calls.push(["setExpiresAt", new Date(at).toISOString()]),
      setIdleExpiresAt: (at) => calls.push(["setIdleExpiresAt", new Date(at).toISOString()]),
    },
  };
  return { api, calls };
}

const LIFETIMES: TransferredSessionPolicy = { lifetimeSeconds: 3600, idleLifetimeSeconds: 900 };
const REFUSING: TransferredSessionPolicy = { ...LIFETIMES, redeemableAt: { [NATIVE]: [WEB] } };

/**
 * The deployed code's `onExecutePostLogin`, loaded the way Node loads a CommonJS file, with no
 * `require` and, unless `clock` is false, Auth0's clock stopped at NOW.
 */
function deployed(policy: TransferredSessionPolicy, clock = true): OnExecutePostLogin {
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string): never => {
    throw new Error(`the Action's code requires ${id}, which Auth0 would have to install`);
  };
  const stopped = clock ? { Date: { now: () => NOW } } : {};
  runInNewContext(buildPostLoginActionCode(policy), { module, exports: module.exports, require, ...stopped });
  const handler = module.exports.onExecutePostLogin;
  if (typeof handler !== "function") throw new Error("the code exports no onExecutePostLogin");
  return handler as OnExecutePostLogin;
}

/** The handler as a unit and as the code the stack deploys, both on a clock stopped at NOW. */
const handlers: [string, (policy: TransferredSessionPolicy) => OnExecutePostLogin][] = [
  ["the handler", (policy) => transferredSessionAction(policy, () => NOW)],
  ["the deployed code", (policy) => deployed(policy)],
];

describe("the post-login Action", () => {
  for (const [what, make] of handlers) {
    it(`${what}: gives a session started by a session transfer token the configured lifetimes`, async () => {
      const { api, calls } = recordingApi();
      await make(LIFETIMES)(event(WEB, NATIVE), api);
      expect(calls).toEqual([
        ["setExpiresAt", "2026-12-07T13:00:00.000Z"],
        ["setIdleExpiresAt", "2026-12-07T12:15:00.000Z"],
      ]);
    });

    it(`${what}: leaves an ordinary login alone, even when it refuses unknown native apps`, async () => {
      const { api, calls } = recordingApi();
      await make(REFUSING)(event(OTHER_WEB), api);
      expect(calls).toEqual([]);
    });

    it(`${what}: sets only the lifetime it is given`, async () => {
      const { api, calls } = recordingApi();
      await make({ idleLifetimeSeconds: 600 })(event(WEB, NATIVE), api);
      expect(calls).toEqual([["setIdleExpiresAt", "2026-12-07T12:10:00.000Z"]]);
    });

    it(`${what}: refuses a token of a native app the stack does not declare, naming it`, async () => {
      const { api, calls } = recordingApi();
      await make(REFUSING)(event(WEB, OTHER_NATIVE), api);
      expect(calls).toHaveLength(1);
      expect(calls[0][0]).toBe("deny");
      expect(calls[0][1]).toMatch(new RegExp(`^${TRANSFER_REFUSAL_PREFIX} .*client ${OTHER_NATIVE}`));
    });

    it(`${what}: refuses a token redeemed at a web app not on its native app's list, naming both`, async () => {
      const { api, calls } = recordingApi();
      await make(REFUSING)(event(OTHER_WEB, NATIVE), api);
      expect(calls).toHaveLength(1);
      expect(calls[0][0]).toBe("deny");
      expect(calls[0][1]).toContain(`client ${OTHER_WEB}`);
      expect(calls[0][1]).toContain(`client ${NATIVE}`);
    });

    it(`${what}: does not take an inherited property for a declared native app`, async () => {
      const { api, calls } = recordingApi();
      await make(REFUSING)(event(WEB, "constructor"), api);
      expect(calls.map(([name]) => name)).toEqual(["deny"]);
    });

    it(`${what}: refuses nothing when the stack did not ask for refusals`, async () => {
      const { api, calls } = recordingApi();
      await make(LIFETIMES)(event(OTHER_WEB, OTHER_NATIVE), api);
      expect(calls.map(([name]) => name)).toEqual(["setExpiresAt", "setIdleExpiresAt"]);
    });
  }
});

describe("the Action's deployed code", () => {
  it("is one self-contained CommonJS file that exports onExecutePostLogin and requires nothing", () => {
    const code = buildPostLoginActionCode(REFUSING);
    expect(code).not.toMatch(/\brequire\(/);
    expect(code).toContain("exports.onExecutePostLogin");
    expect(typeof deployed(REFUSING)).toBe("function");
  });

  it("counts the lifetimes from Auth0's own clock when it runs", async () => {
    const { api, calls } = recordingApi();
    const before = Date.now();
    await deployed(LIFETIMES, false)(event(WEB, NATIVE), api);
    const expires = Date.parse(calls[0][1]);
    expect(expires).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it("compiles the policy in: the same policy gives the same code, another policy other code", () => {
    expect(buildPostLoginActionCode(LIFETIMES)).toBe(buildPostLoginActionCode(LIFETIMES));
    expect(buildPostLoginActionCode(LIFETIMES)).not.toBe(buildPostLoginActionCode(REFUSING));
  });
});
