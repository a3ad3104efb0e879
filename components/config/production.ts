/** Section: is this a production stack, and are its Auth0 clients protected from deletion? */
import { configKey, setCommand } from "./keys";
import type { ConfigReader } from "./reader";

/** Production marking and client protection. */
export interface ProductionSettings {
  /** A production stack: stricter checks here and in the policy pack. */
  readonly production: boolean;
  /** Protect both Auth0 clients (and their credentials) from deletion. */
  readonly protectClients: boolean;
}

/** Reads `production` and `protectClients`; a production stack keeps its clients protected. */
export function readProduction(r: ConfigReader): ProductionSettings {
  const production = r.boolean("production");
  const protectClients = r.boolean("protectClients");
  if (production && !protectClients) {
    r.problem(
      "protectClients",
      false,
      "production stacks keep their Auth0 clients protected (a deleted client takes its client ID with it)",
      `${setCommand("protectClients", true)}, or mark the stack non-production with ${setCommand("production", false)}`,
    );
  }
  return { production, protectClients };
}

/** The fix that marks a stack non-production, for checks that only production refuses. */
export const MARK_NON_PRODUCTION = `mark the stack non-production with pulumi config set ${configKey("production")} false`;
