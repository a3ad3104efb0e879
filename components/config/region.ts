/**
 * Section: the AWS region (`aws:region`), where the endpoint and the monitoring live. Required: a
 * missing one would leave the provider to whatever region the deploying shell has, and the offline
 * preview to assume one. With monitoring on, Auth0 must be able to stream logs to EventBridge there.
 */
import { setCommand } from "./keys";
import { AWS_REGIONS, auth0EventBridgeRegions } from "./providers";
import type { ConfigReader } from "./reader";
import { nearMiss } from "./stack-keys";

/** The stack's AWS region. */
export interface RegionSettings {
  /** `aws:region`, a region `@pulumi/aws` knows. */
  readonly awsRegion: string;
}

const KEY = "aws:region";
const FIX = `pulumi config set ${KEY} <region>, e.g. pulumi config set ${KEY} eu-west-1`;

/** Reads `aws:region`; `monitoring` is whether the stack streams Auth0's logs to EventBridge. */
export function readRegion(r: ConfigReader, monitoring: boolean): RegionSettings {
  const region = (r.raw[KEY] ?? "").trim();
  if (region === "") {
    r.add(KEY, undefined, "the AWS region is required (the stack's resources live there)", FIX);
    return { awsRegion: region };
  }
  if (!AWS_REGIONS.includes(region)) {
    const meant = nearMiss(region, AWS_REGIONS);
    r.add(
      KEY,
      region,
      meant
        ? `not an AWS region; did you mean ${meant}? (a region @pulumi/aws knows)`
        : `not an AWS region (@pulumi/aws knows ${AWS_REGIONS.join(", ")})`,
      meant ? `pulumi config set ${KEY} ${meant}` : FIX,
    );
    return { awsRegion: region };
  }
  const streamable = auth0EventBridgeRegions();
  if (monitoring && !streamable.includes(region)) {
    r.add(
      KEY,
      region,
      `Auth0 cannot stream logs to EventBridge in ${region}, which the monitoring needs (it can in ${streamable.join(", ")})`,
      `pulumi config set ${KEY} <one of those>, or opt out of the monitoring with ${setCommand("monitoring", false)}`,
    );
  }
  return { awsRegion: region };
}
