/**
 * What one change does to one stack (`npm start -- --stack <s> --since <ref>`), the way a reviewer
 * reads `pulumi preview --diff`: per resource `+` create, `-` delete, `~` update, `+-` replace (from
 * the providers' schemas, `./replacements.ts`), and per property what changed. Lists are compared by
 * value (longest common subsequence), so an insertion, a removal or a move reads as exactly that;
 * JSON documents inside strings (event patterns, IAM policies, dashboards) are compared as
 * documents, multi-line text (plist, XML) line by line in order. Unchanged resources print nothing.
 */

import { consequence, replacesOnChange } from "./replacements";
import { resourceKey, stableJson } from "./stable-json";
import { inline, isArchive } from "./values";
import type { JsonValue, ResourceView, StackView } from "./view";

/** One line of a property diff. */
export interface ChangeLine {
  /** `~` changed, `+` added, `-` removed, `>` moved (same value, other place), `+-` forces replacement. */
  readonly op: "~" | "+" | "-" | ">" | "+-";
  readonly path: string;
  readonly text: string;
  /** The value before (`~`, `-`, `>`, `+-`), for the JSON of a diff. */
  readonly before?: JsonValue;
  /** The value after (`~`, `+`, `>`, `+-`). */
  readonly after?: JsonValue;
}

/** One resource that changed. */
export interface ResourceDelta {
  readonly op: "+" | "-" | "~" | "+-";
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly lines: readonly ChangeLine[];
}

/** What changed in a stack between two renderings. */
export interface StackDelta {
  readonly resources: readonly ResourceDelta[];
  readonly outputs: readonly ChangeLine[];
}

const same = (a: JsonValue, b: JsonValue): boolean => stableJson(a) === stableJson(b);

function show(v: JsonValue): string {
  return isArchive(v) ? `archive sha256:${v.sha256}` : inline(v);
}

/** The longest common subsequence of two lists, as index pairs. */
function lcs<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[i][j] = eq(a[i], b[j]) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (eq(a[i], b[j])) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** A JSON document inside a string: an object or a list, as event patterns and policies are. */
function parseDocument(s: string): JsonValue | undefined {
  const t = s.trim();
  if (!t.startsWith("{") && !t.startsWith("[")) return undefined;
  try {
    const parsed = JSON.parse(t) as JsonValue;
    return parsed !== null && typeof parsed === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } =>
  v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);

const child = (path: string, key: string): string =>
  path === "" || path.endsWith(" ") ? `${path}${key}` : `${path}.${key}`;

function diffLists(path: string, a: readonly JsonValue[], b: readonly JsonValue[], out: ChangeLine[]): void {
  const kept = lcs(a, b, same);
  const removed: number[] = [];
  const added: number[] = [];
  let i = 0;
  let j = 0;
  const gaps: Array<[number[], number[]]> = [];
  for (const [pi, pj] of [...kept, [a.length, b.length] as [number, number]]) {
    const r: number[] = [];
    const s: number[] = [];
    for (; i < pi; i++) r.push(i);
    for (; j < pj; j++) s.push(j);
    if (r.length + s.length > 0) gaps.push([r, s]);
    removed.push(...r);
    added.push(...s);
    i = pi + 1;
    j = pj + 1;
  }
  // A value removed in one place and added in another moved.
  const movedFrom = new Map<number, number>();
  for (const ai of removed) {
    const bj = added.find((x) => !movedFrom.has(x) && same(a[ai], b[x]));
    if (bj !== undefined) movedFrom.set(bj, ai);
  }
  const moved = new Set(movedFrom.values());
  for (const [r, s] of gaps) {
    const rs = r.filter((x) => !moved.has(x));
    const ss = s.filter((x) => !movedFrom.has(x));
    // An object replaced by an object in the same place is one element changed: show what changed.
    while (rs.length > 0 && ss.length > 0 && isObject(a[rs[0]]) && isObject(b[ss[0]])) {
      diffValue(`${path}[${ss[0]}]`, a[rs.shift() as number], b[ss.shift() as number], out);
    }
    for (const x of rs) out.push({ op: "-", path: `${path}[${x}]`, text: show(a[x]), before: a[x] });
    for (const x of ss) out.push({ op: "+", path: `${path}[${x}]`, text: show(b[x]), after: b[x] });
    for (const x of s.filter((y) => movedFrom.has(y)))
      out.push({
        op: ">",
        path: `${path}[${x}]`,
        text: `${show(b[x])} (moved from [${movedFrom.get(x)}])`,
        before: a[movedFrom.get(x) as number],
        after: b[x],
      });
  }
}

function diffText(path: string, a: string, b: string, out: ChangeLine[]): void {
  const la = a.replace(/\n$/, "").split("\n");
  const lb = b.replace(/\n$/, "").split("\n");
  const kept = lcs(la, lb, (x, y) => x === y);
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...kept, [la.length, lb.length] as [number, number]]) {
    for (; i < pi; i++)
      out.push({ op: "-", path: `${path} » line ${i + 1}`, text: JSON.stringify(la[i]), before: la[i] });
    for (; j < pj; j++)
      out.push({ op: "+", path: `${path} » line ${j + 1}`, text: JSON.stringify(lb[j]), after: lb[j] });
    i = pi + 1;
    j = pj + 1;
  }
}

/** Appends what changed from `a` to `b` below `path`; nothing when they are equal. */
export function diffValue(
  path: string,
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  out: ChangeLine[],
): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ op: "+", path, text: show(b as JsonValue), after: b });
  if (b === undefined) return void out.push({ op: "-", path, text: show(a), before: a });
  if (same(a, b)) return;
  if (typeof a === "string" && typeof b === "string") {
    const da = parseDocument(a);
    const db = parseDocument(b);
    if (da !== undefined && db !== undefined) return diffValue(`${path} » `, da, db, out);
    if (a.includes("\n") || b.includes("\n")) return diffText(path, a, b, out);
  }
  if (Array.isArray(a) && Array.isArray(b)) return diffLists(path, a, b, out);
  if (isObject(a) && isObject(b) && !isArchive(a) && !isArchive(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      diffValue(child(path, key), a[key], b[key], out);
    return;
  }
  out.push({ op: "~", path, text: `${show(a)} → ${show(b)}`, before: a, after: b });
}

function inputLines(
  r: ResourceView | undefined,
  other: ResourceView | undefined,
  replacements: boolean,
): ChangeLine[] {
  const out: ChangeLine[] = [];
  const a = r?.inputs ?? {};
  const b = other?.inputs ?? {};
  const type = (other ?? r)?.type ?? "";
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const lines: ChangeLine[] = [];
    diffValue(key, a[key], b[key], lines);
    const replaces = replacements && r !== undefined && other !== undefined && replacesOnChange(type, key);
    out.push(...lines.map((l) => (replaces ? { ...l, op: "+-" as const } : l)));
  }
  if (r && other && r.protect !== other.protect)
    out.push({
      op: "~",
      path: "(protect)",
      text: `${r.protect} → ${other.protect}`,
      before: r.protect,
      after: other.protect,
    });
  return out;
}

/**
 * What changed from `before` to `after`, per resource (matched by URN, stack ignored) and output.
 * `replacements: false` compares two stacks, where no resource of one becomes the other's: no `+-`.
 */
export function diffStack(
  before: StackView | undefined,
  after: StackView,
  { replacements = true }: { readonly replacements?: boolean } = {},
): StackDelta {
  const a = new Map((before?.resources ?? []).map((r) => [resourceKey(r.urn), r]));
  const b = new Map(after.resources.map((r) => [resourceKey(r.urn), r]));
  const resources: ResourceDelta[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const ra = a.get(key);
    const rb = b.get(key);
    const r = (rb ?? ra) as ResourceView;
    // A component's inputs are its children: those print as resources of their own.
    const lines = r.custom ? inputLines(ra, rb, replacements) : [];
    const op = !ra ? "+" : !rb ? "-" : lines.some((l) => l.op === "+-") ? "+-" : "~";
    if (op === "~" && lines.length === 0) continue;
    resources.push({ op, key, type: r.type, name: r.name, custom: r.custom, lines });
  }
  const outputs: ChangeLine[] = [];
  diffValue("", before?.outputs ?? {}, after.outputs, outputs);
  return { resources, outputs };
}

const LINE_INDENT = "      ";

/** One property line as the diffs print it. */
export function lineText(l: ChangeLine, indent: string): string {
  const mark = l.op === "+-" ? "+-" : l.op === ">" ? "↕" : l.op;
  const suffix = l.op === "+-" ? "   [forces replacement]" : "";
  return `${indent}${mark} ${l.path}: ${l.text}${suffix}`;
}

/** The text of a stack delta: one block per changed resource, the loud lines, the outputs, a count. */
export function formatStackDelta(d: StackDelta, heading: readonly string[]): string {
  const out = [...heading, ""];
  if (d.resources.length === 0 && d.outputs.length === 0) {
    out.push("No resource and no output changed.");
    return `${out.join("\n")}\n`;
  }
  const loud = d.resources
    .filter((r) => r.custom && (r.op === "+-" || r.op === "-"))
    .map((r) => consequence(r.type, r.name, r.op as "+-" | "-"));
  if (loud.length > 0) out.push(...loud, "");
  if (d.resources.length > 0) out.push("Resources:");
  for (const r of d.resources) {
    const kind = r.custom ? "" : ", component";
    const tag = r.op === "+-" ? "  [replace]" : "";
    out.push(
      `  ${r.op} ${r.name}  (${r.type}${kind})${tag}`,
      ...r.lines.map((l) => lineText(l, LINE_INDENT)),
    );
  }
  if (d.outputs.length > 0) {
    if (d.resources.length > 0) out.push("");
    out.push("Outputs:", ...d.outputs.map((l) => lineText(l, "  ")));
  }
  const count = (op: string) => d.resources.filter((r) => r.op === op).length;
  out.push(
    "",
    `Resources: ${count("+")} to create, ${count("~")} to update, ${count("+-")} to replace, ${count("-")} to delete; ` +
      `${d.outputs.length} output change${d.outputs.length === 1 ? "" : "s"}.`,
  );
  return `${out.join("\n")}\n`;
}
