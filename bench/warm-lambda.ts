/** Warm Lambda cost: p50 and p99 per invocation of the real handler, in a process of its own. */

import { join } from "node:path";
import type { WarmRunArgs, WarmRunResult } from "./children/warm-lambda";
import { startChild } from "./lib/child";
import { count } from "./lib/env";
import type { IssuerProcess } from "./lib/issuer";
import { below, info, type SectionResult } from "./lib/report";
import { percentile, round } from "./lib/stats";

/** Timing samples of one subject's warm invocations, in a child process of its own. */
async function timeSubject(
  issuer: IssuerProcess,
  subject: "app" | "floor",
  args: WarmRunArgs,
): Promise<WarmRunResult> {
  const { child } = await startChild<Record<string, never>>(
    join(__dirname, "children", "warm-lambda.ts"),
    [],
    {
      env: { ISSUER_BASE_URL: issuer.issuerBaseURL, WARM_SUBJECT: subject },
    },
  );
  try {
    return await child.call<WarmRunResult>("run", args, 120_000);
  } finally {
    await child.stop();
  }
}

/** Runs the warm-invocation benchmark: the real handler, then the bare-library floor. */
export async function measureWarmLambda(issuer: IssuerProcess): Promise<SectionResult> {
  await issuer.reset();
  const args: WarmRunArgs = { warmup: count(2_000, 300), measured: count(10_000, 2_000), maxSeconds: 60 };
  const result = await timeSubject(issuer, "app", args);
  const counts = await issuer.counts();
  const floor = await timeSubject(issuer, "floor", args);
  const invocations = args.warmup + result.samples.length;
  const p50 = percentile(result.samples, 50);
  const p99 = percentile(result.samples, 99);
  const floorP50 = percentile(floor.samples, 50);
  const floorP99 = percentile(floor.samples, 99);
  const s = "Warm Lambda";
  const over = `over ${result.samples.length.toLocaleString("en-US")} invocations after ${args.warmup.toLocaleString("en-US")} warm-up${result.cutShort ? " (CUT SHORT by the time limit)" : ""}`;
  return {
    figures: [
      below(s, "p50 per invocation", round(p50, 3), "ms", 0.25, `${over}; Lambda bills in 1 ms steps`),
      below(
        s,
        "p99 per invocation",
        round(p99, 3),
        "ms",
        1,
        `max ${round(Math.max(...result.samples), 2)} ms`,
      ),
      info(
        s,
        "library floor p50 / p99",
        `${round(floorP50, 3)} / ${round(floorP99, 3)}`,
        "ms",
        `bare Express + express-openid-connect /login under serverless-express (fixture); the app's p50 is ${round(p50 / floorP50, 2)}x the floor's`,
      ),
      info(
        s,
        "provider requests",
        counts.total,
        "",
        `over ${invocations.toLocaleString("en-US")} invocations of one warm instance (discovery ${counts.discovery})`,
      ),
    ],
    details: { ...args, samples: result.samples.length, p50, p99, floorP50, floorP99, counts },
  };
}
