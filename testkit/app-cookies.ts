/**
 * The app's cookie names as an https BASE_URL serves them (every test server, every deployed
 * stack): `__Host-` names (app/cookie-names.ts).
 */

import { TRANSACTION_COOKIE } from "../app/app";
import { cookieName } from "../app/cookie-names";
import { SESSION_COOKIE } from "../app/session";

/** The session cookie's name on https. */
export const HTTPS_SESSION_COOKIE = cookieName(SESSION_COOKIE, true);
/** The transaction cookie's name on https. */
export const HTTPS_TRANSACTION_COOKIE = cookieName(TRANSACTION_COOKIE, true);
