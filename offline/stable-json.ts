/**
 * The stable JSON committed under `preview/`: keys sorted, one scalar per line, so one changed
 * value is one changed line.
 */

import type { PolicyVerdict } from "../model/rendered";
import { REGENERATE_COMMAND, realPreviewCommand } from "./commands";
import { SECRET_TEXT, UNKNOWN_TEXT, type JsonValue, type StackView } from "./view";

/**
 * JSON with keys sorted, two-space indent and one scalar per line (arrays one element per line), so a
 * single changed value is a single changed line. Ends with a newline.
 */
export function stableJson(value: JsonValue): string {
  return `${write(value, "")}\n`;
}

function write(v: JsonValue, indent: string): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => inner + write(x, inner)).join(",\n")}\n${indent}]`;
  }
  const keys = Object.keys(v).sort();
  if (keys.length === 0) return "{}";
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${write(v[k], inner)}`).join(",\n")}\n${indent}}`;
}

/** A URN without its stack and project: the same resource has the same key in every stack. */
export function resourceKey(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts.slice(2).join("::") : urn;
}

function verdictJson(v: PolicyVerdict): JsonValue {
  return {
    enforcement: v.enforcement,
    message: v.message,
    policy: v.policy,
    ...(v.urn !== undefined ? { resource: resourceKey(v.urn) } : {}),
  };
}

/** The machine-readable rendering of a stack: every input of every resource, and the outputs. */
export function viewJson(view: StackView): string {
  const resources: Record<string, JsonValue> = {};
  for (const r of view.resources) {
    resources[resourceKey(r.urn)] = {
      custom: r.custom,
      dependsOn: r.dependsOn.map(resourceKey),
      inputs: r.inputs,
      name: r.name,
      parent: resourceKey(r.parent),
      protect: r.protect,
      type: r.type,
    };
  }
  const doc: Record<string, JsonValue> = {
    note:
      `Offline rendering of stack ${view.stack} under the Pulumi runtime's mocks; nothing was read from the cloud. ` +
      `Real preview: ${realPreviewCommand(view.stack)}. Regenerate: ${REGENERATE_COMMAND}`,
    outputs: view.outputs,
    project: view.project,
    resources,
    stack: view.stack,
    legend: {
      secret: SECRET_TEXT,
      unknown: `${UNKNOWN_TEXT}, or \${resource.property} inside a value: known only after deploy`,
    },
  };
  if (view.policies) doc.policies = sortVerdicts(view.policies).map(verdictJson);
  return stableJson(doc);
}

/** Verdicts in report order: mandatory first, then by policy, resource and message. */
export function sortVerdicts(vs: readonly PolicyVerdict[]): PolicyVerdict[] {
  const key = (v: PolicyVerdict) =>
    `${v.enforcement === "mandatory" ? 0 : 1}\0${v.policy}\0${v.urn ?? ""}\0${v.message}`;
  return [...vs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
