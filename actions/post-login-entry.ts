/**
 * The entry of the Action's deployed code: `./bundle.ts` replaces {@link TRANSFERRED_SESSION_POLICY}
 * with the stack's policy (plain JSON) and bundles this file into one CommonJS module.
 */

import { transferredSessionAction } from "./post-login";
import type { TransferredSessionPolicy } from "../model/transferred-sessions";

/** Replaced by the bundler (esbuild `define`) with the stack's policy; never read at run time here. */
declare const TRANSFERRED_SESSION_POLICY: TransferredSessionPolicy;

/** What Auth0 calls after every login (`exports.onExecutePostLogin`). */
export const onExecutePostLogin = transferredSessionAction(TRANSFERRED_SESSION_POLICY);
