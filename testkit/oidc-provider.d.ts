/**
 * The part of `oidc-provider` (which ships no type declarations) that the local issuer and the
 * Auth0-like tenant use: one typing for both. Shapes follow the package's `lib/` (9.x).
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  /** An interaction the provider wants the app to complete (login, consent). */
  export interface InteractionDetails {
    uid: string;
    grantId?: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
  }

  /** A grant of scopes to a client on behalf of an account. */
  export interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  /** A registered client, as the provider hands it to hooks. */
  export interface Client {
    clientId: string;
    grantTypeAllowed(type: string): boolean;
  }

  /** A stored refresh token (`lib/models/refresh_token.js`). */
  export interface RefreshToken {
    accountId: string;
    clientId: string;
    grantId: string;
    scope?: string;
    scopes: Set<string>;
    isExpired: boolean;
    consumed?: unknown;
    acr?: string;
    amr?: string[];
    authTime?: number;
    claims?: unknown;
    expiresWithSession?: boolean;
    iiat?: number;
    gty?: string;
    nonce?: string;
    resource?: unknown;
    rotations?: number;
    sessionUid?: string;
    sid?: string;
    rar?: unknown;
    consume(): Promise<void>;
    save(): Promise<string>;
  }

  /** An ID token being built (`lib/models/id_token.js`). */
  export interface IdToken {
    scope?: string;
    set(key: string, value: unknown): void;
    issue(options: { use: "idtoken" }): Promise<string>;
  }

  /** What `findAccount` returns. */
  export interface Account {
    accountId: string;
    claims(): Record<string, unknown>;
  }

  /** The subset of the Koa context (with the provider's `oidc` state) that hooks and middleware use. */
  export interface KoaContextWithOIDC {
    path: string;
    method: string;
    ip: string;
    query: Record<string, string | string[] | undefined>;
    req: IncomingMessage;
    status: number;
    body: unknown;
    append(name: string, value: string): void;
    response: { get(name: string): string };
    oidc: {
      provider: Provider;
      client?: Client;
      params: Record<string, string | undefined>;
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      result?: { consent?: { grantId?: string } };
    };
  }

  /** Koa middleware as `provider.use` takes it. */
  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  /** One check of an interaction policy prompt. */
  export interface PolicyCheck {
    readonly reason: string;
  }

  /** `interactionPolicy`: the default prompts (login, consent) and their checks. */
  export const interactionPolicy: {
    base(): Array<{ name: string; checks: PolicyCheck[] }>;
    Check: new (
      reason: string,
      description: string,
      check: (ctx: KoaContextWithOIDC) => boolean,
    ) => PolicyCheck;
  };

  /** An OpenID provider. */
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(fn: Middleware): void;
    registerGrantType(
      name: string,
      handler: (ctx: KoaContextWithOIDC) => Promise<void>,
      params: string[],
    ): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    Grant: {
      new (properties: { accountId?: string; clientId?: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    RefreshToken: {
      new (properties: Record<string, unknown>): RefreshToken;
      find(value: string, options: { ignoreExpiration: boolean }): Promise<RefreshToken | undefined>;
    };
    IdToken: new (claims: Record<string, unknown>, options: { ctx: KoaContextWithOIDC }) => IdToken;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}

/** The provider's own refresh token grant, so a plain refresh (no audience) is served as usual. */
declare module "oidc-provider/lib/actions/grants/refresh_token.js" {
  import type Provider from "oidc-provider";
  import type { KoaContextWithOIDC } from "oidc-provider";
  export const handler: (
    provider: Provider,
    helpers: Record<string, unknown>,
    ctx: KoaContextWithOIDC,
  ) => Promise<void>;
}

/** The helpers the provider binds to itself (first argument) before calling a grant handler. */
declare module "oidc-provider/lib/helpers/grants.js" {
  type Helper = (...args: unknown[]) => unknown;
  export const consumeGrantSource: Helper;
  export const findAccount: Helper;
  export const findGrantSource: Helper;
  export const validateGrant: Helper;
  export const checkDpopRequired: Helper;
  export const checkMtlsCert: Helper;
  export const validateDpop: Helper;
  export const checkDpopReplay: Helper;
  export const applyAuthorizationDetails: Helper;
  export const resolveAndApplyResource: Helper;
  export const resolveRequestedResources: Helper;
  export const validateClientScope: Helper;
  export const applyRefreshTokenBindings: Helper;
  export const shouldIssueRefreshToken: Helper;
  export const buildTokenResponse: Helper;
}
