/**
 * `npm run web`: the web application on a local port (through @hono/node-server), configured by the
 * environment variables ISSUER_BASE_URL, BASE_URL, CLIENT_ID, CLIENT_SECRET, SECRET and PORT.
 * Serves HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set (cookies are `Secure` whenever BASE_URL
 * is https, and browsers only send them back over https).
 */

import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { appSecurityHeaders, createApp, type LoginApp, type LoginAppSettings } from "./app";
import { consoleSink, redactingSink, type LogSink } from "./log";
import { PROBLEMS, problemAnswer, unavailable } from "./problems";

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
 * What the adapter cannot hand to the app (a method no web Request may have, such as TRACE) gets
 * the app's own refusal, headers included, instead of the adapter's bare 400, and the log names
 * the error, never the refused value.
 */
export function requestListener(
  app: LoginApp,
  settings: Pick<LoginAppSettings, "baseURL" | "issuerBaseURL">,
  log: LogSink = redactingSink(consoleSink),
): RequestListener {
  const securityHeaders = appSecurityHeaders(settings);
  const listener = getRequestListener(app.fetch, {
    errorHandler: (error) => {
      // The adapter passes a RequestError when it could not build the Request, anything else when
      // the app itself failed (which its own onError normally answers).
      const malformed = error instanceof Error && error.name === "RequestError";
      log({
        level: "warn",
        msg: malformed ? "malformed_request" : "request_failed",
        error: errorName(error),
      });
      const a = problemAnswer(malformed ? PROBLEMS.malformed : unavailable(), {
        securityHeaders,
        json: false,
        cleanAddress: true,
      });
      return new Response(a.body, { status: a.status, headers: a.headers });
    },
  });
  return (req, res) => void listener(req, res);
}

/** An error's name (and its cause's), never its message, which may quote the refused value. */
function errorName(error: unknown): string {
  if (!(error instanceof Error)) return "non-error thrown";
  return error.cause instanceof Error ? `${error.name} (${error.cause.name})` : error.name;
}

/**
 * What a request Node's HTTP parser refuses (a NUL in a header value, a space in a header name, a
 * malformed request line) gets: the app's 400 with its headers, where Node would write a bare one.
 */
export function clientErrorAnswer(settings: Pick<LoginAppSettings, "baseURL" | "issuerBaseURL">) {
  const a = problemAnswer(PROBLEMS.malformed, {
    securityHeaders: appSecurityHeaders(settings),
    json: false,
    cleanAddress: false,
  });
  const headers = { ...a.headers, "content-length": String(Buffer.byteLength(a.body)), connection: "close" };
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return (error: Error & { code?: string }, socket: Socket): void => {
    // A connection reset or already answered needs no answer (Node's own rule, `http` docs, "Event: 'clientError'").
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(`HTTP/1.1 400 Bad Request\r\n${head}\r\n${a.body}`);
  };
}

/** Starts the app on a port (in-process; used by `npm run web`, tests and benchmarks). */
export async function startServer(options: StartServerOptions): Promise<StartedServer> {
  const listener = requestListener(createApp(options.settings), options.settings);
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createHttpServer(listener);
  server.on("clientError", clientErrorAnswer(options.settings));
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
