/**
 * What the local tenant, the web app and the native app simulator take from a rendered stack.
 *
 * Nothing here is typed in by hand: every client setting, URL and secret is read from the
 * resources and outputs the real program (`index.ts`) declares, as {@link renderStack} records
 * them with `preview: false`. Change the stack's configuration and all three change with it.
 */

import { LAMBDA_ENV, SETTINGS_PARAMETERS } from "../app/contract";
import type { WebAppSettings } from "../app/app";
import { resourcesOf, reveal, type ModelResource, type ModelValue, type StackModel } from "../model/rendered";
import { isDeviceBinding, isSessionTransferMethod } from "../model/session-transfer";
import type { DeclaredClient, SessionTransferSettings } from "../testkit/tenant/clients";

export type { DeclaredClient, SessionTransferSettings } from "../testkit/tenant/clients";

/** What the native app ships with: the stack's outputs for the mobile teams. */
export interface MobileAppSettings {
  /** The domain the SDKs talk to (`auth0Domain` output). */
  readonly domain: string;
  readonly clientId: string;
  readonly redirectUrls: readonly string[];
  /** `urn:<domain>:session_transfer`. */
  readonly sessionTransferAudience: string;
  readonly sessionTransferCookie: { readonly name: string; readonly domain: string };
  /** The web app's Application Login URI, which the native app opens. */
  readonly webLoginUri: string;
}

/** Everything the end-to-end run needs from one rendered stack. */
export interface StackUnderTest {
  readonly model: StackModel;
  /** The tenant's host name: where `/authorize` runs (custom domain if the stack has one). */
  readonly tenantHost: string;
  /** The web app's host name (from its public base URL). */
  readonly webHost: string;
  readonly native: DeclaredClient;
  readonly web: DeclaredClient;
  readonly mobileApp: MobileAppSettings;
  /** The settings the Lambda function builds at cold start: its environment plus its SSM parameters. */
  readonly webAppSettings: WebAppSettings;
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

function declaredClient(model: StackModel, appType: "native" | "regular_web"): DeclaredClient {
  const client = only(
    resourcesOf(model, "auth0:index/client:Client").filter((r) => r.inputs.appType === appType),
    `${appType} auth0.Client`,
  );
  const inputs = client.inputs;
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
    clientSecret: method === "none" ? undefined : secretOf(model, credentials),
    appType,
    tokenEndpointAuthMethod: method,
    grantTypes: texts(inputs.grantTypes, `${client.name}.grantTypes`),
    callbacks: texts(inputs.callbacks, `${client.name}.callbacks`),
    allowedLogoutUrls: texts(inputs.allowedLogoutUrls, `${client.name}.allowedLogoutUrls`),
    initiateLoginUri:
      inputs.initiateLoginUri == null ? undefined : text(inputs.initiateLoginUri, "initiateLoginUri"),
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

/** The secret of a confidential client, as the web app reads it: the SSM parameter the stack writes. */
function secretOf(model: StackModel, credentials: ModelResource): string {
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
 * Reads a stack rendered with `preview: false` into what the local tenant, the web app and the
 * native app simulator need.
 * @throws when the stack lacks something the flow needs (e.g. a client without credentials).
 */
export function readStack(model: StackModel): StackUnderTest {
  if (model.preview) throw new Error("render the stack with preview: false: a preview has no client IDs");
  const native = declaredClient(model, "native");
  const web = declaredClient(model, "regular_web");
  const outputs = model.outputs;
  const cookie = plain(outputs.sessionTransferCookie, "sessionTransferCookie output");
  const mobileApp: MobileAppSettings = {
    domain: text(outputs.auth0Domain, "auth0Domain output"),
    clientId: text(outputs.nativeClientId, "nativeClientId output"),
    redirectUrls: texts(outputs.nativeRedirectUrls, "nativeRedirectUrls output"),
    sessionTransferAudience: text(outputs.sessionTransferAudience, "sessionTransferAudience output"),
    sessionTransferCookie: {
      name: text(cookie.name, "sessionTransferCookie.name"),
      domain: text(cookie.domain, "sessionTransferCookie.domain"),
    },
    webLoginUri: text(outputs.webLoginUri, "webLoginUri output"),
  };

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
  const webAppSettings: WebAppSettings = {
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
    mobileApp,
    webAppSettings,
  };
}

/** The clients the local tenant registers for a stack: every Auth0 client it declares. */
export function tenantClientsOf(stack: StackUnderTest): readonly DeclaredClient[] {
  return [stack.native, stack.web];
}

/**
 * A copy of a stack's clients with one client's session transfer settings changed: for the settings
 * the stack has no configuration key for (it always declares them), to show they are load-bearing.
 */
export function withSessionTransfer(
  stack: StackUnderTest,
  which: "native" | "web",
  change: Partial<SessionTransferSettings>,
): StackUnderTest {
  const client = stack[which];
  return { ...stack, [which]: { ...client, sessionTransfer: { ...client.sessionTransfer, ...change } } };
}
