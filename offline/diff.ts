/**
 * How one stack differs from another, per resource and property (`npm start -- --diff`): the same
 * by-value comparison as `--since` (`./change-diff.ts`), so a list element inserted, removed or
 * moved reads as exactly that; two stacks' resources are not one resource changed, so nothing here
 * is a replacement.
 */

import { type ChangeLine, diffStack, lineText, type ResourceDelta } from "./change-diff";
import { stableJson } from "./stable-json";
import type { JsonValue, StackView } from "./view";

/** How one stack differs from another: `before` is the base stack, `after` the other. */
export interface StackDiff {
  readonly base: string;
  readonly other: string;
  readonly resources: readonly ResourceDelta[];
  readonly outputs: readonly ChangeLine[];
}

/** Per resource (matched by URN, stack ignored) and property: how `other` differs from `base`. */
export function diffViews(base: StackView, other: StackView): StackDiff {
  const d = diffStack(base, other, { replacements: false });
  return { base: base.stack, other: other.stack, resources: d.resources, outputs: d.outputs };
}

const LINE_INDENT = "      ";

/** The text of `--diff`: what the other stack declares that the base stack does not, and back. */
export function formatDiffText(d: StackDiff, project: string): string {
  const out = [
    `Offline diff of stack "${d.base}" against stack "${d.other}" (project ${project}), both rendered`,
    "in-process under the Pulumi runtime's mocks; nothing was read from the cloud.",
    `  ~ path: ${d.base} value → ${d.other} value    + only in ${d.other}    - only in ${d.base}    ↕ moved in a list`,
    "",
  ];
  if (d.resources.length === 0 && d.outputs.length === 0) {
    out.push("The two stacks declare the same resources with the same settings.");
    return `${out.join("\n")}\n`;
  }
  out.push("Resources:");
  for (const r of d.resources) {
    const kind = r.custom ? "" : ", component";
    const where = r.op === "+" ? `  (only in ${d.other})` : r.op === "-" ? `  (only in ${d.base})` : "";
    out.push(
      `  ${r.op} ${r.name}  (${r.type}${kind})${where}`,
      ...r.lines.map((l) => lineText(l, LINE_INDENT)),
    );
  }
  if (d.outputs.length > 0) out.push("", "Outputs:", ...d.outputs.map((l) => lineText(l, "  ")));
  const count = (op: string) => d.resources.filter((r) => r.op === op).length;
  out.push(
    "",
    `${d.resources.length} resources differ: ${count("~")} changed, ${count("+")} only in ${d.other}, ` +
      `${count("-")} only in ${d.base}; ${d.outputs.length} outputs differ.`,
  );
  return `${out.join("\n")}\n`;
}

type Change = { op: string; base?: JsonValue; other?: JsonValue };

/** Lines by path; a value removed and one added at the same place are one value changed. */
function changesByPath(lines: readonly ChangeLine[]): Record<string, JsonValue> {
  const byPath = new Map<string, Change>();
  for (const l of lines) {
    const seen = byPath.get(l.path);
    const change: Change = {
      op: seen ? "~" : l.op === ">" ? "moved" : l.op,
      ...(l.before !== undefined ? { base: l.before } : seen?.base !== undefined ? { base: seen.base } : {}),
      ...(l.after !== undefined
        ? { other: l.after }
        : seen?.other !== undefined
          ? { other: seen.other }
          : {}),
    };
    byPath.set(l.path, change);
  }
  return Object.fromEntries(byPath) as Record<string, JsonValue>;
}

/** The JSON of `--diff`, stable like {@link viewJson}. */
export function diffJson(d: StackDiff): string {
  const resources: Record<string, JsonValue> = {};
  for (const r of d.resources)
    resources[r.key] = { changes: changesByPath(r.lines), name: r.name, op: r.op, type: r.type };
  return stableJson({ base: d.base, other: d.other, outputs: changesByPath(d.outputs), resources });
}
