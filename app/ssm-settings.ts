/**
 * The Lambda's settings from SSM, without the AWS SDK: one paginated `GetParametersByPath` (AWS JSON
 * 1.1 protocol) signed with SigV4 by aws4fetch (mhart/aws4fetch, `src/main.js`: `AwsClient` signs a
 * fetch with the credentials the Lambda runtime puts in its environment, session token included).
 */

import { AwsClient } from "aws4fetch";
import {
  LAMBDA_ENV,
  REQUIRED_LAMBDA_ENV,
  REQUIRED_SETTINGS_PARAMETERS,
  SETTINGS_PARAMETERS,
} from "./contract";
import type { LoginAppSettings } from "./settings";

/** Options of {@link loadSettingsFromSsm}. */
export interface SsmSettingsOptions {
  /** Default `process.env` (the runtime's AWS_REGION, AWS_ACCESS_KEY_ID, ... and the app's own). */
  env?: NodeJS.ProcessEnv;
  /** Timeout of each SSM request, in ms. Default 3000. */
  timeoutMs?: number;
}

interface SsmParameter {
  Name?: string;
  Value?: string;
}

interface GetParametersByPathResult {
  Parameters?: SsmParameter[];
  NextToken?: string;
}

function missingList(kind: string, names: string[]): string {
  return `Missing ${kind}${names.length > 1 ? "s" : ""}`;
}

/**
 * The SSM endpoint: `AWS_ENDPOINT_URL_SSM` or `AWS_ENDPOINT_URL` when set (the SDKs' own
 * variables), else `https://ssm.<region>.amazonaws.com` (`.amazonaws.com.cn` in China regions).
 */
export function ssmEndpoint(env: NodeJS.ProcessEnv, region: string): string {
  const configured = env.AWS_ENDPOINT_URL_SSM || env.AWS_ENDPOINT_URL;
  if (configured) return configured.replace(/\/+$/, "");
  return `https://ssm.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

/**
 * Reads ISSUER_BASE_URL, BASE_URL and SETTINGS_PATH from the environment and the SecureString
 * parameters below SETTINGS_PATH (decrypted) with one paginated `GetParametersByPath`. Throws an
 * error naming every missing environment variable or parameter, or what SSM answered.
 */
export async function loadSettingsFromSsm(options: SsmSettingsOptions = {}): Promise<LoginAppSettings> {
  const env = options.env ?? process.env;
  const missingEnv: string[] = REQUIRED_LAMBDA_ENV.filter((name) => !env[name]);
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) missingEnv.push("AWS_REGION");
  for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) if (!env[name]) missingEnv.push(name);
  if (missingEnv.length > 0) {
    throw new Error(`${missingList("environment variable", missingEnv)}: ${missingEnv.join(", ")}`);
  }
  const path = (env[LAMBDA_ENV.settingsPath] as string).replace(/\/+$/, "");
  const aws = new AwsClient({
    accessKeyId: env.AWS_ACCESS_KEY_ID as string,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY as string,
    sessionToken: env.AWS_SESSION_TOKEN || undefined,
    region: region as string,
    service: "ssm",
    retries: 2,
  });
  const endpoint = `${ssmEndpoint(env, region as string)}/`;
  const values = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const response = await aws.fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AmazonSSM.GetParametersByPath",
      },
      body: JSON.stringify({ Path: path, WithDecryption: true, Recursive: false, NextToken: nextToken }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
    });
    const text = await response.text();
    if (!response.ok) {
      let reason = text.slice(0, 200);
      try {
        const body = JSON.parse(text) as { __type?: string; message?: string; Message?: string };
        reason = `${body.__type ?? "error"}: ${body.message ?? body.Message ?? ""}`;
      } catch {
        // Not JSON: keep the start of the text.
      }
      throw new Error(`SSM GetParametersByPath ${path} answered ${response.status} ${reason}`);
    }
    const page = JSON.parse(text) as GetParametersByPathResult;
    for (const parameter of page.Parameters ?? []) {
      if (parameter.Name?.startsWith(`${path}/`) && typeof parameter.Value === "string") {
        values.set(parameter.Name.slice(path.length + 1), parameter.Value);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);

  const missing: string[] = REQUIRED_SETTINGS_PARAMETERS.filter((name) => !values.get(name));
  if (missing.length > 0) {
    throw new Error(
      `${missingList("SSM parameter", missing)} below ${path}: ${missing.map((n) => `${path}/${n}`).join(", ")}`,
    );
  }
  const previousSecret = values.get(SETTINGS_PARAMETERS.previousCookieSecret);
  return {
    issuerBaseURL: env[LAMBDA_ENV.issuerBaseUrl] as string,
    baseURL: env[LAMBDA_ENV.baseUrl] as string,
    clientID: values.get(SETTINGS_PARAMETERS.clientId) as string,
    clientSecret: values.get(SETTINGS_PARAMETERS.clientSecret) as string,
    secret: values.get(SETTINGS_PARAMETERS.cookieSecret) as string,
    ...(previousSecret ? { previousSecret } : {}),
  };
}
