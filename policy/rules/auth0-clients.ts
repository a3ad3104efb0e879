/**
 * Policies on the Auth0 clients: session transfer on the native and the web client, the web
 * client's redirect URLs, and client protection in production.
 */
import * as auth0 from "@pulumi/auth0";
import type {
  ResourceValidation,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { checkSessionTransferMethods, isDeviceBinding } from "../../model/session-transfer";
import { loginUriProblem, webUrlProblem } from "../../model/web-urls";
import { at, isUnknown, known, list, show, type Known } from "../known";
import { isProduction, label, TYPES } from "./common";

/** `appType`s of Auth0 clients that redeem session transfer tokens in a browser. */
const WEB_APP_TYPES: readonly string[] = ["regular_web", "spa"];

function clientKind(p: Known): "native" | "web" | undefined {
  const appType = at(p, "appType");
  if (appType === "native") return "native";
  if (typeof appType === "string" && WEB_APP_TYPES.includes(appType)) return "web";
  return undefined;
}

/** A native client that can create session transfer tokens. */
function createsTokens(p: Known): boolean {
  return clientKind(p) === "native" && at(p, "sessionTransfer", "canCreateSessionTransferToken") === true;
}

/** A web client with a session transfer block: it takes part in Native to Web SSO. */
function acceptsTokens(p: Known): boolean {
  const st = at(p, "sessionTransfer");
  return clientKind(p) === "web" && st !== undefined && !isUnknown(st);
}

/** A URL as a preview may show it: never repeat credentials it carries. */
function withoutCredentials(u: string): string {
  return u.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1***@");
}

/** A native client that creates session transfer tokens has what the token exchange needs. */
export const nativeClientSessionTransfer: ResourceValidationPolicy = {
  name: "native-client-session-transfer",
  description:
    "A native Auth0 client that can create session transfer tokens uses rotating refresh tokens, the refresh_token grant and device binding.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(auth0.Client, (props, args, report) => {
    const p = known(props);
    if (!createsTokens(p)) return;
    const name = label(p, args.name);
    const rotation = at(p, "refreshToken", "rotationType");
    if (!isUnknown(rotation) && rotation !== "rotating") {
      report(
        `Native client "${name}" can create session transfer tokens but refresh token rotation is off (refreshToken.rotationType is ${show(rotation)}): set it to "rotating".`,
      );
    }
    const grants = list(at(p, "grantTypes"));
    if (!isUnknown(grants) && !(grants ?? []).includes("refresh_token")) {
      report(
        `Native client "${name}" can create session transfer tokens but its grantTypes ${show(grants)} lack "refresh_token", the grant that exchanges a refresh token for one.`,
      );
    }
    const binding = at(p, "sessionTransfer", "enforceDeviceBinding");
    if (!isUnknown(binding) && !isDeviceBinding(binding)) {
      report(
        `Native client "${name}" must bind its session transfer tokens to the device: set sessionTransfer.enforceDeviceBinding to "asn" or "ip" (found ${show(binding)}).`,
      );
    }
  }),
};

/** The violation of a client that binds its session transfer tokens to no network. */
function unboundClient(): ResourceValidation {
  return validateResourceOfType(auth0.Client, (props, args, report) => {
    const p = known(props);
    const kind = createsTokens(p) ? "Native" : acceptsTokens(p) ? "Web" : undefined;
    if (!kind) return;
    if (at(p, "sessionTransfer", "enforceDeviceBinding") === "none") {
      report(
        `${kind} client "${label(p, args.name)}" has sessionTransfer.enforceDeviceBinding "none": a stolen session transfer token could be redeemed from any network. Use "asn" or "ip".`,
      );
    }
  });
}

/**
 * `none` device binding in a production stack: mandatory. A policy's enforcement level is fixed
 * when the pack starts, before it knows the stack, so the non-production case is a policy of its
 * own ({@link sessionTransferDeviceBindingOutsideProduction}), and each applies only to its kind of stack.
 */
export const sessionTransferDeviceBinding: ResourceValidationPolicy = {
  name: "session-transfer-device-binding",
  description:
    'In production, session transfer tokens are bound to the device\'s network ("asn" or "ip"), never "none".',
  enforcementLevel: "mandatory",
  validateResource: (args, report) =>
    isProduction(args) ? unboundClient()(args, report) : args.notApplicable("non-production stack"),
};

/** `none` device binding in a non-production stack: allowed there, and still worth a warning. */
export const sessionTransferDeviceBindingOutsideProduction: ResourceValidationPolicy = {
  name: "session-transfer-device-binding-outside-production",
  description:
    'Outside production, session transfer tokens bound to no network ("none") are reported as advisory.',
  enforcementLevel: "advisory",
  validateResource: (args, report) =>
    isProduction(args) ? args.notApplicable("production stack") : unboundClient()(args, report),
};

/** A web client that accepts session transfer tokens is set up so the hand-over can work, safely. */
export const webClientSessionTransfer: ResourceValidationPolicy = {
  name: "web-client-session-transfer",
  description:
    'A web Auth0 client that accepts session transfer tokens names only "cookie" and "query", sets device binding, and has an https Application Login URI on a real host without credentials.',
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(auth0.Client, (props, args, report) => {
    const p = known(props);
    if (!acceptsTokens(p)) return;
    const name = `Web client "${label(p, args.name)}"`;

    const methods = list(at(p, "sessionTransfer", "allowedAuthenticationMethods"));
    if (!isUnknown(methods)) {
      const given = methods ?? [];
      const check = checkSessionTransferMethods(given);
      if (!check.ok && check.kind === "empty") {
        report(
          `${name} accepts no session transfer method: sessionTransfer.allowedAuthenticationMethods is empty, which silently turns Native to Web SSO off. Name "cookie", "query" or both.`,
        );
      } else if (!check.ok && check.kind === "unknown") {
        report(
          `${name} names unsupported session transfer methods ${show(check.unknown)}: only "cookie" and "query" are allowed.`,
        );
      } else if (!check.ok && check.kind === "repeated") {
        report(`${name} names a session transfer method twice: ${show(given)}.`);
      }
    }

    const binding = at(p, "sessionTransfer", "enforceDeviceBinding");
    if (!isUnknown(binding) && !isDeviceBinding(binding)) {
      report(
        `${name} must set sessionTransfer.enforceDeviceBinding to "asn", "ip" or "none" (found ${show(binding)}); left unset, whatever the dashboard holds applies.`,
      );
    }

    const uri = at(p, "initiateLoginUri");
    if (isUnknown(uri)) return; // The endpoint's URL: known once the API exists; checked again by `pulumi up`.
    if (typeof uri !== "string" || uri === "") {
      report(`${name} has no initiateLoginUri: the native app has no Application Login URI to open.`);
      return;
    }
    const problem = loginUriProblem(uri);
    if (problem) report(`${name} has initiateLoginUri "${withoutCredentials(uri)}": ${problem}.`);
  }),
};

/** Callback and logout URLs of a web client: https always, no wildcards in production. */
export const webClientRedirectUrls: ResourceValidationPolicy = {
  name: "web-client-redirect-urls",
  description:
    "Callback and logout URLs of a web Auth0 client are https, and have no wildcards in production.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(auth0.Client, (props, args, report) => {
    const p = known(props);
    if (clientKind(p) !== "web") return;
    const name = `Web client "${label(p, args.name)}"`;
    const production = isProduction(args);
    for (const field of ["callbacks", "allowedLogoutUrls"]) {
      const urls = list(at(p, field));
      if (urls === undefined || isUnknown(urls)) continue;
      for (const u of urls) {
        if (typeof u !== "string") continue; // unknown until the endpoint exists
        const problem = webUrlProblem(u, production);
        if (problem) report(`${name} has ${field} entry "${withoutCredentials(u)}": ${problem}.`);
        else if (production && u.includes("*")) {
          report(`${name} has ${field} entry "${u}" with a wildcard, which production stacks do not allow.`);
        }
      }
    }
  }),
};

/** Clients are protected in production: a replaced client gets a new ID and shipped apps stop signing in. */
export const auth0ClientsProtected: StackValidationPolicy = {
  name: "auth0-clients-protected",
  description:
    "In production, Auth0 clients and their credentials are protected from deletion (a replaced client gets a new client ID).",
  enforcementLevel: "mandatory",
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    if (!isProduction(args)) args.notApplicable("non-production stack");
    for (const r of args.resources) {
      if (r.opts.protect) continue;
      if (r.type === TYPES.client) {
        report(
          `Auth0 client "${label(known(r.props), r.name)}" is not protected: deleting or replacing it changes its client ID and every installed app stops signing in. Protect it (native-web-sso:protectClients true).`,
          r.urn,
        );
      } else if (r.type === TYPES.clientCredentials) {
        report(
          `Auth0 client credentials "${r.name}" are not protected: deleting them resets the client's authentication method and deletes its secrets. Protect them (native-web-sso:protectClients true).`,
          r.urn,
        );
      }
    }
  },
};
