/** The text the offline preview prints for a stack: header, resource tree, settings, outputs, policies. */

import type { PolicyVerdict } from "../model/rendered";
import { realPreviewCommand } from "./commands";
import { entryLines, settingsLines } from "./settings";
import { resourceKey, sortVerdicts } from "./stable-json";
import { SECRET_TEXT, UNKNOWN_TEXT, type ResourceView, type StackView } from "./view";

interface TreeRow {
  readonly type: string;
  readonly name: string;
  readonly protect: boolean;
}

/** The resource tree as `pulumi preview` draws it: parents above their children. */
function treeRows(view: StackView): TreeRow[] {
  const children = new Map<string, ResourceView[]>();
  for (const r of view.resources) {
    const siblings = children.get(r.parent) ?? [];
    siblings.push(r);
    children.set(r.parent, siblings);
  }
  const rows: TreeRow[] = [
    { type: "pulumi:pulumi:Stack", name: `${view.project}-${view.stack}`, protect: false },
  ];
  const walk = (urn: string, prefix: string): void => {
    const kids = children.get(urn) ?? [];
    kids.forEach((r, i) => {
      const last = i === kids.length - 1;
      rows.push({ type: `${prefix}${last ? "└─ " : "├─ "}${r.type}`, name: r.name, protect: r.protect });
      walk(r.urn, `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk(view.stackUrn, "");
  // Anything whose parent was not recorded still shows, at the top level.
  const reachable = new Set([view.stackUrn, ...view.resources.map((r) => r.urn)]);
  for (const r of view.resources) {
    if (!reachable.has(r.parent)) rows.push({ type: `?  ${r.type}`, name: r.name, protect: r.protect });
  }
  return rows;
}

/** The header every text rendering starts with: what this is and how to run the real thing. */
export function headerLines(stack: string, project: string): string[] {
  return [
    `Offline preview of stack "${stack}" (project ${project}): rendered in-process under the Pulumi`,
    "runtime's mocks. Nothing was read from or sent to AWS or Auth0, and no state was consulted.",
    `The real preview (credentials and the state backend needed): ${realPreviewCommand(stack)}`,
    `${UNKNOWN_TEXT} and \${resource.property} mark values only the cloud knows; ${SECRET_TEXT} marks secrets.`,
  ];
}

/** Policy verdicts, mandatory first. */
export function policyReportLines(verdicts: readonly PolicyVerdict[], view: StackView): string[] {
  if (verdicts.length === 0) return ["  No policy reported a violation."];
  const names = new Map(view.resources.map((r) => [r.urn, `${r.name} (${r.type})`]));
  return sortVerdicts(verdicts).flatMap((v) => [
    `  [${v.enforcement}] ${v.policy}${v.urn ? `: ${names.get(v.urn) ?? resourceKey(v.urn)}` : ""}`,
    ...v.message.split("\n").map((l) => `      ${l}`),
  ]);
}

/** The text the offline preview prints for a stack. */
export function formatText(view: StackView): string {
  const out: string[] = [...headerLines(view.stack, view.project), ""];
  const rows = treeRows(view);
  const typeWidth = Math.max(4, ...rows.map((r) => r.type.length)) + 2;
  out.push(`     ${"Type".padEnd(typeWidth)}Name`);
  for (const r of rows) {
    out.push(` +   ${r.type.padEnd(typeWidth)}${r.name}${r.protect ? "  [protected]" : ""}`.trimEnd());
  }
  out.push("", "Resources:", `    + ${rows.length} to create`, "", "Settings:");
  for (const r of view.resources) {
    if (!r.custom) continue;
    out.push(`  ${r.name}  (${r.type}${r.protect ? ", protected" : ""})`, ...settingsLines(r), "");
  }
  out.push("Outputs:");
  for (const key of Object.keys(view.outputs).sort()) out.push(...entryLines(key, view.outputs[key], "    "));
  if (view.policies) out.push("", "Policies:", ...policyReportLines(view.policies, view));
  return `${out.join("\n")}\n`;
}
