/**
 * Every URN the README has a user pass to `pulumi up --replace` (or any other command) names a
 * resource the stack declares: a renamed component would otherwise turn the cookie-secret rotation
 * into a command that replaces nothing.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { listStacks } from "../model/stacks";

const ROOT = path.resolve(__dirname, "..");
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");

describe.each(listStacks())("the README's URNs, for the %s stack", (stack) => {
  it("each name a resource the stack declares", () => {
    const rendered = JSON.parse(readFileSync(path.join(ROOT, "preview", `${stack}.json`), "utf8")) as {
      resources: Record<string, unknown>;
    };
    const declared = Object.keys(rendered.resources);
    const urns = [...README.matchAll(/urn:pulumi:<stack>::([^\s'"`]+)/g)].map((m) => m[1]);
    expect(urns.length).toBeGreaterThanOrEqual(2);
    for (const urn of urns) {
      const tail = urn.replace(/^native-web-sso::/, "");
      expect(declared, `the README's urn:pulumi:<stack>::${urn}`).toContain(tail);
    }
  });
});
