/**
 * Evaluates an EventBridge event pattern against an event, for the tests that prove the stack's
 * rules, limited to the operators those rules use: exact values and `prefix`.
 *
 * Why not a library (looked again 2026-12): AWS's own engine, `software.amazon.event.ruler:event-ruler`,
 * is Java (Maven Central, unreachable here); its Python port `event-ruler` is on PyPI, not npm. On
 * the npm registry the EventBridge packages are clients, CDK constructs and message-bus adapters;
 * the one that evaluates patterns, `serverless-offline-aws-eventbridge`, does so inside a Serverless
 * plugin (no importable matcher, partial operator set); `eb-patterns` is no longer served; the
 * registry's search endpoint answers 404 here, so no other candidate could be found by name. AWS's
 * `TestEventPattern` API is the authoritative check and needs an AWS account.
 * So this module implements only the documented semantics it needs and refuses every other
 * operator, so a pattern that starts using one fails its tests instead of being half-evaluated:
 *
 * - every field of the pattern must match (AND), nested objects match nested objects;
 * - a leaf is a list of conditions, any of which may match (OR); an exact value matches by JSON
 *   value (strings case-sensitively, `true` only `true`);
 * - a field whose value in the event is an array matches when any element matches;
 * - a field missing from the event never matches;
 * - `{"prefix": "x"}` matches strings starting with `x`.
 *
 * ("Amazon EventBridge event patterns", "Arrays in Amazon EventBridge event patterns", "Comparison
 * operators for use in event patterns", docs.aws.amazon.com/eventbridge/latest/userguide/.)
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function conditionMatches(condition: unknown, value: Json): boolean {
  if (condition === null || typeof condition !== "object") return condition === value;
  if (!isObject(condition)) throw new Error(`Not an EventBridge condition: ${JSON.stringify(condition)}`);
  const keys = Object.keys(condition);
  if (keys.length !== 1 || keys[0] !== "prefix" || typeof condition.prefix !== "string") {
    throw new Error(`Operator not supported by this matcher: ${JSON.stringify(condition)}`);
  }
  return typeof value === "string" && value.startsWith(condition.prefix);
}

function leafMatches(conditions: unknown[], value: Json | undefined): boolean {
  if (value === undefined) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some(
    (v) => !isObject(v) && !Array.isArray(v) && conditions.some((c) => conditionMatches(c, v)),
  );
}

function objectMatches(pattern: Record<string, unknown>, event: Json | undefined): boolean {
  if (event === undefined || event === null || typeof event !== "object") return false;
  const candidates = Array.isArray(event) ? event : [event];
  return candidates.some(
    (candidate) =>
      isObject(candidate) &&
      Object.entries(pattern).every(([field, sub]) => {
        const value = (candidate as Record<string, Json>)[field];
        if (Array.isArray(sub)) return leafMatches(sub, value);
        if (isObject(sub)) return objectMatches(sub, value);
        throw new Error(`Pattern field ${field} must be a list or an object, not ${JSON.stringify(sub)}`);
      }),
  );
}

/** Whether the event matches the pattern (both as parsed JSON or JSON text). */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  const p: unknown = typeof pattern === "string" ? JSON.parse(pattern) : pattern;
  const e = (typeof event === "string" ? JSON.parse(event) : event) as Json;
  if (!isObject(p)) throw new Error("An event pattern is a JSON object.");
  return objectMatches(p, e);
}
