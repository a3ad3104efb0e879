/**
 * Renderings of a {@link StackView}: the text the offline preview prints, the stable JSON committed
 * under `preview/`, and the per-property difference between two stacks.
 */

import type { PolicyVerdict } from "../model/rendered";
import { SECRET_TEXT, UNKNOWN_TEXT, type JsonValue, type ResourceView, type StackView } from "./view";

/** The command that regenerates the committed renderings under `preview/`. */
export const REGENERATE_COMMAND = "npm start -- --write";

/** The real preview of a stack: needs AWS and Auth0 credentials and the state backend. */
export function realPreviewCommand(stack: string): string {
  return `pulumi preview --stack ${stack} --refresh`;
}

// ---------------------------------------------------------------------------------------------------
// Stable JSON

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

function sortVerdicts(vs: readonly PolicyVerdict[]): PolicyVerdict[] {
  const key = (v: PolicyVerdict) =>
    `${v.enforcement === "mandatory" ? 0 : 1}\0${v.policy}\0${v.urn ?? ""}\0${v.message}`;
  return [...vs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------
// Text

/** The settings shown per resource type; every other type shows all its inputs. */
const SETTINGS: Readonly<Record<string, readonly string[]>> = {
  "auth0:index/client:Client": [
    "name",
    "appType",
    "isFirstParty",
    "oidcConformant",
    "grantTypes",
    "initiateLoginUri",
    "callbacks",
    "allowedLogoutUrls",
    "allowedOrigins",
    "webOrigins",
    "sessionTransfer",
    "refreshToken",
    "mobile",
  ],
  "auth0:index/clientCredentials:ClientCredentials": ["clientId", "authenticationMethod"],
  "aws:lambda/function:Function": [
    "runtime",
    "architectures",
    "handler",
    "memorySize",
    "timeout",
    "code",
    "role",
    "environment.variables",
    "loggingConfig",
    "publish",
  ],
  "aws:lambda/alias:Alias": ["name", "functionName", "functionVersion"],
  "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": [
    "functionName",
    "qualifier",
    "provisionedConcurrentExecutions",
  ],
  "aws:apigatewayv2/api:Api": ["protocolType", "disableExecuteApiEndpoint"],
  "aws:apigatewayv2/route:Route": ["routeKey", "target"],
  "aws:apigatewayv2/integration:Integration": [
    "integrationType",
    "integrationMethod",
    "integrationUri",
    "payloadFormatVersion",
  ],
  "aws:apigatewayv2/stage:Stage": [
    "name",
    "autoDeploy",
    "defaultRouteSettings",
    "accessLogSettings.destinationArn",
  ],
  "aws:apigatewayv2/domainName:DomainName": ["domainName", "domainNameConfiguration"],
  "aws:apigatewayv2/apiMapping:ApiMapping": ["domainName", "stage"],
  "aws:lambda/permission:Permission": ["action", "principal", "function", "qualifier", "sourceArn"],
  "aws:iam/role:Role": ["assumeRolePolicy"],
  "aws:iam/rolePolicy:RolePolicy": ["role", "policy"],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "retentionInDays"],
  "aws:cloudwatch/eventRule:EventRule": ["eventBusName", "eventPattern"],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    "name",
    "metricQueries",
    "comparisonOperator",
    "threshold",
    "evaluationPeriods",
    "datapointsToAlarm",
    "treatMissingData",
    "alarmActions",
    "okActions",
  ],
  // The body is a long JSON document; the JSON rendering keeps all of it.
  "aws:cloudwatch/dashboard:Dashboard": ["dashboardName"],
  "aws:ssm/parameter:Parameter": ["name", "type", "value"],
  "random:index/randomPassword:RandomPassword": ["length", "special"],
  "aws:acm/certificate:Certificate": ["domainName", "validationMethod"],
  "aws:acm/certificateValidation:CertificateValidation": ["certificateArn", "validationRecordFqdns"],
  "aws:route53/record:Record": ["zoneId", "name", "type", "ttl", "records", "aliases"],
};

const WIDTH = 110;

function isScalar(v: JsonValue): v is null | boolean | number | string {
  return v === null || typeof v !== "object";
}

// Strings that would read as another type, or hide their whitespace, are quoted.
const AMBIGUOUS = /^$|[\n\r]|^(true|false|null|-?\d+(\.\d+)?)$/;

/** One value on one line. */
function inline(v: JsonValue): string {
  if (typeof v === "string") return AMBIGUOUS.test(v) || v.trim() !== v ? JSON.stringify(v) : v;
  if (isScalar(v)) return String(v);
  if (Array.isArray(v)) return `[${v.map(inline).join(", ")}]`;
  const keys = Object.keys(v).sort();
  return keys.length === 0 ? "{}" : `{ ${keys.map((k) => `${k}: ${inline(v[k])}`).join(", ")} }`;
}

function isArchive(v: JsonValue): v is { archive: { [file: string]: JsonValue }; sha256: string } {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    typeof v.sha256 === "string" &&
    v.archive !== null &&
    typeof v.archive === "object" &&
    !Array.isArray(v.archive)
  );
}

function parseJsonObject(s: string): Record<string, JsonValue> | undefined {
  if (!s.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(s) as JsonValue;
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function list(v: JsonValue | undefined): JsonValue[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** An IAM policy document, one statement per line: effect, actions, principals, resources. */
function iamStatementLines(doc: Record<string, JsonValue>, indent: string): string[] | undefined {
  const statements = list(doc.Statement);
  if (statements.length === 0) return undefined;
  return statements.flatMap((s) => {
    if (s === null || typeof s !== "object" || Array.isArray(s)) return [`${indent}${inline(s)}`];
    const head = [`${indent}${String(s.Effect)} ${list(s.Action).map(inline).join(", ")}`];
    if (s.Principal !== undefined) head.push(`by ${inline(s.Principal)}`);
    if (s.Sid !== undefined) head.push(`(${inline(s.Sid)})`);
    return [head.join(" "), ...list(s.Resource).map((r) => `${indent}  on ${inline(r)}`)];
  });
}

/** The lines of one setting, `path: value`, nested values below their path. */
function entryLines(path: string, v: JsonValue, indent: string): string[] {
  if (isArchive(v)) {
    const files = Object.keys(v.archive)
      .sort()
      .map((f) => {
        const info = v.archive[f];
        const bytes =
          info !== null && typeof info === "object" && !Array.isArray(info) ? info.bytes : undefined;
        return bytes === undefined ? f : `${f} ${String(bytes)} bytes`;
      });
    return [`${indent}${path}: archive sha256:${v.sha256} (${files.join(", ")})`];
  }
  if (typeof v === "string") {
    const doc = parseJsonObject(v);
    if (doc) {
      const statements = "Statement" in doc ? iamStatementLines(doc, `${indent}  `) : undefined;
      if (statements) return [`${indent}${path}: (IAM policy)`, ...statements];
      return [
        `${indent}${path}: (JSON)`,
        ...Object.keys(doc)
          .sort()
          .flatMap((k) => entryLines(k, doc[k], `${indent}  `)),
      ];
    }
    if (v.includes("\n")) {
      return [
        `${indent}${path}: |`,
        ...v
          .replace(/\n$/, "")
          .split("\n")
          .map((l) => `${indent}  ${l}`),
      ];
    }
  }
  if (isScalar(v)) return [`${indent}${path}: ${inline(v)}`];
  if (Array.isArray(v)) {
    if (v.length === 0) return [`${indent}${path}: []`];
    if (v.every(isScalar)) {
      const one = `${indent}${path}: ${inline(v)}`;
      if (one.length <= WIDTH) return [one];
      return [`${indent}${path}:`, ...v.map((x) => `${indent}  - ${inline(x)}`)];
    }
    return v.flatMap((x, i) => entryLines(`${path}[${i}]`, x, indent));
  }
  const keys = Object.keys(v).sort();
  if (keys.length === 0) return [`${indent}${path}: {}`];
  return keys.flatMap((k) => entryLines(`${path}.${k}`, v[k], indent));
}

function at(inputs: { readonly [key: string]: JsonValue }, path: string): JsonValue | undefined {
  let v: JsonValue | undefined = inputs as JsonValue;
  for (const part of path.split(".")) {
    if (v === null || v === undefined || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = v[part];
  }
  return v;
}

/** The settings that matter for a resource, one per line. */
export function settingsLines(r: ResourceView, indent = "    "): string[] {
  const paths = SETTINGS[r.type] ?? Object.keys(r.inputs).sort();
  return paths.flatMap((p) => {
    const v = at(r.inputs, p);
    return v === undefined ? [] : entryLines(p, v, indent);
  });
}

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

// ---------------------------------------------------------------------------------------------------
// Difference between two stacks

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
