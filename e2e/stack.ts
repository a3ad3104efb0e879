/**
 * What the local tenant, the web app and the mobile app simulator take from a rendered stack.
 *
 * Nothing here is typed in by hand: every client setting, URL and secret is read from the
 * resources and outputs the real program (`index.ts`) declares, as {@link renderStack} records
 * them with `preview: false`. Change the stack's configuration and all three change with it.
 */

import { LAMBDA_ENV, SETTINGS_PARAMETERS } from "../app/contract";
import type { LoginAppSettings } from "../app/app";
import { resourcesOf, reveal, type ModelResource, type ModelValue, type StackModel } from "../model/rendered";
import { isDeviceBinding, isSessionTransferMethod } from "../model/session-transfer";
import { renderStack } from "../offline/render";
import type { DeclaredClient } from "../testkit/tenant/clients";
import type { SpaSettings } from "./spa/server";

export type { DeclaredClient, SessionTransferSettings } from "../testkit/tenant/clients";

/** What the native app ships with: one entry of the stack's `mobileKit` output. */
export interface MobileAppSettings {
  /** The domain the SDKs talk to (`mobileKit.<client>.domain`). */
  readonly domain: string;
  readonly clientId: string;
  readonly redirectUrls: readonly string[];
  /** What the native login requests (`offline_access` included). */
  readonly scopes: readonly string[];
  /** The query parameter of the query method (`session_transfer_token`). */
  readonly loginQueryParameter: string;
  /** `urn:<domain>:session_transfer`. */
  readonly sessionTransferAudience: string;
  readonly sessionTransferCookie: { readonly name: string; readonly domain: string };
  /** The web app's Application Login URI, which the native app opens. */
  readonly webLoginUri: string;
}

/** A single-page app the stack declares, and what its page is configured with. */
export interface SpaUnderTest {
  /** The app's name in `externalWebApps` (its component's name). */
  readonly name: string;
  readonly client: DeclaredClient;
  /** The host name its pages are served on (from its Application Login URI). */
  readonly host: string;
  /** Its Application Login URI, which the native app opens. */
  readonly loginUri: string;
  /** `createAuth0Client` options: the stack's domain, the client ID, the first callback URL. */
  readonly settings: SpaSettings;
}

/** Everything the end-to-end run needs from one rendered stack. */
export interface StackUnderTest {
  readonly model: StackModel;
  /** The tenant's host name: where `/authorize` runs (custom domain if the stack has one). */
  readonly tenantHost: string;
  /** The web app's host name (from its public base URL). */
  readonly webHost: string;
  /** The shared native client (`native-client`). */
  readonly native: DeclaredClient;
  /** The hosted web app's client (`web-client`). */
  readonly web: DeclaredClient;
  /** Every Auth0 client the stack declares: `native-client`, `web-client`, then the others by name. */
  readonly clients: readonly DeclaredClient[];
  /** What the app shipped with the shared client ID is configured with. */
  readonly mobileApp: MobileAppSettings;
  /** The same per native client of the `nativeClients` output: `shared`, and `ios`/`android` per platform. */
  readonly mobileApps: Readonly<Record<string, MobileAppSettings>>;
  readonly spas: readonly SpaUnderTest[];
  /** The settings the Lambda function builds at cold start: its environment plus its SSM parameters. */
  readonly webAppSettings: LoginAppSettings;
}

type Plain = { [key: string]: ModelValue };

function plain(v: ModelValue | undefined, what: string): Plain {
  const r = v === undefined ? null : reveal(v);
  if (r === null || typeof r !== "object" || Array.isArray(r)) throw new Error(`${what}: expected an object`);
  return r as Plain;
}

function text(v: ModelValue | undefined, what: string): string {
  const r = v === undefined ? null : reveal(v);
  if (typeof r !== "string") throw new Error(`${what}: expected a known string, got ${JSON.stringify(r)}`);
  return r;
}

function texts(v: ModelValue | undefined, what: string): string[] {
  const r = v === undefined || v === null ? [] : reveal(v);
  if (!Array.isArray(r)) throw new Error(`${what}: expected a list of strings`);
  return r.map((x) => {
    if (typeof x !== "string") throw new Error(`${what}: expected a list of strings`);
    return x;
  });
}

function only(found: ModelResource[], what: string): ModelResource {
  if (found.length !== 1) throw new Error(`expected exactly one ${what}, found ${found.length}`);
  return found[0];
}

const APP_TYPES = ["native", "regular_web", "spa"] as const;

function declaredClient(model: StackModel, client: ModelResource): DeclaredClient {
  const inputs = client.inputs;
  const appType = APP_TYPES.find((t) => t === inputs.appType);
  if (appType === undefined)
    throw new Error(`${client.name}: app type ${String(inputs.appType)} is not served`);
  const clientId = text(clientIdOf(model, client), `${client.name} client ID`);
  const credentials = only(
    resourcesOf(model, "auth0:index/clientCredentials:ClientCredentials").filter(
      (r) => r.parent === client.parent,
    ),
    `ClientCredentials next to ${client.name}`,
  );
  const method = text(credentials.inputs.authenticationMethod, `${credentials.name}.authenticationMethod`);
  if (method !== "none" && method !== "client_secret_basic" && method !== "client_secret_post") {
    throw new Error(`${credentials.name}: authentication method ${method} is not served by the local tenant`);
  }
  const st = plain(inputs.sessionTransfer, `${client.name}.sessionTransfer`);
  const binding = st.enforceDeviceBinding ?? "ip"; // the API's default
  if (!isDeviceBinding(binding)) {
    throw new Error(`${client.name}: unknown device binding ${JSON.stringify(binding)}`);
  }
  const methods = texts(st.allowedAuthenticationMethods, `${client.name}.allowedAuthenticationMethods`);
  if (!methods.every(isSessionTransferMethod)) {
    throw new Error(`${client.name}: unknown session transfer method in ${methods.join(",")}`);
  }
  const refreshToken = plain(inputs.refreshToken, `${client.name}.refreshToken`);
  return {
    resourceName: client.name,
    clientId,
    clientSecret: method === "none" ? undefined : secretOf(model, client, credentials),
    appType,
    tokenEndpointAuthMethod: method,
    grantTypes: texts(inputs.grantTypes, `${client.name}.grantTypes`),
    callbacks: texts(inputs.callbacks, `${client.name}.callbacks`),
    allowedLogoutUrls: texts(inputs.allowedLogoutUrls, `${client.name}.allowedLogoutUrls`),
    initiateLoginUri:
      inputs.initiateLoginUri == null ? undefined : text(inputs.initiateLoginUri, "initiateLoginUri"),
    allowedOrigins: texts(inputs.allowedOrigins, `${client.name}.allowedOrigins`),
    isFirstParty: inputs.isFirstParty === true,
    refreshTokenRotation: text(refreshToken.rotationType, `${client.name}.refreshToken.rotationType`),
    // Absent booleans take the Management API's defaults.
    sessionTransfer: {
      canCreateSessionTransferToken: st.canCreateSessionTransferToken === true,
      allowedAuthenticationMethods: methods,
      enforceDeviceBinding: binding,
      allowRefreshToken: st.allowRefreshToken === true,
      enforceOnlineRefreshTokens: st.enforceOnlineRefreshTokens !== false,
      enforceCascadeRevocation: st.enforceCascadeRevocation !== false,
    },
  };
}

/** The client ID as the engine assigned it: the credentials resource of the same client carries it. */
function clientIdOf(model: StackModel, client: ModelResource): ModelValue {
  const credentials = resourcesOf(model, "auth0:index/clientCredentials:ClientCredentials").find(
    (r) => r.parent === client.parent,
  );
  return credentials?.inputs.clientId ?? null;
}

/**
 * The secret of a confidential client: for the hosted web app, the SSM parameter the stack writes
 * (what the app reads); for an external one, its entry in the `externalWebAppClientSecrets` output.
 */
function secretOf(model: StackModel, client: ModelResource, credentials: ModelResource): string {
  if (client.name !== "web-client") {
    const secrets = plain(model.outputs.externalWebAppClientSecrets, "externalWebAppClientSecrets output");
    return text(secrets[client.name.replace(/-client$/, "")], `${client.name} secret output`);
  }
  const parameter = ssmParameter(model, SETTINGS_PARAMETERS.clientSecret);
  const clientIdParameter = ssmParameter(model, SETTINGS_PARAMETERS.clientId);
  if (
    text(clientIdParameter.inputs.value, "client-id parameter") !==
    text(credentials.inputs.clientId, "clientId")
  ) {
    throw new Error("the client-id parameter does not name the client whose secret is stored next to it");
  }
  return text(parameter.inputs.value, "client-secret parameter");
}

function ssmParameter(model: StackModel, leaf: string): ModelResource {
  return only(
    resourcesOf(model, "aws:ssm/parameter:Parameter").filter((r) =>
      text(r.inputs.name, `${r.name}.name`).endsWith(`/${leaf}`),
    ),
    `SSM parameter */${leaf}`,
  );
}

/**
 * The dev stack as the real program declares it with config overrides, read as the browser tests
 * use it: rendered once per set of overrides. `loadProgram` loads a fresh copy of the program.
 */
export function devStackRenderer(
  loadProgram: () => Promise<Record<string, unknown>>,
): (overrides?: Record<string, string>) => Promise<StackUnderTest> {
  const renders = new Map<string, Promise<StackUnderTest>>();
  return (overrides = {}) => {
    const key = JSON.stringify(overrides);
    let render = renders.get(key);
    if (!render) {
      render = renderStack({ stack: "dev", preview: false, configOverrides: overrides, loadProgram }).then(
        readStack,
      );
      renders.set(key, render);
    }
    return render;
  };
}

/**
 * Reads a stack rendered with `preview: false` into what the local tenant, the web app and the
 * mobile app simulator need.
 * @throws when the stack lacks something the flow needs (e.g. a client without credentials).
 */
export function readStack(model: StackModel): StackUnderTest {
  if (model.preview) throw new Error("render the stack with preview: false: a preview has no client IDs");
  const byName = (name: string): DeclaredClient =>
    declaredClient(model, only(resourcesOf(model, "auth0:index/client:Client", name), name));
  const native = byName("native-client");
  const web = byName("web-client");
  const others = resourcesOf(model, "auth0:index/client:Client")
    .filter((r) => r.name !== native.resourceName && r.name !== web.resourceName)
    .map((r) => declaredClient(model, r))
    .sort((a, b) => (a.resourceName < b.resourceName ? -1 : 1));
  const outputs = model.outputs;
  // The native apps are configured from the mobile kit, as the README tells mobile teams to do.
  const kitOf = (key: string): MobileAppSettings => {
    const kit = plain(plain(outputs.mobileKit, "mobileKit output")[key], `mobileKit.${key}`);
    const cookie = plain(kit.sessionTransferCookie, `mobileKit.${key}.sessionTransferCookie`);
    const web = plain(plain(kit.webApps, `mobileKit.${key}.webApps`).web, `mobileKit.${key}.webApps.web`);
    return {
      domain: text(kit.domain, `mobileKit.${key}.domain`),
      clientId: text(kit.clientId, `mobileKit.${key}.clientId`),
      redirectUrls: texts(kit.callbackUrls, `mobileKit.${key}.callbackUrls`),
      scopes: texts(kit.scopes, `mobileKit.${key}.scopes`),
      sessionTransferAudience: text(kit.audience, `mobileKit.${key}.audience`),
      sessionTransferCookie: {
        name: text(cookie.name, `mobileKit.${key}.sessionTransferCookie.name`),
        domain: text(cookie.domain, `mobileKit.${key}.sessionTransferCookie.domain`),
      },
      loginQueryParameter: text(kit.loginQueryParameter, `mobileKit.${key}.loginQueryParameter`),
      webLoginUri: text(web.loginUri, `mobileKit.${key}.webApps.web.loginUri`),
    };
  };
  const mobileApp = kitOf("shared");
  const mobileApps = Object.fromEntries(
    Object.keys(plain(outputs.mobileKit, "mobileKit output")).map((key) => [key, kitOf(key)]),
  );
  const common = { domain: mobileApp.domain };
  const webApps = plain(outputs.webApps, "webApps output");
  const spas = others
    .filter((c) => c.appType === "spa")
    .map((client): SpaUnderTest => {
      const name = client.resourceName.replace(/-client$/, "");
      const loginUri = text(plain(webApps[name], `webApps.${name}`).loginUri, `webApps.${name}.loginUri`);
      return {
        name,
        client,
        host: new URL(loginUri).hostname,
        loginUri,
        settings: { domain: common.domain, clientId: client.clientId, redirectUri: client.callbacks[0] },
      };
    });

  // The function's environment and the parameters below SETTINGS_PATH: what the Lambda reads.
  const fn = only(resourcesOf(model, "aws:lambda/function:Function"), "Lambda function");
  const env = plain(plain(fn.inputs.environment, "function environment").variables, "function variables");
  const issuerBaseURL = text(env[LAMBDA_ENV.issuerBaseUrl], LAMBDA_ENV.issuerBaseUrl);
  const baseURL = text(env[LAMBDA_ENV.baseUrl], LAMBDA_ENV.baseUrl);
  const settingsPath = text(env[LAMBDA_ENV.settingsPath], LAMBDA_ENV.settingsPath);
  const parameter = (leaf: string): string => {
    const p = ssmParameter(model, leaf);
    if (text(p.inputs.name, "parameter name") !== `${settingsPath}/${leaf}`) {
      throw new Error(`parameter ${leaf} is not below the function's ${LAMBDA_ENV.settingsPath}`);
    }
    return text(p.inputs.value, `parameter ${leaf}`);
  };
  const webAppSettings: LoginAppSettings = {
    issuerBaseURL,
    baseURL,
    clientID: parameter(SETTINGS_PARAMETERS.clientId),
    clientSecret: parameter(SETTINGS_PARAMETERS.clientSecret),
    secret: parameter(SETTINGS_PARAMETERS.cookieSecret),
  };

  return {
    model,
    tenantHost: new URL(issuerBaseURL).hostname,
    webHost: new URL(baseURL).hostname,
    native,
    web,
    clients: [native, web, ...others],
    mobileApp,
    mobileApps,
    spas,
    webAppSettings,
  };
}

/** The clients the local tenant registers for a stack: every Auth0 client it declares. */
export function tenantClientsOf(stack: StackUnderTest): readonly DeclaredClient[] {
  return stack.clients;
}
