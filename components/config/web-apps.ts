/**
 * Section: the web apps of the stack. The one it hosts on AWS (`hostedWebApp`) and the ones that
 * already run elsewhere (`externalWebApps`), each with its own Auth0 client. At least one remains.
 */
import {
  checkSessionTransferMethods,
  quoted,
  SESSION_TRANSFER_METHODS,
  type SessionTransferMethod,
} from "../../model/session-transfer";
import { configKey, DEFAULTS, setCommand } from "./keys";
import { show } from "./problems";
import type { ConfigReader } from "./reader";
import { loginUriProblem, webOriginProblem, webUrlProblem } from "./urls";

/** Kinds of web apps that run elsewhere (Auth0 `app_type`). */
export const EXTERNAL_WEB_APP_TYPES = ["regular_web", "spa"] as const;
/** A server-side web app (`regular_web`, a confidential client) or a single-page app (`spa`, a public one). */
export type ExternalWebAppType = (typeof EXTERNAL_WEB_APP_TYPES)[number];

/** A web app that runs elsewhere and redeems session transfer tokens through its own Auth0 client. */
export interface ExternalWebApp {
  /** Names its component, its children (`<name>-client`, ...) and its entry in the outputs. */
  readonly name: string;
  readonly type: ExternalWebAppType;
  /** Its Application Login URI (`initiate_login_uri`), which the native app opens. */
  readonly loginUri: string;
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /** The origins the Auth0 SPA SDK runs on (`spa` only; empty for `regular_web`). */
  readonly webOrigins: readonly string[];
  /** How the native app may hand it a token; the stack's `allowedAuthenticationMethods` unless set. */
  readonly allowedAuthenticationMethods: readonly SessionTransferMethod[];
}

/** The stack's web apps. */
export interface WebAppsSettings {
  /** Declare the web app on AWS (`web` + `endpoint`), as a stack always did. */
  readonly hostedWebApp: boolean;
  readonly externalWebApps: readonly ExternalWebApp[];
}

/** Names of the stack's own components: an external app may not take them. */
export const RESERVED_APP_NAMES: readonly string[] = [
  "web",
  "endpoint",
  "native",
  "native-ios",
  "native-android",
];
const APP_NAME = /^[a-z][a-z0-9-]*$/;
const MAX_APP_NAME = 40;
const APP_FIELDS: readonly string[] = [
  "name",
  "type",
  "loginUri",
  "callbackUrls",
  "logoutUrls",
  "webOrigins",
  "allowedAuthenticationMethods",
];
/** Keys only the hosted web app uses: set while it is off, they would be silently ignored. */
const HOSTED_ONLY_KEYS = [
  "webDomainName",
  "webHostedZoneId",
  "lambdaMemoryMb",
  "apiThrottleBurstLimit",
  "apiThrottleRateLimit",
  "provisionedConcurrency",
] as const;

/** Reads `hostedWebApp` and `externalWebApps`, and requires at least one web app. */
export function readWebApps(
  r: ConfigReader,
  production: boolean,
  defaultMethods: readonly SessionTransferMethod[],
): WebAppsSettings {
  const hostedWebApp = r.boolean("hostedWebApp");
  const { apps: externalWebApps, declared } = readExternalWebApps(r, production, defaultMethods);
  const appsKey = configKey("externalWebApps");
  if (!hostedWebApp && declared === 0) {
    r.problem(
      "hostedWebApp",
      false,
      "expected at least one web app: with the hosted one off, declare one that runs elsewhere",
      `${setCommand("hostedWebApp", true)}, or pulumi config set --path '${appsKey}[0].name' shop (with its type, loginUri and callbackUrls)`,
    );
  }
  if (!hostedWebApp) {
    for (const key of HOSTED_ONLY_KEYS) {
      const value = r.own(key);
      if (value !== undefined && value.trim() !== String(DEFAULTS[key])) {
        r.problem(
          key,
          value,
          `only the hosted web app uses it, and ${configKey("hostedWebApp")} is false`,
          `pulumi config rm ${configKey(key)}`,
        );
      }
    }
  }
  return { hostedWebApp, externalWebApps };
}

function readExternalWebApps(
  r: ConfigReader,
  production: boolean,
  defaultMethods: readonly SessionTransferMethod[],
): { apps: ExternalWebApp[]; declared: number } {
  const key = configKey("externalWebApps");
  const raw = r.own("externalWebApps");
  if (raw === undefined) return { apps: [], declared: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed)) {
    r.problem(
      "externalWebApps",
      raw,
      "expected a list of web apps, each with name, type, loginUri, callbackUrls and logoutUrls",
      `pulumi config set --path '${key}[0].name' shop, then its other fields the same way`,
    );
    return { apps: [], declared: -1 };
  }
  const apps: ExternalWebApp[] = [];
  const seen = new Set<string>();
  parsed.forEach((entry: unknown, i) => {
    const app = readExternalWebApp(r, `${key}[${i}]`, entry, production, defaultMethods, seen);
    if (app) apps.push(app);
  });
  return { apps, declared: parsed.length };
}

function readExternalWebApp(
  r: ConfigReader,
  at: string,
  entry: unknown,
  production: boolean,
  defaultMethods: readonly SessionTransferMethod[],
  seen: Set<string>,
): ExternalWebApp | undefined {
  const set = (path: string, example: string): string =>
    `pulumi config set --path '${at}.${path}' ${example}`;
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    r.add(
      at,
      entry,
      "expected an object with name, type, loginUri, callbackUrls and logoutUrls",
      set("name", "shop"),
    );
    return undefined;
  }
  const app = entry as Record<string, unknown>;
  let ok = true;
  const bad = (path: string, found: unknown, expected: string, fix: string): void => {
    ok = false;
    r.add(`${at}.${path}`, found, expected, fix);
  };

  for (const field of Object.keys(app)) {
    if (!APP_FIELDS.includes(field)) {
      bad(
        field,
        app[field],
        `unknown field; expected only ${APP_FIELDS.join(", ")} (a typo here would be silently ignored)`,
        `pulumi config rm --path '${at}.${field}'`,
      );
    }
  }

  const name = app.name;
  if (typeof name !== "string" || !APP_NAME.test(name) || name.length > MAX_APP_NAME) {
    bad(
      "name",
      name,
      `expected lower-case letters, digits and hyphens, starting with a letter, at most ${MAX_APP_NAME} characters`,
      set("name", "shop"),
    );
  } else if (RESERVED_APP_NAMES.includes(name)) {
    bad(
      "name",
      name,
      `expected a name the stack's own components do not use (${RESERVED_APP_NAMES.join(", ")})`,
      set("name", `${name}-app`),
    );
  } else if (seen.has(name)) {
    bad(
      "name",
      name,
      "expected a unique name: another external web app has it (it names the app's Auth0 client)",
      set("name", `${name}-2`),
    );
  } else {
    seen.add(name);
  }

  const type = app.type;
  const isType = (EXTERNAL_WEB_APP_TYPES as readonly unknown[]).includes(type);
  if (!isType) {
    bad(
      "type",
      type,
      `expected ${quoted(EXTERNAL_WEB_APP_TYPES)} (a server-side app, or a single-page app using the Auth0 SPA SDK)`,
      set("type", "regular_web"),
    );
  }

  const loginProblem = loginUriProblem(app.loginUri);
  if (loginProblem) {
    bad(
      "loginUri",
      app.loginUri,
      `${loginProblem}: the Application Login URI the native app opens`,
      set("loginUri", "https://shop.example.com/login"),
    );
  }

  const urls = (
    field: "callbackUrls" | "logoutUrls" | "webOrigins",
    required: boolean,
    example: string,
  ): string[] => {
    const check = field === "webOrigins" ? webOriginProblem : webUrlProblem;
    const value = app[field];
    if (value === undefined && !required) return [];
    if (!Array.isArray(value) || (required && value.length === 0)) {
      bad(
        field,
        value,
        `expected a list of ${required ? "at least one " : ""}https ${field === "webOrigins" ? "origin" : "URL"}`,
        set(`${field}[0]`, example),
      );
      return [];
    }
    value.forEach((u: unknown, j) => {
      const p = check(u, production);
      if (p) bad(`${field}[${j}]`, u, p, set(`${field}[${j}]`, example));
    });
    const repeated = value.findIndex((u: unknown, j) => value.indexOf(u) !== j);
    if (repeated !== -1) {
      bad(field, value, "expected each entry once", `pulumi config rm --path '${at}.${field}[${repeated}]'`);
    }
    return value.filter((u): u is string => typeof u === "string");
  };
  const callbackUrls = urls("callbackUrls", true, "https://shop.example.com/callback");
  const logoutUrls = urls("logoutUrls", false, "https://shop.example.com/");
  let webOrigins: string[] = [];
  if (type === "spa") {
    webOrigins = urls("webOrigins", true, "https://shop.example.com");
  } else if (
    isType &&
    app.webOrigins !== undefined &&
    !(Array.isArray(app.webOrigins) && app.webOrigins.length === 0)
  ) {
    bad(
      "webOrigins",
      app.webOrigins,
      'expected none: only a "spa" app has web origins (the origins its SDK runs on)',
      `pulumi config rm --path '${at}.webOrigins'`,
    );
  }

  let methods = defaultMethods;
  if (app.allowedAuthenticationMethods !== undefined) {
    const given = app.allowedAuthenticationMethods;
    const fix = `list only ${quoted(SESSION_TRANSFER_METHODS)}, or pulumi config rm --path '${at}.allowedAuthenticationMethods' for the stack's ${configKey("allowedAuthenticationMethods")}`;
    if (!Array.isArray(given)) {
      bad(
        "allowedAuthenticationMethods",
        given,
        `expected a list of ${quoted(SESSION_TRANSFER_METHODS)}`,
        fix,
      );
    } else {
      const check = checkSessionTransferMethods(given);
      if (check.ok) methods = check.methods;
      else {
        const expected =
          check.kind === "empty"
            ? `expected at least one of ${quoted(SESSION_TRANSFER_METHODS)} (an empty list turns Native to Web SSO off for this app)`
            : check.kind === "unknown"
              ? `unknown method ${check.unknown.map(show).join(", ")}; expected only "cookie" and/or "query"`
              : "expected each method once";
        bad("allowedAuthenticationMethods", given, expected, fix);
      }
    }
  }

  if (!ok) return undefined;
  return {
    name: String(name),
    type: type as ExternalWebAppType,
    loginUri: String(app.loginUri),
    callbackUrls,
    logoutUrls,
    webOrigins,
    allowedAuthenticationMethods: [...methods],
  };
}
