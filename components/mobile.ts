import type { AndroidSettings, IosSettings } from "./config";

/**
 * The redirect URLs the Auth0 mobile SDKs build, so that callbacks and logout URLs match what
 * Auth0.swift and Auth0.Android send without any per-app override.
 */

/**
 * Auth0.swift: `{bundleId}://{domain}/ios/{bundleId}/callback`. With universal links the SDK uses
 * `https://{domain}/ios/{bundleId}/callback` on iOS 17.4 and later and still falls back to the
 * custom scheme on older systems, so both are registered (https first).
 */
export function iosCallbackUrls(ios: IosSettings, domain: string): string[] {
  const path = `${domain}/ios/${ios.bundleId}/callback`;
  return ios.universalLinks
    ? [`https://${path}`, `${ios.bundleId}://${path}`]
    : [`${ios.bundleId}://${path}`];
}

/** Auth0.Android: `{auth0Scheme}://{domain}/android/{packageName}/callback`. */
export function androidCallbackUrl(android: AndroidSettings, domain: string): string {
  return `${android.scheme}://${domain}/android/${android.packageName}/callback`;
}

/** Every redirect URL of the native app, in a stable order (iOS first). The SDKs use one URL for login and logout. */
export function nativeRedirectUrls(domain: string, ios?: IosSettings, android?: AndroidSettings): string[] {
  const urls: string[] = [];
  if (ios) urls.push(...iosCallbackUrls(ios, domain));
  if (android) urls.push(androidCallbackUrl(android, domain));
  return urls;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The `Auth0.plist` that Auth0.swift reads (`ClientId`, `Domain`). */
export function auth0Plist(clientId: string, domain: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
    "    <key>ClientId</key>",
    `    <string>${xmlEscape(clientId)}</string>`,
    "    <key>Domain</key>",
    `    <string>${xmlEscape(domain)}</string>`,
    "</dict>",
    "</plist>",
    "",
  ].join("\n");
}

/** The Android string resources Auth0.Android reads (`com_auth0_client_id`, `com_auth0_domain`). */
export function androidStrings(clientId: string, domain: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    "<resources>",
    `    <string name="com_auth0_client_id">${xmlEscape(clientId)}</string>`,
    `    <string name="com_auth0_domain">${xmlEscape(domain)}</string>`,
    "</resources>",
    "",
  ].join("\n");
}
