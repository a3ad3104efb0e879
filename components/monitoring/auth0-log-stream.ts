import * as auth0 from "@pulumi/auth0";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The log categories the stream delivers: the session transfer exchange (`sertft`, `fertft`,
 * `ferrt` are "Token Exchange"), the `/authorize` warnings (`w` is "Login - Notification") and the
 * logins a token started (`s` is "Login - Success"); auth0/docs-v2
 * `main/docs/customize/log-streams/event-filters.mdx`. Everything else stays out of the bus: an
 * EventBridge partner event is paid for per event.
 */
export const STREAMED_LOG_CATEGORIES = [
  "auth.token_exchange.success",
  "auth.token_exchange.fail",
  "auth.login.notification",
  "auth.login.success",
] as const;

/**
 * The category of failed logins (`f` is "Login - Failure", event-filters.mdx; the name as
 * `@pulumi/auth0` `logStream.d.ts` lists it), streamed only when the stack's post-login Action
 * refuses tokens: its refusals are failed logins.
 */
export const LOGIN_FAILURE_CATEGORY = "auth.login.fail";

/** Arguments of {@link Auth0LogStream}. */
export interface Auth0LogStreamArgs {
  /** Display name of the stream in the Auth0 dashboard. */
  readonly streamName: string;
  /** The AWS account that receives the logs (the stack's own). */
  readonly awsAccountId: pulumi.Input<string>;
  /** The AWS region of the partner event source and bus (the stack's own). */
  readonly awsRegion: pulumi.Input<string>;
  /** Tags of the partner bus: its name is Auth0's, so the stack's tag is what scopes it. */
  readonly tags: Readonly<Record<string, string>>;
  /** Categories streamed besides {@link STREAMED_LOG_CATEGORIES} (e.g. {@link LOGIN_FAILURE_CATEGORY}). */
  readonly extraCategories?: readonly string[];
}

/**
 * An Auth0 log stream of type `eventbridge` and the partner event bus it feeds.
 *
 * Auth0 creates the partner event source in the given account and region and names it in the
 * stream's `sink.awsPartnerEventSource` (`aws.partner/auth0.com/<tenant>-<id>/auth0.logs`).
 * Creating an event bus whose name and `eventSourceName` are that source is what associates the
 * two (EventBridge `CreateEventBus`: "To create a partner event bus, ensure that the name matches
 * the eventSourceName"; `@pulumi/aws` `cloudwatch/eventBus.d.ts`), so no console step is left.
 * Until the bus exists the source is "pending" and Auth0's events are dropped (Auth0's
 * "Stream Logs to Amazon EventBridge").
 */
export class Auth0LogStream extends pulumi.ComponentResource {
  /** The partner event source (and bus) name. */
  readonly eventSourceName: pulumi.Output<string>;
  /** The partner event bus the rules attach to. */
  readonly bus: aws.cloudwatch.EventBus;

  constructor(name: string, args: Auth0LogStreamArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:monitoring:Auth0LogStream", name, {}, opts);
    const stream = new auth0.LogStream(
      `${name}-stream`,
      {
        name: args.streamName,
        type: "eventbridge",
        status: "active",
        sink: { awsAccountId: args.awsAccountId, awsRegion: args.awsRegion },
        filters: [...STREAMED_LOG_CATEGORIES, ...(args.extraCategories ?? [])].map((category) => ({
          type: "category",
          name: category,
        })),
      },
      { parent: this },
    );
    this.eventSourceName = stream.sink.apply((sink) => {
      if (!sink.awsPartnerEventSource) {
        throw new Error(`Auth0 returned no partner event source for log stream ${args.streamName}.`);
      }
      return sink.awsPartnerEventSource;
    });
    this.bus = new aws.cloudwatch.EventBus(
      `${name}-bus`,
      {
        name: this.eventSourceName,
        eventSourceName: this.eventSourceName,
        description: "Auth0 tenant logs for Native to Web SSO monitoring",
        tags: args.tags,
      },
      { parent: this },
    );
    this.registerOutputs({ eventSourceName: this.eventSourceName, bus: this.bus });
  }
}
