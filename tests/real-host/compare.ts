/**
 * Compares what a program registered under the CLI's host with what the offline preview shows,
 * leaf by leaf: a value the offline preview shows must be the value the engine received; what it
 * shows as unknown (`(known after deploy)`, `${resource.property}`) the engine must have received
 * as unknown; a secret must be a secret on both sides (or, when unknown, may arrive as a bare unknown). Code archives are compared by neither.
 */
import { SECRET_TEXT, UNKNOWN_TEXT, type JsonValue } from "../../offline/view";
import { isArchive } from "../../offline/values";

// The wire's signatures (`@pulumi/pulumi` `runtime/rpc.js`: specialSigKey and its values).
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Leaf = "unknown" | "secret" | "archive" | string | number | boolean | null;

function flattenWire(v: unknown, path: string, out: Map<string, Leaf>): void {
  if (v === UNKNOWN) out.set(path, "unknown");
  else if (Array.isArray(v)) v.forEach((x, i) => flattenWire(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SIG] === SECRET_SIG) out.set(path, "secret");
    else if (SIG in o) out.set(path, "archive");
    else for (const k of Object.keys(o)) flattenWire(o[k], path === "" ? k : `${path}.${k}`, out);
  } else out.set(path, v as Leaf);
}

function flattenView(v: JsonValue, path: string, out: Map<string, Leaf>): void {
  if (v === SECRET_TEXT) out.set(path, "secret");
  else if (v === UNKNOWN_TEXT || (typeof v === "string" && v.includes("${"))) out.set(path, "unknown");
  else if (Array.isArray(v)) v.forEach((x, i) => flattenView(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === "object") {
    if (isArchive(v)) out.set(path, "archive");
    else for (const k of Object.keys(v)) flattenView(v[k], path === "" ? k : `${path}.${k}`, out);
  } else out.set(path, v);
}

/** The leaves on which the engine's inputs and the offline preview's disagree, as readable lines. */
export function disagreements(wire: Record<string, unknown>, view: Record<string, JsonValue>): string[] {
  const a = new Map<string, Leaf>();
  const b = new Map<string, Leaf>();
  flattenWire(wire, "", a);
  flattenView(view, "", b);
  const out: string[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const real = a.get(path);
    const shown = b.get(path);
    // The offline preview also shows a computed property nested in an input object as unknown.
    if (real === undefined && shown === "unknown") continue;
    // The SDK sends an unknown secret as a bare unknown (`runtime/rpc.js`, serializeProperty).
    if (real === "unknown" && shown === "secret") continue;
    if (real !== shown)
      out.push(`${path}: engine got ${JSON.stringify(real)}, offline preview shows ${JSON.stringify(shown)}`);
  }
  return out;
}
