/**
 * `npm run web`: the web application on a local port (through @hono/node-server), configured by the
 * environment variables ISSUER_BASE_URL, BASE_URL, CLIENT_ID, CLIENT_SECRET, SECRET and PORT.
 * Serves HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set (cookies are `Secure` whenever BASE_URL
 * is https, and browsers only send them back over https).
 */

import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createApp, type LoginApp, type LoginAppSettings } from "./app";

/** Options of {@link startServer}. */
export interface StartServerOptions {
  settings: LoginAppSettings;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** A running server. */
export interface StartedServer {
  server: HttpServer | HttpsServer;
  /** The port it listens on. */
  port: number;
  /** `http(s)://<host>:<port>` as listened on (not BASE_URL, which may name another host). */
  url: string;
  close(): Promise<void>;
}

/** What the environment configures: the app settings, the port and the optional TLS files. */
export interface ServerEnvironment {
  settings: LoginAppSettings;
  port: number;
  host: string;
  tlsFiles?: { certFile: string; keyFile: string };
}

/** The environment variables `npm run web` requires (the names express-openid-connect reads, kept). */
export const REQUIRED_ENV = ["ISSUER_BASE_URL", "BASE_URL", "CLIENT_ID", "CLIENT_SECRET", "SECRET"] as const;

/**
 * Reads the server's configuration from the environment. Throws one error naming every missing
 * variable, so a misconfigured start fails with all the facts at once.
 */
export function readServerEnvironment(env: NodeJS.ProcessEnv = process.env): ServerEnvironment {
  const missing = REQUIRED_ENV.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`Missing environment variable${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`);
  }
  const port = env.PORT === undefined || env.PORT === "" ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer between 0 and 65535`);
  }
  const certFile = env.TLS_CERT_FILE;
  const keyFile = env.TLS_KEY_FILE;
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new Error("Set both TLS_CERT_FILE and TLS_KEY_FILE, or neither");
  }
  return {
    settings: {
      issuerBaseURL: env.ISSUER_BASE_URL as string,
      baseURL: env.BASE_URL as string,
      clientID: env.CLIENT_ID as string,
      clientSecret: env.CLIENT_SECRET as string,
      secret: env.SECRET as string,
    },
    port,
    host: env.HOST || "127.0.0.1",
    tlsFiles: certFile && keyFile ? { certFile, keyFile } : undefined,
  };
}

/**
 * The app as a `node:http` request listener (@hono/node-server's adapter). The adapter installs
 * its lightweight Request and Response as the globals (its default), so a response the app builds
 * is written out directly instead of through a web stream (honojs/node-server `src/listener.ts`).
 */
export function requestListener(app: LoginApp): RequestListener {
  const listener = getRequestListener(app.fetch);
  return (req, res) => void listener(req, res);
}

/** Starts the app on a port (in-process; used by `npm run web`, tests and benchmarks). */
export async function startServer(options: StartServerOptions): Promise<StartedServer> {
  const listener = requestListener(createApp(options.settings));
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createHttpServer(listener);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    server,
    port,
    url: `${options.tls ? "https" : "http"}://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Entry point of `npm run web`. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<StartedServer> {
  const config = readServerEnvironment(env);
  const started = await startServer({
    settings: config.settings,
    port: config.port,
    host: config.host,
    tls: config.tlsFiles && {
      cert: readFileSync(config.tlsFiles.certFile),
      key: readFileSync(config.tlsFiles.keyFile),
    },
  });
  process.stdout.write(
    JSON.stringify({ level: "info", msg: "listening", url: started.url, baseURL: config.settings.baseURL }) +
      "\n",
  );
  const stop = (): void => {
    started.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return started;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
