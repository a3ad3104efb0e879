/**
 * A stack with every kind of app the program declares: per-platform native clients, a single-page
 * app and a server-side web app that run elsewhere (next to the hosted one unless a test turns it
 * off). The config overrides the whole-program, policy and preview tests render it with.
 */
export const MANY_APPS_CONFIG: Readonly<Record<string, string>> = {
  "native-web-sso:nativeClients": "per-platform",
  "native-web-sso:externalWebApps": JSON.stringify([
    {
      name: "shop",
      type: "spa",
      loginUri: "https://shop.acme.com/login",
      callbackUrls: ["https://shop.acme.com/callback"],
      webOrigins: ["https://shop.acme.com"],
    },
    {
      name: "portal",
      type: "regular_web",
      loginUri: "https://portal.acme.com/login",
      callbackUrls: ["https://portal.acme.com/callback"],
    },
  ]),
};

/** A single-page app on its own host, as a dev stack's `externalWebApps` entry lists it. */
export const DEV_SHOP_SPA = {
  name: "shop",
  type: "spa",
  loginUri: "https://shop-dev.acme.com/login",
  callbackUrls: ["https://shop-dev.acme.com/callback"],
  logoutUrls: ["https://shop-dev.acme.com/"],
  webOrigins: ["https://shop-dev.acme.com"],
} as const;
