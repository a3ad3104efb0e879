/**
 * The single-page app's own rule. The web client rules of `./auth0-clients.ts` apply to an `spa` client as
 * to any web client (session transfer methods, device binding, login URI, redirect URLs,
 * protection); this one checks what only a browser-side client has: the origins its SDK runs on,
 * and grants a public client must never hold.
 */
import * as auth0 from "@pulumi/auth0";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { at, isUnknown, known, list, show } from "../known";
import { webOriginProblem } from "../../model/web-urls";
import { isProduction, label } from "./common";

/** Grants a single-page app may use: the code flow (with PKCE) and rotating refresh tokens. */
export const SPA_GRANT_TYPES: readonly string[] = ["authorization_code", "refresh_token"];

/** A single-page app names https origins only, and holds no grant a public client must not have. */
export const spaClientOrigins: ResourceValidationPolicy = {
  name: "spa-client-origins",
  description:
    "A single-page Auth0 client lists its SDK's https origins as Allowed Web Origins and Allowed Origins, and uses only the code flow and refresh tokens.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(auth0.Client, (props, args, report) => {
    const p = known(props);
    if (at(p, "appType") !== "spa") return;
    const name = `Single-page client "${label(p, args.name)}"`;
    const webOrigins = list(at(p, "webOrigins"));
    if (!isUnknown(webOrigins)) {
      if ((webOrigins ?? []).length === 0) {
        report(`${name} has no webOrigins: the SPA SDK cannot renew its session from the page's origin.`);
      }
      for (const o of webOrigins ?? []) {
        if (typeof o !== "string") continue; // unknown until the app's origin is
        const problem = webOriginProblem(o, isProduction(args));
        if (problem) report(`${name} has webOrigins entry "${o}": ${problem}.`);
      }
    }
    const allowed = list(at(p, "allowedOrigins"));
    if (!isUnknown(allowed)) {
      for (const o of allowed ?? []) {
        if (typeof o !== "string") continue; // unknown until the app's origin is
        const problem = webOriginProblem(o, isProduction(args));
        if (problem) report(`${name} has allowedOrigins entry "${o}": ${problem}.`);
      }
    }
    const grants = list(at(p, "grantTypes"));
    if (!isUnknown(grants)) {
      const bad = (grants ?? []).filter((g) => !(typeof g === "string" && SPA_GRANT_TYPES.includes(g)));
      if (bad.length > 0) {
        report(
          `${name} has grantTypes ${show(bad)}: a public client in a browser uses only ${show(SPA_GRANT_TYPES)}.`,
        );
      }
    }
  }),
};
