/**
 * The parts of Auth0's post-login Action trigger that the project's Action reads and calls, typed
 * as Auth0 documents them (field names are Auth0's, snake_case included):
 *
 * - the event: auth0/docs-v2 `main/docs/actions/reference/post-login/post-login-event-object.mdx`
 *   (https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object);
 * - the API: auth0/docs-v2 `main/docs/actions/reference/post-login/post-login-api-object.mdx`
 *   (https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object).
 *
 * Only what the Action uses is declared: a test event or a test API need not invent the rest.
 */

/**
 * `event.session_transfer_token` ("[Early Access] Details of the current session transfer token
 * being used to establish Single Sign-On (SSO) from a native application to a web application").
 * Absent on every login that no session transfer token started.
 */
export interface SessionTransferTokenDetails {
  /** "The client identifier of the application that issued the token": the native app. */
  readonly client_id: string;
  /** "The scopes requested when the token was issued." */
  readonly scope: readonly string[];
  /** "Details about the request that issued the token." */
  readonly request: {
    readonly ip: string;
    readonly asn?: string;
    readonly user_agent?: string;
    readonly geoip?: Readonly<Record<string, string | number>>;
  };
}

/** `event.session`: the login session (its fields are "[Enterprise Customers]"). */
export interface PostLoginSession {
  readonly id?: string;
  readonly created_at?: string;
  readonly expires_at?: string;
  readonly idle_expires_at?: string;
  /** "Defined when the session is created from a session transfer token, undefined otherwise." */
  readonly session_transfer?: {
    readonly parent_refresh_token?: {
      readonly id?: string;
      readonly metadata?: Readonly<Record<string, string>>;
    };
  };
}

/** The post-login event, as far as the Action reads it. */
export interface PostLoginEvent {
  /** "The client id of the application the user is logging in to": here, the web app. */
  readonly client: { readonly client_id: string; readonly name: string };
  readonly session?: PostLoginSession;
  readonly session_transfer_token?: SessionTransferTokenDetails;
  readonly user: { readonly user_id: string };
}

/** The post-login API, as far as the Action calls it. */
export interface PostLoginApi {
  readonly access: {
    /**
     * `api.access.deny(reason)`: "Mark the current login attempt as denied ... The login flow will
     * immediately stop following the completion of this action". The reason "may be presented
     * directly in end-user interfaces".
     */
    deny(reason: string): unknown;
  };
  readonly session: {
    /**
     * `api.session.setExpiresAt(absolute)`: milliseconds since the Unix epoch; "cannot be set
     * higher than the maximum session lifetime set in the tenant settings. When called multiple
     * times, the earliest expiration time will be used."
     */
    setExpiresAt(absolute: number): unknown;
    /** `api.session.setIdleExpiresAt(inactivity)`: milliseconds since the Unix epoch, as above. */
    setIdleExpiresAt(inactivity: number): unknown;
  };
}

/** The signature of `exports.onExecutePostLogin`. */
export type OnExecutePostLogin = (event: PostLoginEvent, api: PostLoginApi) => Promise<void>;
