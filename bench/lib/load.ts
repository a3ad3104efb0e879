/** Load generation with autocannon's programmatic API, bounded by request count and by time. */

import autocannon from "autocannon";
import { percentile } from "./stats";

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Total requests. */
  amount: number;
  connections: number;
  /** The path of the i-th request (0-based); called once per request. */
  pathFor: (i: number) => string;
  /** Hard time limit; the run is stopped (and reported as cut short) when it is reached. */
  maxSeconds: number;
}

/** What a load run measured. */
export interface LoadResult {
  /** Responses received. */
  completed: number;
  /** Responses by status class. */
  status: { "2xx": number; "3xx": number; "4xx": number; "5xx": number };
  errors: number;
  timeouts: number;
  /** Wall time from the start of the run to its last response, in seconds. */
  seconds: number;
  /** Responses per second over that time. */
  rps: number;
  /** Latency percentiles in ms, from every response's own timing (sub-millisecond resolution). */
  p50: number;
  p99: number;
  /** True when the time limit stopped the run before `amount` responses. */
  cutShort: boolean;
}

/** Runs autocannon against `url` until `amount` responses or `maxSeconds`, whichever is first. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise<LoadResult>((resolve, reject) => {
    let next = 0;
    const latencies: number[] = [];
    const started = process.hrtime.bigint();
    let lastResponseAt = started;
    let cutShort = false;
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        amount: options.amount,
        // Far above any latency here: a stuck server shows as timeouts, not as a hang.
        timeout: 30,
        requests: [
          {
            method: "GET",
            setupRequest: (request) => ({ ...request, path: options.pathFor(next++) }),
          },
        ],
      },
      (error, result) => {
        clearTimeout(limit);
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        // Up to the last response: autocannon reports the end of a run only at its next one-second
        // sample tick, so its own duration (and the time until this callback) is rounded up to whole
        // seconds, which made every run of under a second count as one second.
        const seconds = Number(lastResponseAt - started) / 1e9;
        const completed = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
        if (latencies.length === 0) {
          reject(new Error(`no response from ${options.url} (errors: ${result.errors})`));
          return;
        }
        resolve({
          completed,
          status: { "2xx": result["2xx"], "3xx": result["3xx"], "4xx": result["4xx"], "5xx": result["5xx"] },
          errors: result.errors,
          timeouts: result.timeouts,
          seconds,
          rps: completed / seconds,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          cutShort,
        });
      },
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
      lastResponseAt = process.hrtime.bigint();
    });
    const limit = setTimeout(() => {
      cutShort = true;
      instance.stop();
    }, options.maxSeconds * 1000);
  });
}
