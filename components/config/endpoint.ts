/**
 * Section: the web endpoint on AWS (custom domain, logs, function memory and warm instances, API
 * throttling, the role's permissions boundary).
 */
import { hostProblem } from "./hosts";
import { configKey, setCommand } from "./keys";
import type { ConfigReader } from "./reader";

/** A custom domain for the web endpoint, served through API Gateway with a regional ACM certificate. */
export interface WebCustomDomain {
  /** Fully qualified host name, e.g. `sso.example.com`. */
  readonly name: string;
  /** The Route 53 hosted zone that holds the name. */
  readonly hostedZoneId: string;
}

/** The web endpoint's AWS settings. */
export interface EndpointSettings {
  readonly webCustomDomain?: WebCustomDomain;
  /** Retention of the function and API access logs, in days (a CloudWatch period). */
  readonly logRetentionDays: number;
  readonly lambdaMemoryMb: number;
  readonly apiThrottleBurstLimit: number;
  readonly apiThrottleRateLimit: number;
  /** Instances kept initialised (published version behind an alias); 0 serves `$LATEST` on demand. */
  readonly provisionedConcurrency: number;
  /**
   * ARN of the managed policy that caps what the function's role can ever be granted (the
   * identities program's `endpointPermissionsBoundaryArn`); none when unset.
   */
  readonly endpointPermissionsBoundary?: string;
}

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** A customer managed IAM policy's ARN (IAM's policy name and path characters). */
const MANAGED_POLICY_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:policy\/[\w+=,.@/-]{1,512}$/;

/** Reads `webDomainName` + `webHostedZoneId` (both or neither), then the sizes and limits. */
export function readEndpoint(r: ConfigReader): EndpointSettings {
  const domainKey = configKey("webDomainName");
  const zoneKey = configKey("webHostedZoneId");
  const unsetBoth = `pulumi config rm ${domainKey} and pulumi config rm ${zoneKey}`;
  let webCustomDomain: WebCustomDomain | undefined;
  const webDomainName = r.string("webDomainName");
  const webHostedZoneId = r.string("webHostedZoneId");
  if (webDomainName !== "" || webHostedZoneId !== "") {
    let ok = true;
    const p = hostProblem(webDomainName);
    if (p) {
      ok = false;
      r.problem(
        "webDomainName",
        webDomainName,
        `${p} (set it together with ${zoneKey}, or leave both unset)`,
        `${setCommand("webDomainName", "sso.example.com")}, or ${unsetBoth}`,
      );
    }
    if (!HOSTED_ZONE_ID.test(webHostedZoneId)) {
      ok = false;
      r.problem(
        "webHostedZoneId",
        webHostedZoneId,
        `expected a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ (set it together with ${domainKey})`,
        `${setCommand("webHostedZoneId", "<zone ID>")} (aws route53 list-hosted-zones-by-name), or ${unsetBoth}`,
      );
    }
    if (ok) webCustomDomain = { name: webDomainName, hostedZoneId: webHostedZoneId };
  }

  const logRetentionDays = r.integer("logRetentionDays", 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    r.problem(
      "logRetentionDays",
      logRetentionDays,
      `expected one of CloudWatch's periods: ${LOG_RETENTION_DAYS.join(", ")}`,
      setCommand("logRetentionDays", 30),
    );
  }
  const boundary = r.string("endpointPermissionsBoundary");
  if (boundary !== "" && !MANAGED_POLICY_ARN.test(boundary)) {
    r.problem(
      "endpointPermissionsBoundary",
      boundary,
      "expected the ARN of an IAM managed policy, arn:aws:iam::<account>:policy/<name>",
      `${setCommand("endpointPermissionsBoundary", '"$(pulumi -C identities stack output endpointPermissionsBoundaryArn)"')}, ` +
        `or pulumi config rm ${configKey("endpointPermissionsBoundary")}`,
    );
  }
  return {
    webCustomDomain,
    endpointPermissionsBoundary: boundary === "" ? undefined : boundary,
    logRetentionDays,
    lambdaMemoryMb: r.integer("lambdaMemoryMb", 128, 10_240),
    apiThrottleBurstLimit: r.integer("apiThrottleBurstLimit", 1, 5_000),
    // Zero would throttle every request (pulumi-aws #2363): at least one per second.
    apiThrottleRateLimit: r.integer("apiThrottleRateLimit", 1, 10_000),
    // Lambda's default concurrency quota per region is 1000; negative makes no sense.
    provisionedConcurrency: r.integer("provisionedConcurrency", 0, 1_000),
  };
}
