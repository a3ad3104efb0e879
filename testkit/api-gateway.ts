/**
 * Real-shaped API Gateway HTTP API (payload format 2.0) events and helpers to read the handler's
 * answers, for driving the Lambda handler without AWS.
 */

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";

/** Options of {@link httpApiEvent}. */
export interface HttpApiEventOptions {
  method?: string;
  /** `https://host/path?query`: the URL as the browser requested it. */
  url: string;
  /** Cookies as `name=value` strings (API Gateway puts them in `cookies`, not in a header). */
  cookies?: string[];
  headers?: Record<string, string>;
  sourceIp?: string;
}

/**
 * Builds an event as API Gateway's `$default` stage sends it: `rawQueryString` exactly as received,
 * `queryStringParameters` with repeated values joined by commas, lower-case headers, `cookies` array.
 */
export function httpApiEvent(options: HttpApiEventOptions): APIGatewayProxyEventV2 {
  const url = new URL(options.url);
  const method = options.method ?? "GET";
  const rawQueryString = url.search.startsWith("?") ? url.search.slice(1) : "";
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const headers: Record<string, string> = {
    accept: "text/html,application/xhtml+xml",
    host: url.host,
    "user-agent": "Mozilla/5.0 (test)",
    "x-forwarded-for": options.sourceIp ?? "198.51.100.7",
    "x-forwarded-port": url.port || "443",
    "x-forwarded-proto": url.protocol.replace(":", ""),
    ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const now = Date.now();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString,
    ...(options.cookies && options.cookies.length > 0 ? { cookies: options.cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "123456789012",
      apiId: "abcdef1234",
      domainName: url.hostname,
      domainPrefix: url.hostname.split(".")[0] ?? url.hostname,
      http: {
        method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: options.sourceIp ?? "198.51.100.7",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: `req-${now}-${Math.random().toString(36).slice(2)}`,
      routeKey: "$default",
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    isBase64Encoded: false,
  };
}

/** A Lambda context good enough for handlers that do not inspect it. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "web",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:web",
    memoryLimitInMB: "256",
    awsRequestId: "00000000-0000-0000-0000-000000000000",
    logGroupName: "/aws/lambda/web",
    logStreamName: "test",
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A case-insensitive header of a result. */
export function resultHeader(result: APIGatewayProxyStructuredResultV2, name: string): string | undefined {
  const entry = Object.entries(result.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return entry === undefined ? undefined : String(entry[1]);
}

/** Keeps the cookies a sequence of results set, as a browser would for one host. */
export class ResultCookieJar {
  private readonly cookies = new Map<string, string>();

  /** Applies a result's `cookies` (Set-Cookie values). */
  apply(result: APIGatewayProxyStructuredResultV2): void {
    for (const setCookie of result.cookies ?? []) {
      const [pair = ""] = setCookie.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(setCookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The cookies for the next event. */
  list(): string[] {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`);
  }
}
