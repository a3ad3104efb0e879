/** Parsing of IAM policy documents, as the function's role policies and trust policy hold them. */
import { at, isUnknown, known, list, type Known } from "../known";
import { str, strings } from "./common";

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  /** `statement "<Sid>"`, or `statement <n>` (1-based) without a Sid. */
  readonly label: string;
  readonly allow: boolean;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly notAction: boolean;
  readonly notResource: boolean;
  /** The statement's Condition block, as written (operator → key → value or values). */
  readonly condition: Known | undefined;
}

/**
 * Parses an IAM policy document (a JSON string or an object). `undefined` when absent or unknown;
 * a string when it is not a policy document (the reason).
 */
export function policyStatements(doc: Known | undefined): readonly PolicyStatement[] | string | undefined {
  if (doc === undefined || isUnknown(doc)) return undefined;
  let parsed: Known = doc;
  if (typeof doc === "string") {
    try {
      parsed = known(JSON.parse(doc));
    } catch {
      return "is not valid JSON";
    }
  }
  const raw = at(parsed, "Statement");
  if (raw === undefined || isUnknown(raw)) return "has no Statement";
  const items = list(raw) ?? [raw];
  if (isUnknown(items)) return undefined;
  return items.map((s, i): PolicyStatement => {
    const sid = str(at(s, "Sid"));
    return {
      label: sid ? `statement "${sid}"` : `statement ${i + 1}`,
      allow: at(s, "Effect") === "Allow",
      actions: strings(at(s, "Action")),
      resources: strings(at(s, "Resource")),
      notAction: at(s, "NotAction") !== undefined,
      notResource: at(s, "NotResource") !== undefined,
      condition: at(s, "Condition"),
    };
  });
}

/** `true` when a role's trust policy lets Lambda assume it (or cannot be read yet). */
export function trustsLambda(assumeRolePolicy: Known | undefined): boolean {
  const statements = policyStatements(assumeRolePolicy);
  if (statements === undefined || typeof statements === "string") return true;
  const text = typeof assumeRolePolicy === "string" ? assumeRolePolicy : JSON.stringify(assumeRolePolicy);
  return text.includes("lambda.amazonaws.com");
}
