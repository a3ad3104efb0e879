/**
 * The web apps that run elsewhere: one {@link WebApp} each, named after the app (`<name>`,
 * `<name>-client`, `<name>-credentials`), with the stack's device binding, refresh-token rules and
 * protection, and the session transfer methods the app allows (the stack's unless it says).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ExternalWebApp, StackConfig } from "./config";
import { WebApp } from "./web-app";

/** A declared external web app. */
export interface DeclaredExternalWebApp {
  readonly config: ExternalWebApp;
  readonly component: WebApp;
}

/** Declares one Auth0 web client per external web app, in the configured order. */
export function declareExternalWebApps(cfg: StackConfig): DeclaredExternalWebApp[] {
  return cfg.externalWebApps.map((app) => ({
    config: app,
    component: new WebApp(app.name, {
      clientName: `${cfg.displayName} ${app.name} (${cfg.stack})`,
      appType: app.type,
      loginUri: app.loginUri,
      callbackUrls: app.callbackUrls,
      logoutUrls: app.logoutUrls,
      webOrigins: app.type === "spa" ? app.webOrigins : undefined,
      allowedAuthenticationMethods: app.allowedAuthenticationMethods,
      deviceBinding: cfg.deviceBinding,
      allowRefreshToken: cfg.webAllowRefreshToken,
      enforceOnlineRefreshTokens: cfg.webEnforceOnlineRefreshTokens,
      refreshToken: cfg.refreshToken,
      protect: cfg.protectClients,
    }),
  }));
}

/** The secrets of the external regular web apps, by name (single-page apps have none). */
export function externalClientSecrets(
  apps: readonly DeclaredExternalWebApp[],
): Record<string, pulumi.Output<string>> {
  const secrets: Record<string, pulumi.Output<string>> = {};
  for (const app of apps)
    if (app.component.clientSecret) secrets[app.config.name] = app.component.clientSecret;
  return secrets;
}
