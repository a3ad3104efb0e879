/**
 * The web application wired to a {@link startLocalIssuer local issuer}, both over HTTPS on
 * loopback, for tests, benchmarks and browser end-to-end runs.
 */

import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { RequestListener } from "node:http";
import { createApp, type LoginAppSettings } from "../app/app";
import { ROUTES } from "../app/contract";
import { requestListener } from "../app/server";
import { startLocalIssuer, type LocalAccount, type LocalIssuer } from "./local-issuer";
import { ensureTestCertificates } from "./tls";

/** Options of {@link startWebFixture}. */
export interface WebFixtureOptions {
  accounts?: Record<string, LocalAccount>;
  /** See {@link LocalIssuerOptions.defaultAccountId}. */
  defaultAccountId?: string | null;
  /** Host name of the app's BASE_URL (covered by the test certificate). Default `localhost`. */
  appHost?: string;
  /** Host name of the issuer. Default `localhost`. */
  issuerHost?: string;
  /** Extra settings for the app (e.g. a log sink). */
  app?: Partial<LoginAppSettings>;
}

/** A running app + issuer pair. */
export interface WebFixture {
  issuer: LocalIssuer;
  /** The app's BASE_URL, `https://<appHost>:<port>` (no trailing slash). */
  baseURL: string;
  /** The settings the app runs with. */
  settings: LoginAppSettings;
  close(): Promise<void>;
}

/** Client ID and secret of the web client the fixture registers. */
export const FIXTURE_CLIENT = { clientId: "web-app", clientSecret: "web-app-secret-for-tests" } as const;

/**
 * Starts the issuer and the app. The app's port is reserved first (its server listens before the
 * app exists), because the issuer must know the callback URL and the app must know the issuer.
 */
export async function startWebFixture(options: WebFixtureOptions = {}): Promise<WebFixture> {
  const tls = ensureTestCertificates();
  let listener: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => listener(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseURL = `https://${options.appHost ?? "localhost"}:${port}`;
  const issuer = await startLocalIssuer({
    tls,
    host: options.issuerHost,
    accounts: options.accounts,
    defaultAccountId: options.defaultAccountId,
    clients: [
      {
        ...FIXTURE_CLIENT,
        redirectUris: [`${baseURL}${ROUTES.callback}`],
        allowedLogoutUrls: [baseURL],
      },
    ],
  });
  const settings: LoginAppSettings = {
    issuerBaseURL: issuer.issuerBaseURL,
    baseURL,
    clientID: FIXTURE_CLIENT.clientId,
    clientSecret: FIXTURE_CLIENT.clientSecret,
    secret: randomBytes(32).toString("base64url"),
    ...options.app,
  };
  listener = requestListener(createApp(settings), settings);
  return {
    issuer,
    baseURL,
    settings,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await issuer.close();
    },
  };
}
