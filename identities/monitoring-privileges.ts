/** The privileges of the main stack's monitoring resources (see privileges.ts for the table's form). */

import {
  anyResource,
  arn,
  createdForStack,
  logGroupArns,
  namesOf,
  partnerBusArns,
  ruleArns,
  taggedForStack,
  topicArns,
  type AwsGrant,
} from "./stack-arns";

/** AWS resource type token (as Pulumi registers it) → the grants it needs. */
export const MONITORING_PRIVILEGES: Readonly<Record<string, readonly AwsGrant[]>> = {
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": [
    {
      read: ["logs:DescribeMetricFilters"],
      deploy: ["logs:PutMetricFilter", "logs:DeleteMetricFilter"],
      resources: logGroupArns,
    },
  ],
  // Lets EventBridge write the SSO event archive; resource policies have no ARN of their own, so
  // these are wildcard-only. Put (create, update) is what an up needs; Delete is left out, so no
  // deploy can remove another stack's policy: destroying the monitoring is an administrator's step.
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": [
    { read: ["logs:DescribeResourcePolicies"], deploy: ["logs:PutResourcePolicy"], resources: anyResource },
  ],
  // Auth0's log stream arrives on a partner event bus named after Auth0's event source
  // (aws.partner/auth0.com/<tenant>-<id>/auth0.logs), not after the stack: the stack's tag scopes it.
  "aws:cloudwatch/eventBus:EventBus": [
    {
      read: [],
      deploy: ["events:CreateEventBus"],
      resources: partnerBusArns,
      condition: createdForStack,
    },
    {
      read: ["events:DescribeEventBus", "events:ListTagsForResource"],
      deploy: [
        "events:UpdateEventBus",
        "events:DeleteEventBus",
        "events:TagResource",
        "events:UntagResource",
      ],
      resources: partnerBusArns,
      condition: taggedForStack,
    },
  ],
  "aws:cloudwatch/eventRule:EventRule": [
    {
      read: ["events:DescribeRule", "events:ListTagsForResource"],
      deploy: [
        "events:PutRule",
        "events:DeleteRule",
        "events:EnableRule",
        "events:DisableRule",
        "events:TagResource",
        "events:UntagResource",
      ],
      resources: ruleArns,
    },
  ],
  "aws:cloudwatch/eventTarget:EventTarget": [
    {
      read: ["events:ListTargetsByRule"],
      deploy: ["events:PutTargets", "events:RemoveTargets"],
      resources: ruleArns,
    },
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    {
      read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
      deploy: [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
      ],
      resources: (s) => [arn("cloudwatch", s, `alarm:${namesOf(s).flatPrefix}*`)],
    },
  ],
  "aws:cloudwatch/dashboard:Dashboard": [
    {
      read: ["cloudwatch:GetDashboard"],
      deploy: ["cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"],
      resources: (s) => [`arn:aws:cloudwatch::${s.account}:dashboard/${namesOf(s).dashboardName}`],
    },
    { read: ["cloudwatch:ListDashboards"], deploy: [], resources: anyResource },
  ],
  "aws:sns/topic:Topic": [
    {
      read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
      deploy: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:TagResource",
        "sns:UntagResource",
      ],
      resources: topicArns,
    },
  ],
  "aws:sns/topicPolicy:TopicPolicy": [
    {
      read: ["sns:GetTopicAttributes"],
      deploy: ["sns:SetTopicAttributes"],
      resources: topicArns,
    },
  ],
  "aws:sns/topicSubscription:TopicSubscription": [
    {
      read: ["sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"],
      deploy: ["sns:Subscribe"],
      resources: topicArns,
    },
    {
      // Authorized on the topic (AWS's reference: resource type "topic"), not on "*".
      read: ["sns:GetSubscriptionAttributes"],
      deploy: ["sns:SetSubscriptionAttributes", "sns:Unsubscribe"],
      resources: topicArns,
    },
  ],
};
