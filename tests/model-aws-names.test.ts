/**
 * The physical AWS names of a stack (`model/aws-names.ts`): every name carries the project and the
 * stack, in the one form its service's ARN patterns are written for, and no two resources share one
 * where AWS would make them collide; a stack name that cannot name them is refused.
 */
import { describe, expect, it } from "vitest";
import { STACK_TAG_KEY, stackAwsNames, stackNameProblem } from "../model/aws-names";
import { OUTCOME_DESCRIPTIONS, SSO_OUTCOMES } from "../model/sso-event-patterns";

describe("stackAwsNames", () => {
  it("names every resource of a stack after the project and the stack", () => {
    const n = stackAwsNames("native-web-sso", "dev-eu");
    expect({ ...n, flat: undefined }).toEqual({
      project: "native-web-sso",
      stack: "dev-eu",
      functionName: "native-web-sso-dev-eu_endpoint",
      functionRoleName: "native-web-sso-dev-eu_endpoint",
      functionLogGroup: "/native-web-sso/dev-eu/endpoint",
      accessLogGroup: "/native-web-sso/dev-eu/endpoint-access",
      apiName: "native-web-sso-dev-eu_endpoint",
      archiveLogGroup: "/aws/events/native-web-sso/dev-eu",
      archivePolicyName: "aws-events-native-web-sso-dev-eu",
      alarmTopicName: "native-web-sso-dev-eu_alarms",
      dashboardName: "native-web-sso-dev-eu",
      settingsRoot: "/native-web-sso/dev-eu",
      tags: { "native-web-sso:stack": "dev-eu" },
      flat: undefined,
      flatPrefix: "native-web-sso-dev-eu_",
    });
    expect(n.flat("binding-mismatch")).toBe("native-web-sso-dev-eu_binding-mismatch");
    expect(STACK_TAG_KEY).toMatch(/^native-web-sso:/);
  });

  it("keeps one stack's prefixes from matching another stack's names", () => {
    const dev = stackAwsNames("native-web-sso", "dev");
    const devEu = stackAwsNames("native-web-sso", "dev-eu");
    expect(devEu.functionName.startsWith(dev.flatPrefix)).toBe(false);
    expect(devEu.functionLogGroup.startsWith(`${dev.settingsRoot}/`)).toBe(false);
  });

  it("refuses a stack name that cannot name them, with the fix", () => {
    expect(() => stackAwsNames("native-web-sso", "Dev_1")).toThrow(
      /^stack name "Dev_1" must be lower-case .*\. Create the stack under another name \(pulumi stack init <name>\)\.$/,
    );
  });

  it("fits the longest flat name, the longest outcome's rule, in AWS's 64 characters", () => {
    const longest = [...SSO_OUTCOMES].sort((a, b) => b.length - a.length)[0];
    expect(longest).toBe("organizationOrUserMismatch");
    const max = 64 - "native-web-sso-_organization-or-user-mismatch".length;
    expect(stackNameProblem("native-web-sso", "s".repeat(max))).toBeUndefined();
    expect(stackNameProblem("native-web-sso", "s".repeat(max + 1))).toMatch(/at most 19 fit/);
    expect(
      stackAwsNames("native-web-sso", "s".repeat(max)).flat("organization-or-user-mismatch"),
    ).toHaveLength(64);
  });
});

describe("the outcomes' descriptions", () => {
  it("give each outcome a sentence of its own", () => {
    const sentences = SSO_OUTCOMES.map((o) => OUTCOME_DESCRIPTIONS[o]);
    for (const s of sentences) expect(s.length).toBeGreaterThan(30);
    expect(new Set(sentences).size).toBe(SSO_OUTCOMES.length);
  });
});
