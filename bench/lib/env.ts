/**
 * What every benchmark module shares: the project root, quick mode, and the environment child
 * processes need to trust the local provider's test certificate.
 */

import { resolve } from "node:path";
import { ensureTestCertificates } from "../../testkit/tls";

/** The project root (holding `package.json` and `node_modules/`). */
export const ROOT = resolve(__dirname, "..", "..");

/** `BENCH_QUICK=1`: fewer iterations, same code paths (CI smoke runs). */
export const QUICK = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";

/** Picks the full or the quick value of an iteration count. */
export function count(full: number, quick: number): number {
  return QUICK ? quick : full;
}

/** The public base URL the app runs with: covered by the test certificate, never contacted. */
export const APP_BASE_URL = "https://app.test";

/** The web client the local provider registers and the subjects use. */
export const WEB_CLIENT = { clientId: "web-app", clientSecret: "web-app-secret-for-bench" } as const;

/** A fixed cookie secret (the benchmark never decrypts a real session). */
export const COOKIE_SECRET = "bench-cookie-secret-0123456789abcdef";

/**
 * The environment of every child process: the parent's, plus `NODE_EXTRA_CA_CERTS` (Node reads it
 * only at start-up) so that clients trust the local provider's HTTPS certificate.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const tls = ensureTestCertificates();
  return { ...process.env, NODE_EXTRA_CA_CERTS: tls.caFile, NODE_ENV: "production", ...extra };
}

/** The web app's settings every benchmark subject runs with, against the given issuer. */
export function benchWebSettings(issuerBaseURL: string) {
  return {
    issuerBaseURL,
    baseURL: APP_BASE_URL,
    clientID: WEB_CLIENT.clientId,
    clientSecret: WEB_CLIENT.clientSecret,
    secret: COOKIE_SECRET,
  };
}
