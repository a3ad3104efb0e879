/**
 * Round trips to the provider and the login redirect under load, for three subjects one after
 * another, each in its own process: the product's app, the seed sample's pattern, a bare 302.
 *
 * Per subject: 1,000 logins (counted at the local provider: round trips; also the warm-up), N
 * logins at 50 connections (requests/s, latency, CPU; N is 30,000 for the app and the bare 302,
 * 10,000 for the seed pattern), then a forced GC and memory reading, N more logins, memory again,
 * then a request without a token to see whether an earlier request's token leaks into it. The CPU window follows the warm-up, not the forced GC: a full GC right before it
 * makes V8 re-size the heap and re-optimise, which costs a subject with more code for thousands of
 * requests afterwards (no server sees forced full GCs in service), and the bare 302 nothing.
 */

import { request } from "node:http";
import { join } from "node:path";
import type { LoginServerReady, LoginSubject } from "./children/login-server";
import { startChild, type ChildHandle } from "./lib/child";
import { count } from "./lib/env";
import type { IssuerCounts, IssuerProcess } from "./lib/issuer";
import { runLoad, type LoadResult } from "./lib/load";
import {
  atLeast,
  atMost,
  below,
  expect,
  info,
  KEEP_SHARE,
  type Figure,
  type SectionResult,
} from "./lib/report";
import { round } from "./lib/stats";

const CONNECTIONS = 50;
const MB = 1024 * 1024;

/** One subject's measurements. */
export interface SubjectRun {
  subject: LoginSubject;
  /** Provider requests during the first 1,000 logins of a fresh process. */
  roundTrips: IssuerCounts;
  roundTripLogins: number;
  load: LoadResult;
  /** Provider requests during the load run. */
  loadRoundTrips: IssuerCounts;
  memory: { before: { rss: number; heapUsed: number }; after: { rss: number; heapUsed: number } };
  /** Process CPU time during the load run, in ms (user + system). */
  cpuMs: number;
  /** Whether `/login` without a token redirected with an earlier request's token. */
  leaksToken: boolean | undefined;
}

interface Redirect {
  status: number;
  location: string;
}

function get(url: string): Promise<Redirect> {
  return new Promise<Redirect>((resolve, reject) => {
    const req = request(url, { method: "GET", timeout: 10_000 }, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? "") }),
      );
    });
    req.on("timeout", () => req.destroy(new Error(`timeout on ${url}`)));
    req.on("error", reject);
    req.end();
  });
}

/** A token as a native app would send, unique per request (the index makes it so). */
function tokenFor(i: number): string {
  return `stt_${i.toString(36).padStart(8, "0")}${"x".repeat(35)}`;
}

async function runSubject(
  subject: LoginSubject,
  issuer: IssuerProcess,
  loadAmount: number,
  roundTripLogins: number,
): Promise<SubjectRun> {
  await issuer.reset();
  let child: ChildHandle | undefined;
  try {
    const started = await startChild<LoginServerReady>(
      join(__dirname, "children", "login-server.ts"),
      [subject],
      { env: { ISSUER_BASE_URL: issuer.issuerBaseURL } },
    );
    child = started.child;
    const url = `http://127.0.0.1:${started.ready.port}`;
    const loginPath = (i: number): string => `/login?session_transfer_token=${tokenFor(i)}`;

    // A correct redirect first: a benchmark of wrong answers would be worthless.
    const probe = await get(`${url}${loginPath(0)}`);
    const expectedPrefix = subject === "bare" ? issuer.issuerBaseURL : `${issuer.issuerBaseURL}/authorize?`;
    if (probe.status !== 302 || !probe.location.startsWith(expectedPrefix)) {
      throw new Error(`${subject}: /login answered ${probe.status} ${probe.location.slice(0, 120)}`);
    }
    if (subject !== "bare" && !probe.location.includes(`session_transfer_token=${tokenFor(0)}`)) {
      throw new Error(`${subject}: /login did not forward the session transfer token`);
    }

    // Round trips: the probe above plus 999 logins = 1,000 logins by a fresh process.
    const warm = await runLoad({
      url,
      amount: roundTripLogins - 1,
      connections: Math.min(CONNECTIONS, roundTripLogins - 1),
      pathFor: (i) => loginPath(1 + i),
      maxSeconds: 60,
    });
    checkAllRedirects(subject, "round-trip run", warm, roundTripLogins - 1);
    const roundTrips = await issuer.counts();

    await issuer.reset();
    const cpuBefore = await child.call<NodeJS.CpuUsage>("cpu");
    const load = await runLoad({
      url,
      amount: loadAmount,
      connections: CONNECTIONS,
      pathFor: (i) => loginPath(roundTripLogins + i),
      maxSeconds: count(120, 40),
    });
    checkAllRedirects(subject, "load run", load, undefined);
    const cpuAfter = await child.call<NodeJS.CpuUsage>("cpu");
    const loadRoundTrips = await issuer.counts();

    // Heap growth in a window of its own, between two forced GCs.
    const before = await child.call<{ rss: number; heapUsed: number }>("mem");
    const memoryLoad = await runLoad({
      url,
      amount: loadAmount,
      connections: CONNECTIONS,
      pathFor: (i) => loginPath(roundTripLogins + loadAmount + i),
      maxSeconds: count(120, 40),
    });
    checkAllRedirects(subject, "memory run", memoryLoad, undefined);
    const after = await child.call<{ rss: number; heapUsed: number }>("mem", undefined, 60_000);

    let leaksToken: boolean | undefined;
    if (subject !== "bare") {
      const plain = await get(`${url}/login`);
      if (plain.status !== 302)
        throw new Error(`${subject}: /login without a token answered ${plain.status}`);
      leaksToken = plain.location.includes("session_transfer_token=");
    }
    return {
      subject,
      roundTrips,
      roundTripLogins,
      load,
      loadRoundTrips,
      memory: { before, after },
      cpuMs: (cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system) / 1000,
      leaksToken,
    };
  } finally {
    await child?.stop();
  }
}

function checkAllRedirects(subject: string, what: string, r: LoadResult, expected: number | undefined): void {
  if (r.errors > 0 || r.status["3xx"] !== r.completed) {
    throw new Error(
      `${subject} ${what}: ${r.status["3xx"]} redirects of ${r.completed} responses, ` +
        `${r.status["4xx"]} 4xx, ${r.status["5xx"]} 5xx, ${r.errors} errors (${r.timeouts} timeouts)`,
    );
  }
  if (expected !== undefined && r.completed !== expected) {
    throw new Error(`${subject} ${what}: ${r.completed} of ${expected} logins completed in time`);
  }
}

function perThousand(n: number, logins: number): number {
  return round((n * 1000) / logins, 1);
}

/**
 * Logins per load run. The app and the bare 302, whose CPU per login is compared, run the same
 * number, enough for a window of a second or more: a run's first few thousand logins cost the
 * server more each, while the load generator itself warms up (on two cores its pace sets how many
 * requests each wake-up of the server finds). The seed pattern, at a twentieth of the pace, runs
 * fewer so the bench stays short; its requests/s are measured the same way.
 */
function loadAmountsBySubject(): Record<LoginSubject, number> {
  const compared = count(30_000, 3_000);
  return { app: compared, "app-plain-redirect": compared, bare: compared, seed: count(10_000, 1_000) };
}

/** Runs the subjects one after another (never concurrently: the machine has few cores). */
export async function measureLoginLoad(issuer: IssuerProcess): Promise<SectionResult> {
  const loadAmounts = loadAmountsBySubject();
  const roundTripLogins = count(1_000, 200);
  const runs: SubjectRun[] = [];
  for (const subject of ["app", "seed", "bare", "app-plain-redirect"] as const) {
    runs.push(await runSubject(subject, issuer, loadAmounts[subject], roundTripLogins));
  }
  const [app, seed, bare, plainRedirect] = runs as [SubjectRun, SubjectRun, SubjectRun, SubjectRun];
  const rt = "Round trips";
  const ld = "Login under load";
  const figures: Figure[] = [];
  const fresh = `over ${roundTripLogins.toLocaleString("en-US")} logins of a fresh process`;
  figures.push(
    expect(
      rt,
      "app: discovery requests",
      String(app.roundTrips.discovery),
      "1 per process",
      app.roundTrips.discovery === 1,
      `${fresh}; other provider requests: ${app.roundTrips.total - app.roundTrips.discovery}`,
    ),
    info(
      rt,
      "seed pattern: discovery requests",
      seed.roundTrips.discovery,
      "",
      `${fresh} = ${perThousand(seed.roundTrips.discovery, roundTripLogins)} per 1,000; other provider requests: ${seed.roundTrips.total - seed.roundTrips.discovery}`,
    ),
    info(
      rt,
      "during the load run (app / seed)",
      `${app.loadRoundTrips.total} / ${seed.loadRoundTrips.total}`,
      "",
      `provider requests over ${app.load.completed.toLocaleString("en-US")} / ${seed.load.completed.toLocaleString("en-US")} more logins`,
    ),
  );
  const sent = (r: SubjectRun): string =>
    `${r.load.completed.toLocaleString("en-US")} logins in ${r.load.seconds.toFixed(1)} s${r.load.cutShort ? " (CUT SHORT by the time limit)" : ""}`;
  const appVsSeed = app.load.rps / seed.load.rps;
  const cpuPerLogin = (r: SubjectRun): number => (r.cpuMs * 1000) / r.load.completed;
  figures.push(
    atLeast(
      ld,
      "app requests/s",
      Math.round(app.load.rps),
      "req/s",
      Math.round(10 * seed.load.rps),
      `${round(appVsSeed, 1)}x the seed pattern (target 10x); ${round((100 * app.load.rps) / bare.load.rps, 1)}% of the bare limit; ${sent(app)}`,
    ),
    atMost(
      ld,
      "app server CPU per login",
      round(cpuPerLogin(app), 0),
      "µs",
      // Library calls instead of hand-made replacements may cost CPU up to this bound.
      round(3.5 * cpuPerLogin(bare), 0),
      `${round(cpuPerLogin(app) / cpuPerLogin(bare), 2)}x a bare node:http 302 in the same run (target at most 3.5x)`,
    ),
    info(
      ld,
      "app latency p50 / p99",
      `${round(app.load.p50, 2)} / ${round(app.load.p99, 2)}`,
      "ms",
      `${CONNECTIONS} connections`,
    ),
    info(ld, "seed pattern requests/s", Math.round(seed.load.rps), "req/s", sent(seed)),
    info(
      ld,
      "seed pattern latency p50 / p99",
      `${round(seed.load.p50, 2)} / ${round(seed.load.p99, 2)}`,
      "ms",
    ),
    info(ld, "bare 302 requests/s (limit)", Math.round(bare.load.rps), "req/s", sent(bare)),
    info(ld, "bare 302 latency p50 / p99", `${round(bare.load.p50, 2)} / ${round(bare.load.p99, 2)}`, "ms"),
    atLeast(
      ld,
      "prebuilt redirect: share of the app's CPU per login it saves",
      round(1 - cpuPerLogin(app) / cpuPerLogin(plainRedirect), 3),
      "",
      KEEP_SHARE,
      `${round(cpuPerLogin(app), 0)} µs built in one piece vs ${round(cpuPerLogin(plainRedirect), 0)} µs with the headers from the middleware, same run`,
    ),
    info(
      ld,
      "server CPU per login (app / seed / bare)",
      [app, seed, bare].map((r) => round((r.cpuMs * 1000) / r.load.completed, 0)).join(" / "),
      "µs",
      "process CPU time of the server during the load run",
    ),
  );
  const memoryNote = (r: SubjectRun): string =>
    `over ${r.load.completed.toLocaleString("en-US")} logins after ${(roundTripLogins + r.load.completed).toLocaleString("en-US")} earlier ones`;
  const growth = (r: SubjectRun, key: "heapUsed" | "rss"): number =>
    round((r.memory.after[key] - r.memory.before[key]) / MB, 2);
  figures.push(
    below(ld, "app heap growth (after GC)", growth(app, "heapUsed"), "MB", 10, memoryNote(app)),
    info(
      ld,
      "app RSS growth",
      growth(app, "rss"),
      "MB",
      "after GC; includes V8's young generation and allocator pools sized by the load, not retained objects",
    ),
    info(ld, "seed pattern heap growth (after GC)", growth(seed, "heapUsed"), "MB", memoryNote(seed)),
    info(ld, "seed pattern RSS growth", growth(seed, "rss"), "MB", "after GC"),
  );
  figures.push(
    expect(
      ld,
      "app leaks a token into a later login",
      app.leaksToken ? "yes" : "no",
      "no",
      app.leaksToken === false,
      "/login without a token after the run",
    ),
    info(
      ld,
      "seed pattern leaks a token into a later login",
      seed.leaksToken ? "yes" : "no",
      "",
      "/login without a token after the run",
    ),
  );
  return {
    figures,
    details: {
      connections: CONNECTIONS,
      tokens: "a distinct session_transfer_token per request (autocannon setupRequest)",
      loadAmounts,
      roundTripLogins,
      runs,
    },
  };
}
