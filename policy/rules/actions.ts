/**
 * Auth0 Actions: the stack adds its post-login Action to the flow and never takes the flow over,
 * runs it on the newest Node runtime, and gives it no secret.
 *
 * `auth0.TriggerActions` "manages all the action bindings to a trigger" (`@pulumi/auth0` 3.49
 * `triggerActions.d.ts`): declaring it for `post-login` unbinds every Action the tenant's other
 * owners bound there (fraud checks, MFA rules, claims), silently, on the next `pulumi up`.
 * `auth0.TriggerAction` binds one Action and leaves the others alone.
 */
import * as auth0 from "@pulumi/auth0";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { at, isUnknown, known, list } from "../known";
import { ACTION_RUNTIME, POST_LOGIN_TRIGGER } from "../../model/transferred-sessions";
import { label, str } from "./common";

/** No `TriggerActions` owns the `post-login` flow: the stack binds its Action with `TriggerAction`. */
export const postLoginFlowNotOwned: ResourceValidationPolicy = {
  name: "post-login-flow-not-owned",
  description:
    "The stack binds its post-login Action with auth0.TriggerAction; an auth0.TriggerActions on post-login would unbind every other Action of the tenant's login flow.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(auth0.TriggerActions, (props, args, report) => {
    const trigger = at(known(props), "trigger");
    if (isUnknown(trigger) || trigger !== POST_LOGIN_TRIGGER.id) return;
    report(
      `auth0.TriggerActions "${args.name}" owns the whole post-login flow: deploying it unbinds every ` +
        "other Action bound there. Bind each Action with its own auth0.TriggerAction instead.",
    );
  }),
};

/** Every Action runs on the pinned runtime and carries no secret. */
export const actionRuntimeAndSecrets: ResourceValidationPolicy = {
  name: "action-runtime-and-secrets",
  description: `An Auth0 Action of the stack runs on ${ACTION_RUNTIME} (the newest runtime Actions offer) and declares no secrets: its policy is public data compiled into its code.`,
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(auth0.Action, (props, args, report) => {
    const p = known(props);
    const name = `Action "${label(p, args.name)}"`;
    const runtime = at(p, "runtime");
    if (!isUnknown(runtime) && runtime !== ACTION_RUNTIME) {
      const found = str(runtime);
      report(
        found === undefined
          ? `${name} declares no runtime, so Auth0 picks one: set runtime "${ACTION_RUNTIME}".`
          : `${name} runs on "${found}", older than "${ACTION_RUNTIME}": set runtime "${ACTION_RUNTIME}".`,
      );
    }
    for (const key of ["secrets", "secretsWos"] as const) {
      const secrets = list(at(p, key));
      if (!isUnknown(secrets) && (secrets ?? []).length > 0) {
        report(`${name} declares ${key}: the stack's Actions hold no secret. Remove them.`);
      }
    }
  }),
};
