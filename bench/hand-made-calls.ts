/**
 * What each of the app's remaining hand-made calls buys, side by side with the library call it
 * replaces, as a share of a login's CPU: the PKCE challenge (node:crypto's synchronous SHA-256
 * against openid-client's `calculatePKCECodeChallenge`, which awaits WebCrypto on the thread pool)
 * and the random checks (one CSPRNG read against openid-client's three). The yardstick, a `/login`
 * of the app in this process (`app.fetch`, discovery already done), is timed in the same run. CPU
 * is the process's, thread pool included. A hand-made call stays only while it saves at least
 * {@link KEEP_SHARE} of the login it is part of.
 */

import * as oidc from "openid-client";
import { createApp } from "../app/app";
import { pkceChallenge, randomChecks } from "../app/oidc";
import { count } from "./lib/env";
import { atLeast, info, KEEP_SHARE, type Figure, type SectionResult } from "./lib/report";
import { median, round } from "./lib/stats";

const SECTION = "Hand-made calls";

/** CPU µs per call of `f`, over `n` calls awaited one after another. */
async function cpuPerCall(n: number, f: (i: number) => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await f(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

/** Times the app's `/login` and each hand-made call against its library call, alternately. */
export async function measureHandMadeCalls(): Promise<SectionResult> {
  const rounds = count(7, 3);
  const n = count(20_000, 4_000);
  const metadata: oidc.ServerMetadata = {
    issuer: "https://issuer.test/",
    authorization_endpoint: "https://issuer.test/authorize",
    token_endpoint: "https://issuer.test/oauth/token",
  };
  const app = createApp(
    {
      issuerBaseURL: "https://issuer.test",
      baseURL: "https://web.test",
      clientID: "bench",
      clientSecret: "bench-secret",
      secret: "hand-made-calls-bench-secret-0123456789",
      log: () => undefined,
    },
    { issuerMetadata: Promise.resolve(metadata) },
  );
  const login = async (i: number) => {
    const r = await app.fetch(new Request(`https://web.test/login?session_transfer_token=stt_bench_${i}`));
    if (r.status !== 302) throw new Error(`/login answered ${r.status}`);
  };
  const verifier = oidc.randomPKCECodeVerifier();
  const subjects = {
    login,
    "challenge, openid-client": () => oidc.calculatePKCECodeChallenge(verifier),
    "challenge, node:crypto": () => pkceChallenge(verifier),
    "random checks, openid-client": () => [
      oidc.randomState(),
      oidc.randomNonce(),
      oidc.randomPKCECodeVerifier(),
    ],
    "random checks, node:crypto": () => randomChecks(),
  } as const;
  const names = Object.keys(subjects) as (keyof typeof subjects)[];
  for (const name of names) await cpuPerCall(n / 4, subjects[name]); // warm-up
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      samples.get(name)?.push(await cpuPerCall(n, subjects[name]));
    }
  }
  const us = (name: string) => median(samples.get(name) ?? []);
  const figures: Figure[] = [
    info(
      SECTION,
      "app /login in process",
      round(us("login"), 1),
      "µs",
      `CPU per login, median of ${rounds} x ${n}`,
    ),
  ];
  for (const [what, library, own] of [
    ["PKCE challenge", "challenge, openid-client", "challenge, node:crypto"],
    ["random checks", "random checks, openid-client", "random checks, node:crypto"],
  ] as const) {
    const saved = us(library) - us(own);
    // The login as it would cost with the library call.
    const share = round(saved / (us("login") + saved), 3);
    figures.push(
      atLeast(
        SECTION,
        `${what}: share of a login's CPU it saves`,
        share,
        "",
        KEEP_SHARE,
        `${round(us(own), 2)} µs against ${round(us(library), 2)} µs for openid-client's, same run`,
      ),
    );
  }
  return { figures, details: Object.fromEntries(samples) };
}
