/**
 * What the program declares for a stack, as the offline renderer records it: the input to the
 * offline preview, the policy checks, the whole-stack tests and the local tenant of the browser tests.
 */

/** A value the program marked secret. Renders as `[secret]`; the value is kept for tests only. */
export class Secret {
  constructor(readonly value: ModelValue) {}
}

/** A value only the cloud knows (an ID, an ARN, a generated URL) during a preview. */
export class Unknown {
  static readonly instance = new Unknown();
  private constructor() {}
}

/** A code archive or asset, identified by the hash of its content. */
export class ArchiveValue {
  constructor(
    /** sha256 over the sorted file names and their contents. */
    readonly sha256: string,
    /** File name to its size in bytes and sha256. */
    readonly files: Readonly<Record<string, { readonly bytes: number; readonly sha256: string }>>,
  ) {}
}

export type ModelValue =
  | null
  | boolean
  | number
  | string
  | ModelValue[]
  | { [key: string]: ModelValue }
  | Secret
  | Unknown
  | ArchiveValue;

/** One resource as registered with the engine. */
export interface ModelResource {
  readonly urn: string;
  /** Type token, e.g. `auth0:index/client:Client` or `native-web-sso:auth0:NativeApp`. */
  readonly type: string;
  /** Logical name. Never changes once shipped. */
  readonly name: string;
  /** URN of the parent (the stack for top-level resources). */
  readonly parent: string;
  /** A provider resource (`true`) or a component (`false`). */
  readonly custom: boolean;
  readonly protect: boolean;
  /** The inputs the program gave, secrets as {@link Secret}, preview unknowns as {@link Unknown}. */
  readonly inputs: Readonly<Record<string, ModelValue>>;
  /** Output names the program asked the engine to treat as secret. */
  readonly additionalSecretOutputs: readonly string[];
  /** URNs this resource explicitly depends on. */
  readonly dependsOn: readonly string[];
}

/** The whole stack. */
export interface StackModel {
  readonly project: string;
  readonly stack: string;
  /** `true` when rendered as a preview: cloud-assigned values are {@link Unknown}. */
  readonly preview: boolean;
  /** URN of the root `pulumi:pulumi:Stack`. */
  readonly stackUrn: string;
  /** The stack configuration the program ran with (fully qualified keys). */
  readonly config: Readonly<Record<string, string>>;
  /** Resources, sorted by URN so renderings are stable. */
  readonly resources: readonly ModelResource[];
  /** Stack outputs. */
  readonly outputs: Readonly<Record<string, ModelValue>>;
}

export function isSecret(v: unknown): v is Secret {
  return v instanceof Secret;
}

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

/** Removes the {@link Secret} wrappers: for tests and the local tenant, never for display. */
export function reveal(v: ModelValue): ModelValue {
  if (v instanceof Secret) return reveal(v.value);
  if (Array.isArray(v)) return v.map(reveal);
  if (v !== null && typeof v === "object" && !(v instanceof Unknown) && !(v instanceof ArchiveValue)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
  }
  return v;
}

/** Every secret value (as text) found anywhere in a value: for tests that search renderings for leaks. */
export function secretTexts(v: ModelValue, inSecret = false, found: string[] = []): string[] {
  if (v instanceof Secret) return secretTexts(v.value, true, found);
  if (Array.isArray(v)) v.forEach((x) => secretTexts(x, inSecret, found));
  else if (v !== null && typeof v === "object") {
    if (!(v instanceof Unknown) && !(v instanceof ArchiveValue))
      Object.values(v).forEach((x) => secretTexts(x, inSecret, found));
  } else if (inSecret && v !== null && String(v).length > 0) found.push(String(v));
  return found;
}

/** Finds resources by type token (and optionally by logical name). */
export function resourcesOf(model: StackModel, type: string, name?: string): ModelResource[] {
  return model.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
}

/** One finding of the policy pack about a stack (shown by the offline preview). */
export interface PolicyVerdict {
  /** Policy name, e.g. `native-client-session-transfer`. */
  readonly policy: string;
  readonly enforcement: "mandatory" | "advisory";
  /** The resource concerned; absent for stack-wide findings. */
  readonly urn?: string;
  /** The violation message, exactly as the pack reports it. */
  readonly message: string;
}

/**
 * Evaluates a policy pack against a rendered stack. The offline preview is handed one (the pack's
 * `evaluatePolicies`) by its command line rather than loading the pack itself.
 */
export type PolicyEvaluator = (model: StackModel) => Promise<PolicyVerdict[]>;
