/**
 * The README's upgrade note for stacks deployed before per-stack AWS names: every resource its
 * table says is replaced is one the offline diff marks as replaced when its name changes (the
 * provider's ForceNew rule in `offline/replacements.ts`), under the new name the table gives, in
 * every committed stack; and no resource of the Auth0 side is among them.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { listStacks } from "../model/stacks";
import { replacesOnChange } from "../offline/replacements";

const ROOT = path.resolve(__dirname, "..");
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");

interface Rendered {
  resources: Record<string, { inputs: Record<string, unknown> }>;
}

/** The upgrade table's rows: [logical names (backticked), new names (backticked)]. */
function upgradeRows(): { logical: string[]; names: string[] }[] {
  const start = README.indexOf("#### Upgrading a stack deployed before per-stack AWS names");
  expect(start, "README has no upgrade note").toBeGreaterThan(0);
  const table = README.slice(start)
    .split("\n\n")
    .find((block) => block.startsWith("| replaced"));
  expect(table, "the upgrade note has no table").toBeDefined();
  const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  return String(table)
    .split("\n")
    .slice(2)
    .map((row) => row.split("|").map((c) => c.trim()))
    .map(([, replaced, renamed]) => ({ logical: ticks(replaced), names: ticks(renamed) }));
}

/**
 * The resources a logical name of the table stands for: `monitoring-rules-*` is every resource of
 * that prefix that the row's new names describe (the rules, not their targets or archive).
 */
function resourcesNamed(model: Rendered, logical: string, names: readonly RegExp[]) {
  const matches = Object.entries(model.resources).filter(([urn, r]) => {
    const name = urn.split("::").pop() ?? "";
    return logical.endsWith("-*")
      ? name.startsWith(logical.slice(0, -1)) && names.some((n) => n.test(String(r.inputs.name)))
      : name === logical;
  });
  return matches.map(([urn, r]) => ({ type: urn.split("::")[0].split("$").pop() ?? "", inputs: r.inputs }));
}

describe.each(listStacks())("the README's upgrade note, for the %s stack", (stack) => {
  const model = JSON.parse(readFileSync(path.join(ROOT, "preview", `${stack}.json`), "utf8")) as Rendered;
  const rows = upgradeRows();

  it("names resources the diff replaces on a new name, under the names the stack gives them", () => {
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      const logical = row.logical.filter((l) => !l.includes("/") && !l.includes("<"));
      expect(logical.length, JSON.stringify(row)).toBeGreaterThan(0);
      const patterns = row.names.map(
        (n) =>
          new RegExp(
            `^${n
              .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
              .replace(/<stack>/g, stack)
              .replace(/<[a-z]+>/g, "[a-z0-9-]+")}$`,
          ),
      );
      for (const l of logical) {
        const found = resourcesNamed(model, l, patterns);
        // A stack that opts out of monitoring has no rules or topic to move.
        if (found.length === 0 && l.startsWith("monitoring-")) continue;
        expect(found.length, `${stack} declares ${l}`).toBeGreaterThan(0);
        for (const r of found) {
          expect(replacesOnChange(r.type, "name"), `${r.type} replaces on a new name`).toBe(true);
          expect(r.type.startsWith("auth0:"), `${l} is on the Auth0 side`).toBe(false);
          const name = String(r.inputs.name);
          expect(
            patterns.some((p) => p.test(name)),
            `${l} is named ${name}, the README says ${row.names.join(", ")}`,
          ).toBe(true);
        }
      }
    }
  });

  it("leaves out no resource the diff would replace on a new name", () => {
    const listed = rows.flatMap((r) => r.logical);
    for (const [urn, r] of Object.entries(model.resources)) {
      const type = urn.split("::")[0].split("$").pop() ?? "";
      const name = urn.split("::").pop() ?? "";
      if (!replacesOnChange(type, "name") || typeof r.inputs.name !== "string") continue;
      // Renamed by the move: a flat name of the new scheme, or a log group in the stack's path.
      const moved =
        r.inputs.name.includes(`${stack}_`) ||
        (type === "aws:cloudwatch/logGroup:LogGroup" &&
          r.inputs.name.startsWith(`/native-web-sso/${stack}/`));
      if (!moved) continue;
      const covered = listed.some((l) => (l.endsWith("-*") ? name.startsWith(l.slice(0, -1)) : name === l));
      expect(
        covered,
        `${name} (${type}) is renamed to ${r.inputs.name} and replaced: add it to the README's upgrade note`,
      ).toBe(true);
    }
  });
});
