/**
 * The monitoring of Native to Web SSO, wired: the Auth0 log stream and its partner bus, the rules
 * that count session transfer outcomes, the endpoint's log metrics, the alarms and their topic, and
 * the dashboard. `index.ts` calls {@link monitorSso} once per stack (unless the stack opts out).
 */

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ActionRefusalMonitor } from "./action-refusals";
import { Auth0LogStream, LOGIN_FAILURE_CATEGORY } from "./auth0-log-stream";
import { EndpointLogMetrics } from "./endpoint-log-metrics";
import type { StackAwsNames } from "../../model/aws-names";
import type { SsoPatternScope } from "../../model/sso-event-patterns";
import { logMetricNamespace, type MonitoredEndpoint } from "./metrics";
import { SsoAlarms, type SsoAlarmThresholds } from "./sso-alarms";
import { SsoDashboard } from "./sso-dashboard";
import { SsoEventRules } from "./sso-event-rules";

/** Arguments of {@link monitorSso}. */
export interface SsoMonitoringArgs {
  /** The stack's physical AWS names (`model/aws-names.ts`), which name the rules, alarms and the rest. */
  readonly names: StackAwsNames;
  /** How the tenant's log stream is named in the Auth0 dashboard. */
  readonly streamName: string;
  /** The audience and client IDs of this stack's native and web apps. */
  readonly scope: pulumi.Input<SsoPatternScope>;
  /** The hosted web endpoint, if the stack has one. */
  readonly endpoint?: MonitoredEndpoint;
  /** Retention of the matched Auth0 events, in days (a CloudWatch period). */
  readonly logRetentionDays: number;
  /** An address the alarm topic e-mails, or `""`. */
  readonly alarmEmail: string;
  /** When each alarm fires. */
  readonly thresholds: SsoAlarmThresholds;
  /** Count the refusals of the post-login Action (only when the stack declares it refusing). */
  readonly actionRefusals?: boolean;
}

/** What operators look up after a deployment. */
export interface SsoMonitoringOutputs {
  /** The partner event bus Auth0's log stream feeds. */
  readonly eventBusName: pulumi.Output<string>;
  /** The log group that keeps every matched session transfer event. */
  readonly matchedEventsLogGroup: pulumi.Output<string>;
  /** The SNS topic every alarm notifies. */
  readonly alarmTopicArn: pulumi.Output<string>;
  /** The CloudWatch dashboard of the SSO funnel. */
  readonly dashboardName: pulumi.Output<string>;
}

/** Declares the monitoring of one stack, in the stack's own AWS account and region. */
export function monitorSso(args: SsoMonitoringArgs): SsoMonitoringOutputs {
  const names = args.names;
  const namespace = logMetricNamespace(names.stack);
  const region = aws.getRegionOutput().region;
  const stream = new Auth0LogStream("monitoring-log-stream", {
    streamName: args.streamName,
    awsAccountId: aws.getCallerIdentityOutput().accountId,
    awsRegion: region,
    tags: names.tags,
    // The Action's refusals are failed logins: streamed only for the stack that counts them.
    extraCategories: args.actionRefusals ? [LOGIN_FAILURE_CATEGORY] : [],
  });
  const rules = new SsoEventRules("monitoring-rules", {
    eventBusName: stream.bus.name,
    scope: args.scope,
    archiveLogGroupName: names.archiveLogGroup,
    archivePolicyName: names.archivePolicyName,
    ruleName: names.flat,
    logRetentionDays: args.logRetentionDays,
  });
  if (args.endpoint) {
    new EndpointLogMetrics("monitoring-log-metrics", { endpoint: args.endpoint, namespace });
  }
  const alarms = new SsoAlarms("monitoring-alarms", {
    names,
    outcomeRules: rules.outcomeRules,
    endpoint: args.endpoint,
    logMetricNamespace: namespace,
    alarmEmail: args.alarmEmail,
    thresholds: args.thresholds,
  });
  if (args.actionRefusals) {
    new ActionRefusalMonitor("monitoring-action-refusals", {
      eventBusName: stream.bus.name,
      webClientIds: pulumi.output(args.scope).apply((s) => s.webClientIds),
      archiveArn: rules.archive.arn,
      archiveDelivery: rules,
      alarmTopicArn: alarms.topic.arn,
      flatName: names.flat,
    });
  }
  const dashboard = new SsoDashboard("monitoring-dashboard", {
    dashboardName: names.dashboardName,
    region,
    outcomeRules: rules.outcomeRules,
    endpoint: args.endpoint,
    logMetricNamespace: namespace,
    alarmArns: Object.values(alarms.alarms).map((a) => a.arn),
  });
  return {
    eventBusName: stream.bus.name,
    matchedEventsLogGroup: rules.archive.name,
    alarmTopicArn: alarms.topic.arn,
    dashboardName: dashboard.dashboard.dashboardName,
  };
}
