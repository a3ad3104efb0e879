/**
 * The offline preview and `--diff` with several apps: a single-page app, a web app that runs
 * elsewhere and per-platform native clients show as resources of their own, with every setting,
 * and a diff against the plain stack shows exactly them, nothing else changed.
 */

import { beforeAll, describe, expect, it, vi } from "vitest";
import { diffViews, formatDiffText } from "../offline/diff";
import { formatText } from "../offline/text";
import { renderStack } from "../offline/render";
import { toView, type StackView } from "../offline/view";
import { evaluatePolicies } from "../policy/evaluate";
import { MANY_APPS_CONFIG } from "../testkit/many-apps";

const loadProgram = async () => {
  vi.resetModules();
  return (await import("../index")) as Record<string, unknown>;
};

async function view(configOverrides: Record<string, string>): Promise<StackView> {
  const preview = await renderStack({ stack: "dev", configOverrides, loadProgram });
  const wiring = await renderStack({ stack: "dev", preview: false, configOverrides, loadProgram });
  return toView(preview, wiring, await evaluatePolicies(preview));
}

describe("the offline preview of a stack with several apps", () => {
  let plain: StackView;
  let apps: StackView;
  beforeAll(async () => {
    plain = await view({});
    apps = await view(MANY_APPS_CONFIG);
  });

  it("shows each new client with its settings, and no policy violation", () => {
    const text = formatText(apps);
    expect(text).toContain("shop-client");
    expect(text).toMatch(/appType: spa\n/);
    expect(text).toContain("webOrigins: [https://shop.acme.com]\n");
    expect(text).toContain("authenticationMethod: none\n");
    expect(text).toContain("portal-client");
    expect(text).toContain("native-ios-client");
    expect(text).toContain("native-android-client");
    expect(apps.policies).toEqual([]);
  });

  it("diffs against the plain stack as the added apps and outputs only", () => {
    const text = formatDiffText(diffViews(plain, apps), "native-web-sso");
    for (const name of ["shop", "shop-client", "shop-credentials", "portal-client", "native-ios-client"]) {
      expect(text).toMatch(new RegExp(`\\n  \\+ ${name}  \\(`));
    }
    expect(text).toContain("      + appType: spa\n");
    expect(text).toMatch(/ 12 only in dev, 0 only in dev;/);
    // What changes is only monitoring's scope: its client-scoped rules name the new clients too.
    const changed = [...text.matchAll(/\n {2}~ (\S+) {2}\(/g)].map((m) => m[1]);
    expect(changed.length).toBeGreaterThan(0);
    for (const name of changed) expect(name).toMatch(/^monitoring-rules-/);
    // A stack without external apps exports an empty secret map, never an undefined output.
    expect(plain.outputs.externalWebAppClientSecrets).toBe("[secret]");
    expect(apps.outputs.externalWebAppClientSecrets).toBe("[secret]");
  });
});
