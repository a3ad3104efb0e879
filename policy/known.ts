/**
 * A plain, unknown-aware view of the properties a policy receives.
 *
 * During `pulumi preview` a property that depends on a resource not yet created (an ARN, a
 * generated URL) reaches the pack as a sentinel string, and `@pulumi/policy` wraps `props` in a
 * proxy that throws as soon as a policy reads such a value. The engine then reports the whole
 * policy as "can't run during preview" (advisory) and skips every other check of that policy on
 * that resource. The rules here read properties through {@link known} instead: each unknown value
 * becomes {@link UNKNOWN}, and a rule skips only the check that needs it. Skipping is safe for
 * resource policies: `pulumi up` runs them again on every resource, with its inputs resolved,
 * before the resource is created or updated, so a mandatory violation still stops the deploy.
 */

/** A value the cloud assigns later; unknown until the resource it comes from exists. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
/** The type of {@link UNKNOWN}. */
export type Unknown = typeof UNKNOWN;

/** A property value as a rule sees it: plain data, or {@link UNKNOWN}. */
export type Known = null | boolean | number | string | readonly Known[] | KnownObject | Unknown;
/** An object property value. */
export interface KnownObject {
  readonly [key: string]: Known;
}

/**
 * The engine's unknown sentinels. The CLI marshals every unknown as the first one; `@pulumi/policy`
 * recognises all seven, and so does this view.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (what the engine sends)
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The string the engine sends for any unknown value. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// Reading through the property descriptor bypasses the proxy's `get` trap, which is the one that
// throws on unknowns; `ownKeys` and `getOwnPropertyDescriptor` are not trapped (an internal of
// @pulumi/policy, checked against its installed version by tests/sdk-internals.test.ts).
function raw(o: object, key: string | number): unknown {
  return Object.getOwnPropertyDescriptor(o, key)?.value;
}

/**
 * Copies policy properties into plain data, turning unknown sentinels into {@link UNKNOWN}.
 * Assets, archives and other class instances become `null`: no rule reads code.
 */
export function known(v: unknown): Known {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return UNKNOWN_SENTINELS.has(v) ? UNKNOWN : v;
  if (typeof v === "boolean" || typeof v === "number") return v;
  if (typeof v !== "object") return null;
  if (Array.isArray(v)) {
    const length = raw(v, "length");
    const out: Known[] = [];
    for (let i = 0; i < (typeof length === "number" ? length : 0); i++) out.push(known(raw(v, i)));
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return null;
  const out: Record<string, Known> = {};
  for (const key of Object.keys(v)) out[key] = known(raw(v, key));
  return out;
}

/** Reads a path below a value: {@link UNKNOWN} as soon as a step is unknown, `undefined` if absent. */
export function at(v: Known | undefined, ...path: string[]): Known | undefined {
  let cur: Known | undefined = v;
  for (const key of path) {
    if (cur === UNKNOWN) return UNKNOWN;
    if (cur === null || cur === undefined || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as KnownObject)[key];
  }
  return cur === null ? undefined : cur;
}

/** `true` for {@link UNKNOWN}. */
export function isUnknown(v: Known | undefined): v is Unknown {
  return v === UNKNOWN;
}

/** The value as a list (`undefined` if absent or not a list; {@link UNKNOWN} passes through). */
export function list(v: Known | undefined): readonly Known[] | Unknown | undefined {
  if (v === UNKNOWN) return UNKNOWN;
  return Array.isArray(v) ? (v as readonly Known[]) : undefined;
}

/** The value as an object (`undefined` if absent or not an object; {@link UNKNOWN} passes through). */
export function object(v: Known | undefined): KnownObject | Unknown | undefined {
  if (v === UNKNOWN) return UNKNOWN;
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v)
    ? (v as KnownObject)
    : undefined;
}

/** Renders a value for a violation message. */
export function show(v: Known | undefined): string {
  if (v === undefined || v === null) return "nothing";
  if (v === UNKNOWN) return "an unknown value";
  return JSON.stringify(v);
}
