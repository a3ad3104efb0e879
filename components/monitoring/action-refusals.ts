/**
 * Counts the refusals of the post-login Action (`actions/post-login.ts`): one EventBridge rule on
 * the Auth0 partner bus (pattern: `model/transferred-sessions.ts` `actionRefusalPattern`), its
 * matches kept in the monitoring's log group, and an alarm when any is refused. Declared only when
 * the stack asks the Action to refuse; separate from the SSO funnel's rules so that a stack without
 * the Action declares what it always did.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { actionRefusalPattern } from "../../model/transferred-sessions";

/** Arguments of {@link ActionRefusalMonitor}. */
export interface ActionRefusalMonitorArgs {
  /** Name of the partner event bus the Auth0 log stream feeds. */
  readonly eventBusName: pulumi.Input<string>;
  /** The stack's web client IDs: where the Action runs and refuses. */
  readonly webClientIds: pulumi.Input<readonly string[]>;
  /** The log group that keeps every matched event (the SSO rules' archive). */
  readonly archiveArn: pulumi.Input<string>;
  /** What grants EventBridge delivery into that log group (the SSO rules, with its resource policy). */
  readonly archiveDelivery: pulumi.Resource;
  /** The SNS topic the alarm notifies. */
  readonly alarmTopicArn: pulumi.Input<string>;
  /** The stack's flat AWS name of a thing (`model/aws-names.ts`), which names the rule and the alarm. */
  readonly flatName: (what: string) => string;
}

/** Refusals per five minutes that raise the alarm: every one means a misdeclared or foreign app. */
export const ACTION_REFUSALS_TO_ALARM = 1;

/** The rule, its archive target and its alarm. */
export class ActionRefusalMonitor extends pulumi.ComponentResource {
  readonly rule: aws.cloudwatch.EventRule;
  readonly alarm: aws.cloudwatch.MetricAlarm;

  constructor(name: string, args: ActionRefusalMonitorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:monitoring:ActionRefusalMonitor", name, {}, opts);
    this.rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        name: args.flatName("action-refusals"),
        eventBusName: args.eventBusName,
        description:
          "The post-login Action refused a session transfer token (undeclared native app or web app)",
        eventPattern: pulumi
          .output(args.webClientIds)
          .apply((ids) => JSON.stringify(actionRefusalPattern(ids))),
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-archive`,
      { eventBusName: args.eventBusName, rule: this.rule.name, arn: args.archiveArn },
      { parent: this, dependsOn: [args.archiveDelivery] },
    );
    const alarmName = args.flatName("action-refusals");
    this.alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-alarm`,
      {
        name: alarmName,
        alarmDescription:
          'The post-login Action refused a session transfer token: a native app or web app the stack does not declare tried Native to Web SSO. Runbook: README, "Transferred sessions".',
        // AWS/Events MatchedEvents by EventBusName + RuleName, as the SSO funnel's alarms (./metrics.ts).
        namespace: "AWS/Events",
        metricName: "MatchedEvents",
        dimensions: { EventBusName: args.eventBusName, RuleName: this.rule.name },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: ACTION_REFUSALS_TO_ALARM,
        treatMissingData: "notBreaching",
        alarmActions: [args.alarmTopicArn],
        okActions: [args.alarmTopicArn],
      },
      { parent: this },
    );
    this.registerOutputs({ rule: this.rule, alarm: this.alarm });
  }
}
