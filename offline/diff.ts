/** How one stack differs from another, per resource and property (`npm start -- --diff`). */

import { resourceKey, stableJson } from "./stable-json";
import { inline, isArchive, isScalar, parseJsonObject } from "./values";
import type { JsonValue, ResourceView, StackView } from "./view";

/** One property that differs: `~` changed, `+` only in the other stack, `-` only in the base stack. */
export interface PropertyChange {
  readonly op: "~" | "+" | "-";
  readonly path: string;
  readonly base?: JsonValue;
  readonly other?: JsonValue;
}

/** One resource that differs between two stacks. */
export interface ResourceChange {
  readonly op: "~" | "+" | "-";
  /** The URN without stack and project. */
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly changes: readonly PropertyChange[];
}

/** How one stack differs from another. */
export interface StackDiff {
  readonly base: string;
  readonly other: string;
  readonly resources: readonly ResourceChange[];
  readonly outputs: readonly PropertyChange[];
}

/**
 * Leaves of a value by path, for comparison: lists element by element, JSON documents (IAM policies)
 * by their own paths after ` » `, multi-line text line by line; archives stay whole.
 */
function flatten(v: JsonValue, path: string, out: Map<string, JsonValue>): Map<string, JsonValue> {
  const doc = typeof v === "string" ? parseJsonObject(v) : undefined;
  if (doc) flatten(doc, `${path} » `, out);
  else if (typeof v === "string" && v.includes("\n")) {
    v.replace(/\n$/, "")
      .split("\n")
      .forEach((line, i) => out.set(`${path} » line ${i + 1}`, line));
  } else if (isScalar(v) || isArchive(v)) out.set(path, v);
  else if (Array.isArray(v)) {
    if (v.length === 0) out.set(path, v);
    v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  } else {
    const keys = Object.keys(v).sort();
    if (keys.length === 0) out.set(path, v);
    for (const k of keys)
      flatten(v[k], path === "" || path.endsWith(" ") ? `${path}${k}` : `${path}.${k}`, out);
  }
  return out;
}

function same(a: JsonValue, b: JsonValue): boolean {
  return stableJson(a) === stableJson(b);
}

function compare(base: Map<string, JsonValue>, other: Map<string, JsonValue>): PropertyChange[] {
  const paths = [...new Set([...base.keys(), ...other.keys()])].sort();
  const changes: PropertyChange[] = [];
  for (const path of paths) {
    const a = base.get(path);
    const b = other.get(path);
    if (a === undefined && b !== undefined) changes.push({ op: "+", path, other: b });
    else if (b === undefined && a !== undefined) changes.push({ op: "-", path, base: a });
    else if (a !== undefined && b !== undefined && !same(a, b))
      changes.push({ op: "~", path, base: a, other: b });
  }
  return changes;
}

function properties(r: ResourceView): Map<string, JsonValue> {
  const out = flatten(r.inputs as JsonValue, "", new Map());
  out.set("(protect)", r.protect);
  return out;
}

/** Per resource (matched by URN, stack ignored) and property: how `other` differs from `base`. */
export function diffViews(base: StackView, other: StackView): StackDiff {
  const a = new Map(base.resources.map((r) => [resourceKey(r.urn), r]));
  const b = new Map(other.resources.map((r) => [resourceKey(r.urn), r]));
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const resources: ResourceChange[] = [];
  for (const key of keys) {
    const ra = a.get(key);
    const rb = b.get(key);
    const r = (rb ?? ra) as ResourceView;
    // A resource on one side only lists what it declares; "not protected" is no news there.
    const changes = compare(ra ? properties(ra) : new Map(), rb ? properties(rb) : new Map()).filter((c) =>
      !(ra && rb) ? !(c.path === "(protect)" && (c.base ?? c.other) === false) : true,
    );
    const op = ra && rb ? "~" : rb ? "+" : "-";
    if (op !== "~" || changes.length > 0) resources.push({ op, key, type: r.type, name: r.name, changes });
  }
  const outputs = compare(flatten(base.outputs, "", new Map()), flatten(other.outputs, "", new Map()));
  return { base: base.stack, other: other.stack, resources, outputs };
}

function changeLine(c: PropertyChange, indent: string): string {
  const show = (v: JsonValue | undefined) =>
    v === undefined ? "" : isArchive(v) ? `archive sha256:${v.sha256}` : inline(v);
  if (c.op === "~") return `${indent}~ ${c.path}: ${show(c.base)} → ${show(c.other)}`;
  return `${indent}${c.op} ${c.path}: ${show(c.op === "+" ? c.other : c.base)}`;
}

/** The text of `--diff`: what the other stack declares that the base stack does not, and back. */
export function formatDiffText(d: StackDiff, project: string): string {
  const out = [
    `Offline diff of stack "${d.base}" against stack "${d.other}" (project ${project}), both rendered`,
    "in-process under the Pulumi runtime's mocks; nothing was read from the cloud.",
    `  ~ path: ${d.base} value → ${d.other} value    + only in ${d.other}    - only in ${d.base}`,
    "",
  ];
  if (d.resources.length === 0 && d.outputs.length === 0) {
    out.push("The two stacks declare the same resources with the same settings.");
    return `${out.join("\n")}\n`;
  }
  out.push("Resources:");
  for (const r of d.resources) {
    const where = r.op === "+" ? `  (only in ${d.other})` : r.op === "-" ? `  (only in ${d.base})` : "";
    out.push(`  ${r.op} ${r.name}  (${r.type})${where}`, ...r.changes.map((c) => changeLine(c, "      ")));
  }
  out.push("", "Outputs:", ...d.outputs.map((c) => changeLine(c, "  ")));
  const count = (op: string) => d.resources.filter((r) => r.op === op).length;
  out.push(
    "",
    `${d.resources.length} resources differ: ${count("~")} changed, ${count("+")} only in ${d.other}, ` +
      `${count("-")} only in ${d.base}; ${d.outputs.length} outputs differ.`,
  );
  return `${out.join("\n")}\n`;
}

function changeJson(c: PropertyChange): JsonValue {
  return {
    op: c.op,
    ...(c.base !== undefined ? { base: c.base } : {}),
    ...(c.other !== undefined ? { other: c.other } : {}),
  };
}

/** The JSON of `--diff`, stable like {@link viewJson}. */
export function diffJson(d: StackDiff): string {
  const resources: Record<string, JsonValue> = {};
  for (const r of d.resources) {
    const changes: Record<string, JsonValue> = {};
    for (const c of r.changes) changes[c.path] = changeJson(c);
    resources[r.key] = { changes, name: r.name, op: r.op, type: r.type };
  }
  const outputs: Record<string, JsonValue> = {};
  for (const c of d.outputs) outputs[c.path] = changeJson(c);
  return stableJson({ base: d.base, other: d.other, outputs, resources });
}
