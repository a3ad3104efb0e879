/** Typed reads of the stack's own keys; a value that does not parse is a problem and reads as the default. */
import { ProblemCollector } from "./problems";
import { configKey, DEFAULTS, setCommand, type ProjectKey, type RawConfig } from "./keys";

/** Reads raw configuration for the section modules and collects their problems. */
export class ConfigReader extends ProblemCollector {
  constructor(readonly raw: RawConfig) {
    super();
  }

  /** Records a problem of one of the stack's own keys. */
  problem(key: ProjectKey, found: unknown, expected: string, fix: string): void {
    this.add(configKey(key), found, expected, fix);
  }

  /** The raw value of one of the stack's own keys, `undefined` when unset. */
  own(key: ProjectKey): string | undefined {
    return this.raw[configKey(key)];
  }

  /** A trimmed string, or the default. */
  string(key: ProjectKey): string {
    const v = this.own(key);
    return v === undefined ? String(DEFAULTS[key]) : v.trim();
  }

  /** `true` or `false`, or the default. */
  boolean(key: ProjectKey): boolean {
    const v = this.own(key);
    const d = DEFAULTS[key] as boolean;
    if (v === undefined) return d;
    if (v === "true") return true;
    if (v === "false") return false;
    this.problem(key, v, "expected true or false", setCommand(key, true));
    return d;
  }

  /** A whole number from `min` to `max`, or the default. */
  integer(key: ProjectKey, min: number, max: number): number {
    const v = this.own(key);
    const d = DEFAULTS[key] as number;
    if (v === undefined) return d;
    const n = /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.problem(key, v, `expected a whole number from ${min} to ${max}`, setCommand(key, d));
      return d;
    }
    return n;
  }

  /** A list of trimmed strings, the default when unset, `undefined` when it is not a list of strings. */
  stringList(key: ProjectKey): string[] | undefined {
    const v = this.own(key);
    if (v === undefined) return [...(DEFAULTS[key] as readonly string[])];
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((x): x is string => typeof x === "string")) {
      this.problem(
        key,
        v,
        "expected a list of strings",
        `pulumi config set --path '${configKey(key)}[0]' <value>`,
      );
      return undefined;
    }
    return parsed.map((s) => s.trim());
  }
}
