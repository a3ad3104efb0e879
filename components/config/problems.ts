/** Configuration problems: collected while reading, reported all at once before anything is declared. */

import { RunError } from "@pulumi/pulumi";

/** One bad configuration value. */
export interface ConfigProblem {
  /** Fully qualified key, e.g. `native-web-sso:deviceBinding`. */
  readonly key: string;
  /** What was found (already quoted for display). */
  readonly found: string;
  /** What is expected. */
  readonly expected: string;
  /** How to fix it, usually the `pulumi config` command to run. */
  readonly fix: string;
}

/**
 * Thrown before any resource is declared when the stack's configuration is invalid. A `RunError`,
 * so the Pulumi CLI's Node.js host prints only its message (`cmd/run/run.ts`: "Always hide the
 * stack for RunErrors"), the same sentence the offline preview prints, not an object dump.
 */
export class ConfigError extends RunError {
  constructor(
    /** The stack whose configuration is invalid. Not `stack`: that is `Error.stack`, the trace. */
    readonly stackName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid configuration for stack "${stackName}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.key}: got ${p.found}; ${p.expected}. Fix: ${p.fix}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** A value as a problem shows it: JSON, so strings are quoted and `undefined` reads as such. */
export function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** Collects problems, so one run reports every bad value at once. */
export class ProblemCollector {
  readonly problems: ConfigProblem[] = [];

  /**
   * Records one bad value.
   * @param key the fully qualified key
   * @param found the value as read (shown quoted)
   * @param expected what a good value looks like
   * @param fix how to fix it (the command to run)
   */
  add(key: string, found: unknown, expected: string, fix: string): void {
    this.problems.push({ key, found: show(found), expected, fix });
  }

  /** @throws ConfigError when any problem was recorded. */
  throwIfAny(stack: string): void {
    if (this.problems.length > 0) throw new ConfigError(stack, this.problems);
  }
}
