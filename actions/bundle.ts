/**
 * Builds the post-login Action's `code`: `./post-login-entry.ts` and what it imports, bundled by
 * esbuild into one CommonJS file for Auth0's Node runtime, the stack's policy compiled in as a
 * constant. It requires no module (Auth0 would need them declared as `dependencies`) and holds no
 * secret: the policy is client IDs and lifetimes. Readable, not minified: reviewers read it in the
 * preview and operators in the Auth0 dashboard.
 */

import { resolve } from "node:path";
import { buildSync } from "esbuild";
import { ACTION_RUNTIME, type TransferredSessionPolicy } from "../model/transferred-sessions";

/** The Action's source for a policy; the same policy gives the same bytes from any checkout. */
export function buildPostLoginActionCode(policy: TransferredSessionPolicy): string {
  const result = buildSync({
    absWorkingDir: resolve(__dirname, ".."),
    entryPoints: ["actions/post-login-entry.ts"],
    bundle: true,
    write: false,
    platform: "node",
    target: ACTION_RUNTIME,
    format: "cjs",
    minify: false,
    sourcemap: false,
    legalComments: "none",
    charset: "utf8",
    define: { TRANSFERRED_SESSION_POLICY: JSON.stringify(policy) },
    banner: {
      js: "// Native to Web SSO: time-boxes sessions started by a session transfer token. Generated from actions/post-login.ts by the native-web-sso stack; edit it there.",
    },
    // Auth0's examples export through `exports`; the bundle replaces `module.exports`: both hold it.
    footer: { js: "exports.onExecutePostLogin = module.exports.onExecutePostLogin;" },
    logLevel: "silent",
  });
  if (result.errors.length > 0) {
    throw new Error(`esbuild failed: ${result.errors.map((e) => e.text).join("; ")}`);
  }
  if (result.outputFiles.length !== 1) {
    throw new Error(`esbuild produced ${result.outputFiles.length} files; expected exactly one`);
  }
  return result.outputFiles[0].text;
}
