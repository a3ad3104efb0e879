/**
 * The session transfer rules a rendered stack declares, read back from the stack itself (the
 * EventBridge rules' `eventPattern` inputs), and what they count of a list of delivered events.
 */

import { outcomeSlug, SSO_OUTCOMES, type SsoOutcome } from "../model/sso-event-patterns";
import { expect } from "vitest";
import { resourcesOf, reveal, type StackModel } from "../model/rendered";
import { matchesEventPattern } from "./event-pattern-matcher";

/** Each outcome's event pattern as the stack declares it (JSON text, as EventBridge gets it). */
export function declaredPatterns(model: StackModel): Readonly<Record<SsoOutcome, string>> {
  const rules = resourcesOf(model, "aws:cloudwatch/eventRule:EventRule");
  const patterns = {} as Record<SsoOutcome, string>;
  for (const outcome of SSO_OUTCOMES) {
    const rule = rules.find((r) => r.name.endsWith(`-rules-${outcomeSlug(outcome)}`));
    const pattern = rule ? reveal(rule.inputs.eventPattern) : undefined;
    if (typeof pattern !== "string") throw new Error(`the stack declares no known pattern for ${outcome}`);
    patterns[outcome] = pattern;
  }
  return patterns;
}

/** The outcomes whose rules an event fires. */
export function firedRules(patterns: Readonly<Record<SsoOutcome, string>>, event: unknown): SsoOutcome[] {
  const json = JSON.stringify(event);
  return SSO_OUTCOMES.filter((o) => matchesEventPattern(patterns[o], json));
}

/** How many events each rule counts (every outcome present, zero included). */
export function ruleCounts(
  patterns: Readonly<Record<SsoOutcome, string>>,
  events: readonly unknown[],
): Record<SsoOutcome, number> {
  const counts = Object.fromEntries(SSO_OUTCOMES.map((o) => [o, 0])) as Record<SsoOutcome, number>;
  for (const event of events) for (const o of firedRules(patterns, event)) counts[o] += 1;
  return counts;
}

/** A recorded decision and the event delivered for it (see `./tenant-log-stream.ts`). */
interface Streamed {
  readonly decision: { readonly type: string };
  readonly delivered: unknown;
}

/**
 * The stack's own rules, run on what was delivered, count exactly `expected` (every other rule
 * zero), and each delivered event fires exactly the rule `ruleOf` says its decision must fire
 * (none for an ordinary login).
 */
export function expectRuleCounts<S extends Streamed>(
  model: StackModel,
  streamed: readonly S[],
  expected: Partial<Record<SsoOutcome, number>>,
  ruleOf: (decision: S["decision"]) => SsoOutcome | undefined,
): void {
  const patterns = declaredPatterns(model);
  const counts = ruleCounts(
    patterns,
    streamed.map((s) => s.delivered),
  );
  expect(counts).toEqual({ ...ruleCounts(patterns, []), ...expected });
  for (const { decision, delivered } of streamed) {
    const rule = ruleOf(decision);
    expect(firedRules(patterns, delivered), decision.type).toEqual(rule ? [rule] : []);
  }
}
