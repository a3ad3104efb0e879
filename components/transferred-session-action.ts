/**
 * The post-login Action that time-boxes sessions a session transfer token starts, and its binding.
 *
 * Bound with `auth0.TriggerAction`, which adds this one Action to the `post-login` flow, never with
 * `auth0.TriggerActions`, which owns the whole flow and would unbind every other Action the tenant
 * has (`@pulumi/auth0` 3.49 `triggerAction.d.ts` / `triggerActions.d.ts`; the policy pack refuses
 * the latter). The Action's code holds no secret: its policy is client IDs and lifetimes.
 */
import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { ACTION_RUNTIME, POST_LOGIN_TRIGGER } from "../model/transferred-sessions";

/** Arguments of {@link TransferredSessionAction}. */
export interface TransferredSessionActionArgs {
  /** The Action's name in the Auth0 dashboard, unique in the tenant (e.g. "<displayName> transferred sessions (prod)"). */
  readonly actionName: string;
  /** The Action's source: `actions/bundle.ts` `buildPostLoginActionCode` for the stack's policy. */
  readonly code: pulumi.Input<string>;
}

/** One Action on the `post-login` trigger, deployed and bound after the tenant's other Actions. */
export class TransferredSessionAction extends pulumi.ComponentResource {
  /** The Action (its code, runtime and trigger). */
  readonly action: auth0.Action;
  /** Its binding into the `post-login` flow. */
  readonly binding: auth0.TriggerAction;

  constructor(name: string, args: TransferredSessionActionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("native-web-sso:auth0:TransferredSessionAction", name, {}, opts);
    this.action = new auth0.Action(
      `${name}-action`,
      {
        name: args.actionName,
        code: args.code,
        runtime: ACTION_RUNTIME,
        supportedTriggers: { ...POST_LOGIN_TRIGGER },
        // Only a deployed Action can be bound; a new version is live as soon as it is deployed.
        deploy: true,
      },
      { parent: this },
    );
    this.binding = new auth0.TriggerAction(
      `${name}-binding`,
      { trigger: POST_LOGIN_TRIGGER.id, actionId: this.action.id, displayName: args.actionName },
      { parent: this },
    );
    this.registerOutputs({ action: this.action, binding: this.binding });
  }
}
