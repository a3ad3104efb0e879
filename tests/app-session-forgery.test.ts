/**
 * Session cookies forged with a leaked secret (here the previous one, which the app still opens
 * after a rotation), oversized sealed cookies, and sign-outs posted without an Origin: what the
 * running app makes of them, over real HTTPS.
 */

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCookieSealer } from "../app/sealed-cookies";
import { HTTPS_SESSION_COOKIE } from "../testkit/app-cookies";
import { get, Outsider, OUTSIDER_ACCOUNTS } from "../testkit/outsider";
import { startWebFixture, type WebFixture } from "../testkit/web-fixture";

const LEAKED_PREVIOUS_SECRET = randomBytes(32).toString("base64url");
const DAY_S = 24 * 3600;
const YEAR_S = 365 * DAY_S;

let web: WebFixture;
const outsider = new Outsider(() => web);

beforeAll(async () => {
  web = await startWebFixture({
    accounts: OUTSIDER_ACCOUNTS,
    app: { previousSecret: LEAKED_PREVIOUS_SECRET, log: () => undefined },
  });
});

afterAll(async () => {
  await web?.close();
});

const nowS = (): number => Math.floor(Date.now() / 1000);

/** A session cookie sealed with the leaked secret: created at `c`, touched at `t`, expiring at `exp`. */
function forged(fields: { c: number; t: number; exp: number; name?: string }): string {
  const sealer = createCookieSealer(LEAKED_PREVIOUS_SECRET);
  return sealer.seal(
    { u: { sub: "auth0|mallory", name: fields.name ?? "Forged" }, c: fields.c, t: fields.t },
    fields.exp,
  );
}

async function home(session: string): Promise<{ signedIn: boolean; renewed: boolean }> {
  const response = await get(`${web.baseURL}/`, {
    headers: { cookie: `${HTTPS_SESSION_COOKIE}=${session}` },
  });
  const body = await response.text();
  const renewed = response.headers
    .getSetCookie()
    .some((c) => c.startsWith(`${HTTPS_SESSION_COOKIE}=`) && !c.startsWith(`${HTTPS_SESSION_COOKIE}=;`));
  return { signedIn: body.includes('data-signed-in="true"'), renewed };
}

describe("a session sealed with a leaked secret", () => {
  it("opens and is renewed when its timestamps are plausible (what the refusals below are measured against)", async () => {
    const now = nowS();
    expect(await home(forged({ c: now - 3600, t: now - 3600, exp: now + 3600 }))).toEqual({
      signedIn: true,
      renewed: true,
    });
  });

  it.each([
    [
      "created ten years ahead",
      (now: number) => ({ c: now + 10 * YEAR_S, t: now + 10 * YEAR_S, exp: now + 3600 }),
    ],
    ["created ahead of the clock", (now: number) => ({ c: now + 3600, t: now + 3600, exp: now + 3600 })],
    ["touched ten years ahead", (now: number) => ({ c: now - 3600, t: now + 10 * YEAR_S, exp: now + 3600 })],
    ["touched before it was created", (now: number) => ({ c: now - 3600, t: now - 7200, exp: now + 3600 })],
    [
      "created longer ago than the absolute lifetime",
      (now: number) => ({ c: now - 8 * DAY_S, t: now - 3600, exp: now + 3600 }),
    ],
    ["expiring ten years ahead", (now: number) => ({ c: now - 3600, t: now - 3600, exp: now + 10 * YEAR_S })],
    [
      "expiring beyond the idle lifetime",
      (now: number) => ({ c: now - 3600, t: now - 3600, exp: now + 2 * DAY_S }),
    ],
  ])("is refused and not renewed when %s", async (_name, fields) => {
    expect(await home(forged(fields(nowS())))).toEqual({ signedIn: false, renewed: false });
  });
});

describe("the sealed cookie's size cap", () => {
  it("opens a session cookie of a little under 4 KiB", async () => {
    const now = nowS();
    const session = forged({ c: now - 60, t: now - 60, exp: now + 3600, name: "n".repeat(2800) });
    expect(session.length).toBeLessThan(4096);
    expect((await home(session)).signedIn).toBe(true);
  });

  it("refuses an authentic session cookie longer than 4 KiB", async () => {
    const now = nowS();
    const session = forged({ c: now - 60, t: now - 60, exp: now + 3600, name: "n".repeat(3200) });
    expect(session.length).toBeGreaterThan(4096);
    expect((await home(session)).signedIn).toBe(false);
  });
});

describe("POST /logout without an Origin header", () => {
  async function postLogout(headers: Record<string, string>): Promise<Response> {
    const { session } = await outsider.signedIn();
    return get(`${web.baseURL}/logout`, {
      method: "POST",
      headers: { cookie: `${HTTPS_SESSION_COOKIE}=${session}`, ...headers },
    });
  }

  it("is refused when nothing says it came from this origin", async () => {
    const response = await postLogout({});
    await response.body?.cancel();
    expect(response.status).toBe(403);
    expect(response.headers.get("location")).toBeNull();
  });

  it("is refused when Sec-Fetch-Site says another site sent it", async () => {
    const response = await postLogout({ "sec-fetch-site": "same-site" });
    await response.body?.cancel();
    expect(response.status).toBe(403);
  });

  it("signs out when Sec-Fetch-Site says this origin sent it", async () => {
    const response = await postLogout({ "sec-fetch-site": "same-origin" });
    await response.body?.cancel();
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location") ?? "").pathname).toBe("/v2/logout");
  });
});
