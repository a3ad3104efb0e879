/**
 * Child process: the real Lambda handler (Hono's API Gateway adapter + app) invoked in-process
 * with API Gateway HTTP API v2 events for `GET /login?session_transfer_token=...`, timed one
 * invocation at a time after a warm-up. Settings are given directly (the SSM read happens once
 * per cold start and is the cold-start benchmark's business).
 */

import { createHandler } from "../../app/lambda";
import { createLibraryFloorHandler } from "../fixtures/library-floor";
import { httpApiEvent, lambdaContext, resultHeader } from "../../testkit/api-gateway";
import { failStartup, memoryAfterGc, serveParent } from "../lib/child";
import { APP_BASE_URL, benchWebSettings } from "../lib/env";
import { msSince } from "../lib/stats";

/** Arguments of the `run` command. */
export interface WarmRunArgs {
  warmup: number;
  measured: number;
  /** Stop measuring after this long even if fewer invocations were made. */
  maxSeconds: number;
}

/** Result of the `run` command. */
export interface WarmRunResult {
  /** Milliseconds per measured invocation, in order. */
  samples: number[];
  cutShort: boolean;
}

async function main(): Promise<void> {
  const issuerBaseURL = process.env.ISSUER_BASE_URL;
  if (!issuerBaseURL) throw new Error("ISSUER_BASE_URL is not set");
  const settings = benchWebSettings(issuerBaseURL);
  // WARM_SUBJECT=floor times the bare-library fixture instead of the app, for comparison.
  const handler =
    process.env.WARM_SUBJECT === "floor"
      ? createLibraryFloorHandler(settings)
      : createHandler({ loadSettings: async () => settings });
  const context = lambdaContext();
  const eventFor = (i: number) =>
    httpApiEvent({
      url: `${APP_BASE_URL}/login?session_transfer_token=stt_${i.toString(36).padStart(8, "0")}${"x".repeat(35)}`,
    });
  const invoke = async (i: number, event = eventFor(i)): Promise<void> => {
    const result = await handler(event, context);
    const location = resultHeader(result, "location") ?? "";
    if (result.statusCode !== 302 || !location.startsWith(`${issuerBaseURL}/authorize?`)) {
      throw new Error(`invocation ${i}: ${result.statusCode} ${location.slice(0, 120)}`);
    }
  };

  serveParent(
    {},
    {
      run: async (raw: unknown): Promise<WarmRunResult> => {
        const args = raw as WarmRunArgs;
        for (let i = 0; i < args.warmup; i++) await invoke(i);
        // Events are built before timing: the handler's cost only.
        const events = Array.from({ length: args.measured }, (_, i) => eventFor(args.warmup + i));
        // A clean heap before timing, so a collection of warm-up garbage does not land in the samples.
        memoryAfterGc();
        const samples: number[] = [];
        const started = process.hrtime.bigint();
        let cutShort = false;
        for (let i = 0; i < events.length; i++) {
          if (msSince(started) > args.maxSeconds * 1000) {
            cutShort = true;
            break;
          }
          const t = process.hrtime.bigint();
          await invoke(args.warmup + i, events[i]);
          samples.push(msSince(t));
        }
        return { samples, cutShort };
      },
    },
  );
}

main().catch(failStartup);
