/** Policies on logs: the API writes access logs, and no log group keeps them forever. */
import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { at, isUnknown, known } from "../known";
import { label } from "./common";

/** The HTTP API stage writes access logs. */
export const apiStageAccessLogging: ResourceValidationPolicy = {
  name: "api-stage-access-logging",
  description: "The API's stage writes access logs (a destination and a format).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.apigatewayv2.Stage, (props, args, report) => {
    const settings = at(known(props), "accessLogSettings");
    if (isUnknown(settings)) return;
    // An unknown destination is a log group being created: that is logging.
    const destination = at(settings, "destinationArn");
    const format = at(settings, "format");
    if (destination === undefined || destination === "" || format === undefined || format === "") {
      report(
        `API stage "${args.name}" has no access logging: set accessLogSettings.destinationArn and accessLogSettings.format.`,
      );
    }
  }),
};

/** Log groups do not keep logs forever. */
export const logGroupRetention: ResourceValidationPolicy = {
  name: "log-group-retention",
  description: "Every CloudWatch log group has a retention period.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (props, args, report) => {
    const p = known(props);
    const days = at(p, "retentionInDays");
    if (isUnknown(days)) return;
    if (typeof days !== "number" || days <= 0) {
      report(
        `Log group "${label(p, args.name)}" keeps its logs forever: set retentionInDays to a CloudWatch retention period.`,
      );
    }
  }),
};
