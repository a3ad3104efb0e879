/**
 * Child process: one subject of the login-redirect benchmark over plain HTTP on loopback.
 *   app   the product's app (`createApp` behind `startServer`), exactly as shipped
 *   app-plain-redirect  the same app with its sign-in redirect's headers added by the middleware
 *         (`prebuiltRedirect: false`): what building the redirect in one piece buys
 *   seed  the seed sample's pattern (bench/fixtures/seed-pattern.ts)
 *   bare  a bare `node:http` server answering a fixed 302: the machine's limit
 * Answers `mem` (RSS and heap after a forced GC) and `cpu` (process CPU time) for the parent.
 */

import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../../app/app";
import { requestListener } from "../../app/server";
import { createSeedPatternApp } from "../fixtures/seed-pattern";
import { failStartup, memoryAfterGc, serveParent } from "../lib/child";
import { APP_BASE_URL, benchWebSettings, WEB_CLIENT } from "../lib/env";

/** The subjects this child can serve. */
export type LoginSubject = "app" | "app-plain-redirect" | "seed" | "bare";

/** What the parent receives once the subject listens. */
export interface LoginServerReady {
  port: number;
}

function listener(subject: LoginSubject, issuerBaseURL: string): RequestListener {
  const settings = benchWebSettings(issuerBaseURL);
  switch (subject) {
    case "app":
      return requestListener(createApp(settings), settings);
    case "app-plain-redirect":
      return requestListener(createApp(settings, { prebuiltRedirect: false }), settings);
    case "seed":
      return createSeedPatternApp(settings);
    case "bare": {
      // About the size of a real /authorize redirect, so the bytes on the wire are comparable.
      const location =
        `${issuerBaseURL}/authorize?client_id=${WEB_CLIENT.clientId}&scope=openid%20profile%20email` +
        `&response_type=code&redirect_uri=${encodeURIComponent(`${APP_BASE_URL}/callback`)}` +
        `&nonce=${"n".repeat(43)}&state=${"s".repeat(120)}&session_transfer_token=${"t".repeat(44)}`;
      return (_req, res) => {
        res.writeHead(302, { Location: location, "Content-Length": "0" }).end();
      };
    }
  }
}

async function main(): Promise<void> {
  const subject = process.argv[2] as LoginSubject;
  const issuerBaseURL = process.env.ISSUER_BASE_URL;
  if (!["app", "app-plain-redirect", "seed", "bare"].includes(subject))
    throw new Error(`unknown subject ${subject}`);
  if (!issuerBaseURL) throw new Error("ISSUER_BASE_URL is not set");
  const server = createServer(listener(subject, issuerBaseURL));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  serveParent(
    { port: (server.address() as AddressInfo).port } satisfies LoginServerReady,
    {
      mem: () => memoryAfterGc(),
      cpu: () => process.cpuUsage(),
    },
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
}

main().catch(failStartup);
