/**
 * An outsider attacking a {@link WebFixture}: the tokens it sent (so a suite can search its logs
 * for every one), requests a browser would not send (any Host, repeated headers, a fragment in the
 * request line), and the checks that nothing it sent comes back where it must not.
 */

import { randomBytes } from "node:crypto";
import { request as httpsRequest } from "node:https";
import { expect } from "vitest";
import { HTTPS_SESSION_COOKIE, HTTPS_TRANSACTION_COOKIE } from "./app-cookies";
import { BrowserLikeClient } from "./browser-like-client";
import type { WebFixture } from "./web-fixture";

/** The victim and the attacker, as accounts at the fixture's issuer. */
export const ALICE = "auth0|alice";
export const MALLORY = "auth0|mallory";
export const OUTSIDER_ACCOUNTS = {
  [ALICE]: { name: "Alice Example", email: "alice@example.test" },
  [MALLORY]: { name: "Mallory Attacker", email: "mallory@example.test" },
};

/** A raw answer of {@link Outsider.rawRequest}. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request without following redirects. */
export function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: "manual", ...init });
}

/** The attacker's toolbox against the fixture `web()` returns (started in a `beforeAll`). */
export class Outsider {
  /** Every token sent: none may appear in a log, a body or a Location but /authorize's. */
  readonly sent = new Set<string>();

  constructor(private readonly web: () => WebFixture) {}

  /** A token the issuer redeems for `owner`, or a made-up one; remembered in {@link sent}. */
  token(owner?: string, fixture: WebFixture = this.web()): string {
    const value = owner
      ? fixture.issuer.issueSessionTransferToken(owner)
      : `stt_${randomBytes(24).toString("base64url")}`;
    this.sent.add(value);
    return value;
  }

  /** Reads a response and checks that none of `secrets` came back anywhere but /authorize. */
  async bodyWithoutEcho(response: Response, secrets: Iterable<string>): Promise<string> {
    const body = await response.text();
    const location = response.headers.get("location") ?? "";
    const toAuthorize = location !== "" && new URL(location, this.web().baseURL).pathname === "/authorize";
    const cookies = response.headers.getSetCookie().join("\n");
    for (const secret of secrets) {
      expect(body).not.toContain(secret);
      expect(cookies).not.toContain(secret);
      if (!toAuthorize) expect(location).not.toContain(secret);
    }
    return body;
  }

  /** Starts a sign-in with `client` and walks the provider's hops up to the callback URL. */
  async untilCallback(
    client: BrowserLikeClient,
    loginUrl: string,
    fixture: WebFixture = this.web(),
  ): Promise<{ transaction: string; callbackUrl: string }> {
    const { response, hop } = await client.request(loginUrl);
    await response.body?.cancel();
    const transaction = hop.setCookies.find((c) => c.name === HTTPS_TRANSACTION_COOKIE)?.value ?? "";
    expect(transaction).not.toBe("");
    let next = hop.location ?? "";
    while (!next.startsWith(`${fixture.baseURL}/callback`)) {
      const step = await client.request(next);
      await step.response.body?.cancel();
      next = step.hop.location ?? "";
      expect(next).not.toBe("");
    }
    return { transaction, callbackUrl: next };
  }

  /** A browser signed in as Alice, and its session cookie. */
  async signedIn(fixture: WebFixture = this.web()): Promise<{ client: BrowserLikeClient; session: string }> {
    const client = new BrowserLikeClient();
    const { final } = await client.follow(
      `${fixture.baseURL}/login?session_transfer_token=${this.token(ALICE, fixture)}`,
    );
    expect(await final.text()).toContain("Alice Example");
    const session = client.cookies(fixture.baseURL).find((c) => c.name === HTTPS_SESSION_COOKIE)?.value ?? "";
    expect(session).not.toBe("");
    return { client, session };
  }

  /** One request with headers fetch will not let a page set (Host, repeated headers), over HTTPS. */
  rawRequest(
    path: string,
    options: { method?: string; headers?: Record<string, string | string[]> } = {},
  ): Promise<RawAnswer> {
    const port = Number(new URL(this.web().baseURL).port);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: "127.0.0.1",
          servername: "localhost",
          port,
          path,
          method: options.method ?? "GET",
          headers: options.headers,
        },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on("error", reject);
      req.end();
    });
  }
}
