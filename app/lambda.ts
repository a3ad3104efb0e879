/**
 * The AWS Lambda entry: the very same Express app behind @codegenie/serverless-express, with its
 * settings read from SSM SecureString parameters once per cold start.
 */

import serverlessExpress from "@codegenie/serverless-express";
import { GetParametersByPathCommand, SSMClient, type Parameter } from "@aws-sdk/client-ssm";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { createApp, type WebAppSettings } from "./app";
import { LAMBDA_ENV, LOG_MESSAGES, SETTINGS_PARAMETERS } from "./contract";
import { consoleSink, redact, redactingSink, type LogSink } from "./log";

/** Loads the app's settings. Called at most once per cold start, again only after a failure. */
export type SettingsLoader = () => Promise<WebAppSettings>;

/** The Lambda handler for API Gateway HTTP API (payload format 2.0) events. */
export type WebHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Options of {@link createHandler}. */
export interface HandlerOptions {
  loadSettings: SettingsLoader;
  /** Where log records go (handler and app). Default: JSON lines on stdout/stderr. */
  log?: LogSink;
}

/** Options of {@link loadSettingsFromSsm}. */
export interface SsmSettingsOptions {
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default: a client for the function's region (and `AWS_ENDPOINT_URL_SSM`, if set). */
  ssm?: SSMClient;
}

/**
 * Reads ISSUER_BASE_URL, BASE_URL and SETTINGS_PATH from the environment and the three SecureString
 * parameters below SETTINGS_PATH with one (paginated) `GetParametersByPath`. Throws an error naming
 * every missing environment variable or parameter.
 */
export async function loadSettingsFromSsm(options: SsmSettingsOptions = {}): Promise<WebAppSettings> {
  const env = options.env ?? process.env;
  const names = Object.values(LAMBDA_ENV);
  const missingEnv = names.filter((name) => !env[name]);
  if (missingEnv.length > 0) {
    throw new Error(
      `Missing environment variable${missingEnv.length > 1 ? "s" : ""}: ${missingEnv.join(", ")}`,
    );
  }
  const path = (env[LAMBDA_ENV.settingsPath] as string).replace(/\/+$/, "");
  const ssm = options.ssm ?? new SSMClient({});
  const values = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(
      new GetParametersByPathCommand({
        Path: path,
        WithDecryption: true,
        Recursive: false,
        NextToken: nextToken,
      }),
    );
    for (const parameter of page.Parameters ?? []) collect(parameter, path, values);
    nextToken = page.NextToken;
  } while (nextToken);

  const missing = Object.values(SETTINGS_PARAMETERS).filter((name) => !values.get(name));
  if (missing.length > 0) {
    throw new Error(
      `Missing SSM parameter${missing.length > 1 ? "s" : ""} below ${path}: ${missing.map((n) => `${path}/${n}`).join(", ")}`,
    );
  }
  return {
    issuerBaseURL: env[LAMBDA_ENV.issuerBaseUrl] as string,
    baseURL: env[LAMBDA_ENV.baseUrl] as string,
    clientID: values.get(SETTINGS_PARAMETERS.clientId) as string,
    clientSecret: values.get(SETTINGS_PARAMETERS.clientSecret) as string,
    secret: values.get(SETTINGS_PARAMETERS.cookieSecret) as string,
  };
}

function collect(parameter: Parameter, path: string, into: Map<string, string>): void {
  if (!parameter.Name || parameter.Value === undefined) return;
  const prefix = `${path}/`;
  if (parameter.Name.startsWith(prefix)) into.set(parameter.Name.slice(prefix.length), parameter.Value);
}

/**
 * Makes a Lambda handler around {@link createApp}. Settings are loaded on the first invocation and
 * the app (one OIDC client) is reused by every later one; a failed load is not kept, so the next
 * invocation tries again, and meanwhile the caller gets a 503.
 */
export function createHandler(options: HandlerOptions): WebHandler {
  const log = redactingSink(options.log ?? consoleSink);
  let ready: Promise<WebHandler> | undefined;

  const start = async (): Promise<WebHandler> => {
    const settings = await options.loadSettings();
    const app = createApp({
      ...settings,
      log: settings.log ?? log,
      // Warm containers would otherwise keep a rotated-away secret until they are recycled.
      onClientRejected: () => {
        log({ level: "warn", msg: LOG_MESSAGES.clientRejectedReloadingSettings });
        ready = undefined;
      },
    });
    const proxy = serverlessExpress<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({
      app,
      // Errors only, never events (their query strings may carry tokens), always redacted.
      log: {
        debug: () => undefined,
        info: () => undefined,
        verbose: () => undefined,
        warn: (message) => log({ level: "warn", msg: redact(String(message)) }),
        error: (message, ...details) =>
          log({
            level: "error",
            msg: redact(String(message)),
            error: details[0] instanceof Error ? redact(details[0].message) : undefined,
          }),
      },
    });
    return async (event, context) => {
      const result: unknown = await proxy(event, context, () => undefined);
      return result as APIGatewayProxyStructuredResultV2;
    };
  };

  return async (event, context) => {
    ready ??= start();
    let proxy: WebHandler;
    try {
      proxy = await ready;
    } catch (error) {
      ready = undefined;
      log({
        level: "error",
        msg: LOG_MESSAGES.settingsLoadFailed,
        error: error instanceof Error ? error.message : String(error),
      });
      return {
        statusCode: 503,
        headers: {
          "content-type": "text/plain; charset=utf-8",
          "cache-control": "no-store",
          "retry-after": "5",
        },
        body: "The sign-in service is starting up or misconfigured. Please try again in a moment.",
      };
    }
    return proxy(event, context);
  };
}

/** The Lambda entry (`index.handler`): settings from SSM below SETTINGS_PATH. */
export const handler: WebHandler = createHandler({ loadSettings: () => loadSettingsFromSsm() });
