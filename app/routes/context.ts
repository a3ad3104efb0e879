/** What every route of the app shares: its settings, its one OIDC client and cookie key, and how it answers. */

import type { Context, Hono } from "hono";
import type { CookieOptions } from "../cookie-names";
import type { ParsedQuery } from "../input";
import type { LogSink } from "../log";
import type { IssuerClient } from "../oidc";
import type { Problem } from "../problems";
import type { CookieSealer } from "../sealed-cookies";
import type { LoginAppSettings } from "../settings";

/** The values the app's middleware sets on every request it passes on. */
export type AppEnv = { Variables: { query: ParsedQuery; rawQuery: string } };

/** The app's Hono instance; `fetch` serves one web-standard Request. */
export type LoginApp = Hono<AppEnv>;

/** A request's context, as the routes receive it. */
export type AppContext = Context<AppEnv>;

/** Built once per app by `createApp`, handed to each route. */
export interface RouteContext {
  readonly settings: LoginAppSettings;
  /** The redacting log sink. */
  readonly log: LogSink;
  /** BASE_URL, parsed. */
  readonly base: URL;
  /** `<BASE_URL>/callback`, the redirect URI. */
  readonly callbackUrl: string;
  readonly client: IssuerClient;
  readonly sealer: CookieSealer;
  /** The attributes (and `__Host-` prefix on https) of every cookie the app sets. */
  readonly cookie: CookieOptions & { prefix?: "host" };
  /** Answers a request with a refusal. */
  refuse(c: AppContext, problem: Problem): Response;
  /** A 302 built in one piece with the security headers already in it (the sign-in redirect, the hot path). */
  securedRedirect(location: string, setCookie: string): Response;
}
