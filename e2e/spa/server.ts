/**
 * A static HTTPS server for the single-page app of the browser proof: `index.html` and `app.js`
 * from this folder, Auth0's browser build of `@auth0/auth0-spa-js` exactly as the npm package ships
 * it, and `/auth_config.json` with the domain, client ID and redirect URI the stack declares (the
 * layout of Auth0's own SPA samples). Nothing here takes part in signing in: that is the SDK's job.
 */

import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** What the page reads from `/auth_config.json`: the SDK's `createAuth0Client` options. */
export interface SpaSettings {
  /** The domain the SDK talks to (`auth0Domain` output: the tenant's custom domain if set). */
  readonly domain: string;
  /** The SPA client's ID, as the stack declares it. */
  readonly clientId: string;
  /** The SDK's `redirect_uri`: one of the client's callback URLs, on the page's own origin. */
  readonly redirectUri: string;
}

/** Options of {@link startSpaServer}. */
export interface SpaServerOptions {
  readonly settings: SpaSettings;
  /** Address to listen on. */
  readonly address: string;
  /** Port; 0 picks a free one. The browser proof uses 443: the stack's URLs carry no port. */
  readonly port: number;
  /** PEM certificate and key for the app's host name. */
  readonly tls: { readonly cert: string; readonly key: string };
  /** Where to record requests (default: a list of the server's own). */
  readonly log?: string[];
}

/** A running SPA server. */
export interface SpaServer {
  readonly port: number;
  /** Every request as `METHOD /path status`: never a query string. */
  readonly log: readonly string[];
  close(): Promise<void>;
}

/** The SDK's self-contained browser build (UMD, global `auth0`), as published on npm. */
export const SPA_SDK_FILE = require.resolve("@auth0/auth0-spa-js/dist/auth0-spa-js.production.js");

/** The app's routes that all serve the page: the Application Login URI, the callback and the home. */
const PAGE_ROUTES = new Set(["/", "/login", "/callback"]);

interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/**
 * The page's Content Security Policy: its own scripts only (no inline code), network access only to
 * itself and the tenant (the SDK's `/oauth/token` call), frames only from the tenant (the SDK's
 * silent authentication), and no way to frame the page.
 */
export function spaContentSecurityPolicy(tenantOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `connect-src 'self' ${tenantOrigin}`,
    `frame-src ${tenantOrigin}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Starts the SPA's server. */
export async function startSpaServer(options: SpaServerOptions): Promise<SpaServer> {
  const tenantOrigin = new URL(`https://${options.settings.domain}`).origin;
  const assets = new Map<string, Asset>([
    ["/index.html", { type: "text/html; charset=utf-8", body: readFileSync(join(__dirname, "index.html")) }],
    ["/app.js", { type: "text/javascript; charset=utf-8", body: readFileSync(join(__dirname, "app.js")) }],
    [
      "/auth0-spa-js.production.js",
      { type: "text/javascript; charset=utf-8", body: readFileSync(SPA_SDK_FILE) },
    ],
    ["/auth_config.json", { type: "application/json", body: Buffer.from(JSON.stringify(options.settings)) }],
  ]);
  const log: string[] = options.log ?? [];

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    let path: string;
    try {
      path = new URL(req.url ?? "/", "https://spa.invalid").pathname;
    } catch {
      path = "";
    }
    res.on("finish", () => log.push(`${req.method ?? "GET"} ${path} ${res.statusCode}`));
    const common = {
      "Content-Security-Policy": spaContentSecurityPolicy(tenantOrigin),
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    };
    if (req.method !== "GET" && req.method !== "HEAD") {
      res
        .writeHead(405, { ...common, Allow: "GET, HEAD", "Content-Type": "text/plain" })
        .end("Method Not Allowed");
      return;
    }
    const asset = assets.get(PAGE_ROUTES.has(path) ? "/index.html" : path);
    if (!asset) {
      res.writeHead(404, { ...common, "Content-Type": "text/plain" }).end("Not Found");
      return;
    }
    res.writeHead(200, { ...common, "Content-Type": asset.type, "Content-Length": asset.body.length });
    res.end(req.method === "HEAD" ? undefined : asset.body);
  };

  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.address, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
