/** The parent's handle on the local OpenID provider child. */

import { join } from "node:path";
import type { IssuerCounts, IssuerReady } from "../children/issuer";
import { startChild, type ChildHandle } from "./child";

export type { IssuerCounts } from "../children/issuer";

/** A running local provider. */
export interface IssuerProcess {
  /** `https://localhost:<port>`: the subjects' ISSUER_BASE_URL. */
  issuerBaseURL: string;
  /** Requests received since the last {@link reset}. */
  counts(): Promise<IssuerCounts>;
  reset(): Promise<void>;
  stop(): Promise<void>;
  child: ChildHandle;
}

/** Starts the provider in its own process. */
export async function startIssuerProcess(): Promise<IssuerProcess> {
  const { child, ready } = await startChild<IssuerReady>(join(__dirname, "..", "children", "issuer.ts"));
  return {
    issuerBaseURL: ready.issuerBaseURL,
    counts: () => child.call<IssuerCounts>("counts"),
    reset: async () => {
      await child.call("reset");
    },
    stop: () => child.stop(),
    child,
  };
}
