/**
 * What the offline preview shows of a stack: the recorded {@link StackModel} turned into plain JSON
 * values, with every secret masked and every value only the cloud knows marked as such.
 *
 * A preview model knows nothing the cloud assigns, so the web client's login URI in a stack without a
 * custom domain would be wholly unknown. A second recording of the same program with the mocks'
 * stand-in values (the "wiring" model) shows how such a value is built: each stand-in is replaced by a
 * reference to the resource property it stands for, e.g. `${endpoint-api.apiEndpoint}/login`. A value
 * that still holds any stand-in after that stays `(known after deploy)`: nothing invented is shown.
 */

import { createMocks } from "./mocks";
import {
  ArchiveValue,
  Secret,
  Unknown,
  reveal,
  type ModelResource,
  type ModelValue,
  type PolicyVerdict,
  type StackModel,
} from "../model/rendered";

/** A plain JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** How a secret prints, in text and JSON alike. */
export const SECRET_TEXT = "[secret]";
/** How a value prints that only the cloud knows during a preview. */
export const UNKNOWN_TEXT = "(known after deploy)";

/** One resource as the offline preview shows it: the recorded resource, its inputs as plain JSON. */
export interface ResourceView extends Pick<
  ModelResource,
  "urn" | "type" | "name" | "parent" | "custom" | "protect" | "dependsOn"
> {
  /** All inputs, secrets as {@link SECRET_TEXT}, cloud-only values as {@link UNKNOWN_TEXT} or `${name.property}`. */
  readonly inputs: { readonly [key: string]: JsonValue };
}

/** A stack as the offline preview shows it. */
export interface StackView {
  readonly project: string;
  readonly stack: string;
  readonly stackUrn: string;
  /** Sorted by URN. */
  readonly resources: readonly ResourceView[];
  readonly outputs: { readonly [key: string]: JsonValue };
  /** Verdicts of the policy pack, when it was evaluated. */
  readonly policies?: readonly PolicyVerdict[];
}

// Every stand-in the mocks invent carries one of these (see offline/mocks.ts).
const STAND_IN = /mock|123456789012/i;
const FAKE_ACCOUNT = /:123456789012:/g;

interface Placeholders {
  /** Stand-ins with a marker: replaced wherever they occur inside a string. */
  readonly marked: Map<string, string>;
  /** Stand-ins without a marker (e.g. `CNAME`): replaced only when a whole value equals one. */
  readonly exact: Map<string, string>;
}

function leaves(v: unknown, path: string, out: Array<[string, unknown]>): void {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === "object") {
    for (const key of Object.keys(v).sort())
      leaves((v as Record<string, unknown>)[key], `${path}.${key}`, out);
  } else out.push([path, v]);
}

/** Maps each stand-in the mocks gave a resource of the wiring model to `${name.property}`. */
function placeholders(wiring: StackModel): Placeholders {
  const mocks = createMocks(false, wiring.config["aws:region"] ?? "us-east-1");
  const marked = new Map<string, string>();
  const exact = new Map<string, string>();
  for (const r of wiring.resources) {
    if (!r.custom) continue;
    const inputs = reveal({ ...r.inputs });
    const result = mocks.newResource({ type: r.type, name: r.name, inputs, custom: true }) as {
      id?: string;
      state: Record<string, unknown>;
    };
    const inputLeaves: Array<[string, unknown]> = [];
    leaves(inputs, "", inputLeaves);
    // A value the resource was given (e.g. a record's fqdn is its name) is not a stand-in.
    const given = new Set(inputLeaves.map(([, v]) => v));
    const found: Array<[string, unknown]> = result.id ? [[".id", result.id]] : [];
    leaves(result.state, "", found);
    for (const [p, v] of found) {
      if (typeof v !== "string" || v === "" || given.has(v)) continue;
      const table = STAND_IN.test(v) ? marked : exact;
      if (!table.has(v)) table.set(v, `\${${r.name}${p}}`);
    }
  }
  return { marked, exact };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Turns a wiring string into one built from `${name.property}` references, or `undefined` if it cannot. */
function substitution(table: Placeholders): (s: string) => string | undefined {
  // Longest first, so an ARN is replaced as a whole before the name inside it.
  const keys = [...table.marked.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  // Whole tokens only: `mock-f` (a function's name) must not match inside `mock-from-somewhere`.
  const pattern =
    keys.length > 0
      ? new RegExp(`(?<![\\w-])(?:${keys.map(escapeRegExp).join("|")})(?![\\w-])`, "g")
      : undefined;
  return (s) => {
    const whole = table.exact.get(s);
    if (whole !== undefined) return whole;
    let out = pattern ? s.replace(pattern, (m) => table.marked.get(m) ?? m) : s;
    out = out.replace(FAKE_ACCOUNT, ":${aws.accountId}:");
    // Unknown in the preview yet no stand-in in sight: the program computed it from one (a hash of
    // a mock password, say), so the value is the mocks' invention. The real preview sends an unknown.
    if (out === s) return undefined;
    return STAND_IN.test(out) ? undefined : out;
  };
}

function archiveJson(a: ArchiveValue): JsonValue {
  const files: Record<string, JsonValue> = {};
  for (const name of Object.keys(a.files).sort()) {
    files[name] = { bytes: a.files[name].bytes, sha256: a.files[name].sha256 };
  }
  return { archive: files, sha256: a.sha256 };
}

/** A value the preview does not know, rebuilt from the wiring model where that is honest. */
function fromWiring(m: ModelValue | undefined, sub: (s: string) => string | undefined): JsonValue {
  if (m === undefined || m === null) return UNKNOWN_TEXT;
  if (m instanceof Secret) return SECRET_TEXT;
  if (m instanceof Unknown) return UNKNOWN_TEXT;
  if (m instanceof ArchiveValue) return archiveJson(m);
  if (typeof m === "string") return sub(m) ?? UNKNOWN_TEXT;
  // A number or flag computed from a cloud value is not shown: the mocks may have invented it.
  if (typeof m === "number" || typeof m === "boolean") return UNKNOWN_TEXT;
  if (Array.isArray(m)) return m.map((x) => fromWiring(x, sub));
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(m).sort()) out[key] = fromWiring(m[key], sub);
  return out;
}

function merge(p: ModelValue, m: ModelValue | undefined, sub: (s: string) => string | undefined): JsonValue {
  if (p instanceof Secret) return SECRET_TEXT;
  // The engine drops the secret flag of an unknown value: the wiring model still has it.
  if (m instanceof Secret) return SECRET_TEXT;
  if (p instanceof Unknown) return fromWiring(m, sub);
  if (p instanceof ArchiveValue) return archiveJson(p);
  if (Array.isArray(p)) {
    const ms = Array.isArray(m) && m.length === p.length ? m : undefined;
    return p.map((x, i) => merge(x, ms?.[i], sub));
  }
  if (p !== null && typeof p === "object") {
    const mo =
      m !== null && typeof m === "object" && !Array.isArray(m) ? (m as Record<string, ModelValue>) : {};
    const out: Record<string, JsonValue> = {};
    // A property only the wiring model has is a computed one nested in an input object (e.g. an
    // API domain's target name): preview mocks leave it out where the engine would show it unknown.
    for (const key of [...new Set([...Object.keys(p), ...Object.keys(mo)])].sort()) {
      out[key] = key in p ? merge(p[key], mo[key], sub) : fromWiring(mo[key], sub);
    }
    return out;
  }
  return p;
}

/**
 * Builds the view of a stack from its preview model and, optionally, a wiring model of the same
 * program and config rendered with `preview: false` (see the module comment). Secrets never pass.
 */
export function toView(
  preview: StackModel,
  wiring?: StackModel,
  policies?: readonly PolicyVerdict[],
): StackView {
  const sub = wiring ? substitution(placeholders(wiring)) : () => undefined;
  const byUrn = new Map((wiring?.resources ?? []).map((r) => [r.urn, r]));
  const resources = preview.resources.map((r): ResourceView => {
    const w = byUrn.get(r.urn);
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      custom: r.custom,
      protect: r.protect,
      dependsOn: [...r.dependsOn],
      inputs: merge({ ...r.inputs }, w ? { ...w.inputs } : undefined, sub) as Record<string, JsonValue>,
    };
  });
  const outputs = merge({ ...preview.outputs }, wiring ? { ...wiring.outputs } : undefined, sub) as Record<
    string,
    JsonValue
  >;
  return {
    project: preview.project,
    stack: preview.stack,
    stackUrn: preview.stackUrn,
    resources,
    outputs,
    ...(policies ? { policies: [...policies] } : {}),
  };
}
