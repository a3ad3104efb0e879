import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  OUTCOME_DESCRIPTIONS,
  outcomeSlug,
  SSO_OUTCOMES,
  ssoEventPatterns,
  type SsoOutcome,
  type SsoPatternScope,
} from "../../model/sso-event-patterns";
import type { OutcomeRules } from "./metrics";

/** Arguments of {@link SsoEventRules}. */
export interface SsoEventRulesArgs {
  /** Name of the partner event bus the Auth0 log stream feeds. */
  readonly eventBusName: pulumi.Input<string>;
  /** The stack's session transfer audience and client IDs, which the patterns are limited to. */
  readonly scope: pulumi.Input<SsoPatternScope>;
  /** Name of the log group that keeps every matched event, e.g. `/aws/events/native-web-sso/prod`. */
  readonly archiveLogGroupName: string;
  /** Name of the CloudWatch Logs resource policy that lets EventBridge write that log group. */
  readonly archivePolicyName: string;
  /** The physical name of an outcome's rule, from its slug (e.g. `native-web-sso-prod_exchange-failed`). */
  readonly ruleName: (slug: string) => string;
  /** Retention of the matched events, in days (a CloudWatch period). */
  readonly logRetentionDays: number;
}

/**
 * One EventBridge rule per session transfer outcome on the Auth0 partner bus (patterns from
 * `model/sso-event-patterns.ts`), each delivering what it matches to one CloudWatch Logs group: the rules'
 * `MatchedEvents` are the funnel's metrics, the log group is where an operator reads the events.
 */
export class SsoEventRules extends pulumi.ComponentResource {
  /** The rules by outcome, for metrics. */
  readonly outcomeRules: OutcomeRules;
  /** The rule resources by outcome. */
  readonly rules: Readonly<Record<SsoOutcome, aws.cloudwatch.EventRule>>;
  /** The log group of matched events (query it with CloudWatch Logs Insights). */
  readonly archive: aws.cloudwatch.LogGroup;

  constructor(name: string, args: SsoEventRulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:monitoring:SsoEventRules", name, {}, opts);
    const parent = { parent: this };
    const patterns = pulumi.output(args.scope).apply((scope) => ssoEventPatterns(scope));

    this.archive = new aws.cloudwatch.LogGroup(
      `${name}-archive`,
      { name: args.archiveLogGroupName, retentionInDays: args.logRetentionDays },
      parent,
    );
    // EventBridge writes to a log group under the group's resource policy, not under a role.
    const delivery = new aws.cloudwatch.LogResourcePolicy(
      `${name}-archive-policy`,
      {
        // e.g. aws-events-native-web-sso-prod: one policy per stack, in the account's shared list.
        policyName: args.archivePolicyName,
        policyDocument: this.archive.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "EventBridgeDeliversMatchedEvents",
                Effect: "Allow",
                Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${arn}:*`,
              },
            ],
          }),
        ),
      },
      parent,
    );

    const rules = {} as Record<SsoOutcome, aws.cloudwatch.EventRule>;
    for (const outcome of SSO_OUTCOMES) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${outcomeSlug(outcome)}`,
        {
          name: args.ruleName(outcomeSlug(outcome)),
          eventBusName: args.eventBusName,
          description: OUTCOME_DESCRIPTIONS[outcome],
          eventPattern: patterns.apply((p) => JSON.stringify(p[outcome])),
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${outcomeSlug(outcome)}-archive`,
        { eventBusName: args.eventBusName, rule: rule.name, arn: this.archive.arn },
        { parent: this, dependsOn: [delivery] },
      );
      rules[outcome] = rule;
    }
    this.rules = rules;
    const ruleNames = {} as Record<SsoOutcome, pulumi.Output<string>>;
    for (const outcome of SSO_OUTCOMES) ruleNames[outcome] = rules[outcome].name;
    this.outcomeRules = { eventBusName: args.eventBusName, ruleNames };
    this.registerOutputs({ outcomeRules: this.outcomeRules, rules: this.rules, archive: this.archive });
  }
}
