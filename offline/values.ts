/** Reading rendered values: scalars, code archives, JSON documents inside strings, one-line form. */

import type { JsonValue } from "./view";

/** `null`, a boolean, a number or a string. */
export function isScalar(v: JsonValue): v is null | boolean | number | string {
  return v === null || typeof v !== "object";
}

// Strings that would read as another type, or hide their whitespace, are quoted.
const AMBIGUOUS = /^$|[\n\r]|^(true|false|null|-?\d+(\.\d+)?)$/;

/** One value on one line. */
export function inline(v: JsonValue): string {
  if (typeof v === "string") return AMBIGUOUS.test(v) || v.trim() !== v ? JSON.stringify(v) : v;
  if (isScalar(v)) return String(v);
  if (Array.isArray(v)) return `[${v.map(inline).join(", ")}]`;
  const keys = Object.keys(v).sort();
  return keys.length === 0 ? "{}" : `{ ${keys.map((k) => `${k}: ${inline(v[k])}`).join(", ")} }`;
}

/** A Lambda code archive as the model renders it: its files and their digest. */
export function isArchive(v: JsonValue): v is { archive: { [file: string]: JsonValue }; sha256: string } {
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

/** The object a string holds as JSON (an IAM policy document), if it holds one. */
export function parseJsonObject(s: string): Record<string, JsonValue> | undefined {
  if (!s.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(s) as JsonValue;
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
