/**
 * The GitHub environments of one stack, one per purpose. Each holds that stack's credentials and
 * nothing else, so a job can only reach the identity its environment was given.
 */

/** What a job does with a stack, and so which identity it gets. */
export type Purpose = "preview" | "drift" | "deploy";

/** Every purpose, in the order the workflows use them. */
export const PURPOSES: readonly Purpose[] = ["preview", "drift", "deploy"];

/** What an identity may do: read for previews and drift checks, or deploy. */
export type Access = "read-only" | "deploy";

/** Which identity a purpose's environment holds: previews and drift checks only read. */
export function accessOf(purpose: Purpose): Access {
  return purpose === "deploy" ? "deploy" : "read-only";
}

/** The GitHub environment of a stack and purpose, e.g. `prod-deploy`. */
export function environmentName(stack: string, purpose: Purpose): string {
  return `${stack}-${purpose}`;
}

/**
 * The secrets every environment holds under the same names (the environment picks the values):
 * the workflows read exactly these, and the identities program outputs the first three per
 * environment. The state backend and its passphrase are the stack's, set by the platform team.
 */
export const ENVIRONMENT_SECRETS = [
  "AWS_ROLE_ARN",
  "AUTH0_CLIENT_ID",
  "AUTH0_CLIENT_SECRET",
  "PULUMI_BACKEND_URL",
  "PULUMI_CONFIG_PASSPHRASE",
] as const;
